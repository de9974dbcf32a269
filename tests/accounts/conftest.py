"""The accounts tests' fixtures beyond the project's: the real SMTP server on loopback."""

from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
