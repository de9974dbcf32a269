"""The storage tests publish patches as the patch tests do."""

from tests.patches.conftest import patch_file, publish  # noqa: F401 - fixtures
