"""Who e-mail comes from: KB_MAIL_FROM, else noreply@ the host of the portal's links, and the
same host in a ``kb outbox run`` of its own; ``kb check`` and ``kb outbox run`` warn of a
sender at localhost while e-mail leaves through SMTP."""

from __future__ import annotations

import pytest

from kb.alerts.addresses import sender

SOME_SMTP = "smtp://127.0.0.1:2525"


def test_without_a_sender_set_mail_comes_from_noreply_at_the_public_host(app):
    app.config["BASE_URL"] = "https://support.example.com/"
    with app.app_context():
        assert sender() == "Orbitec Support <noreply@support.example.com>"


def test_a_message_queued_by_kb_serve_leaves_from_its_host_in_an_outbox_run_of_its_own(
        app, runner, smtp, queue, customer_on):
    """Without KB_BASE_URL, kb serve makes links (and Message-IDs) with the address it serves
    at; a `kb outbox run` started apart knows no such address, and sent from localhost."""
    email = customer_on("premium")
    app.config.update(BASE_URL="", SERVE_URL="http://support.example.com:8000")
    queue(email, "Your password", "https://support.example.com:8000/reset/x")
    app.config["SERVE_URL"] = ""

    result = runner.invoke(args=["outbox", "run", "--once"])

    assert result.exit_code == 0 and "Sent 1" in result.output, result.output
    [arrived] = smtp.inbox.to(email)
    assert arrived["From"] == "Orbitec Support <noreply@support.example.com>"
    assert smtp.inbox.envelope_senders == ["noreply@support.example.com"]
    assert "Warning: E-mail leaves from noreply@localhost" in result.output


@pytest.mark.parametrize("settings, address", [
    ({"BASE_URL": ""}, "noreply@localhost"),
    ({"BASE_URL": "http://127.0.0.1:8000"}, "noreply@localhost"),
    ({"BASE_URL": "https://support.example.com", "MAIL_FROM": "Help <help@localhost>"},
     "help@localhost"),
    ({"BASE_URL": "https://support.example.com", "MAIL_FROM": "help@[127.0.0.1]"},
     "help@[127.0.0.1]"),
])
def test_kb_check_warns_of_a_sender_at_localhost_while_smtp_is_set(app, runner, settings,
                                                                   address):
    app.config.update(SMTP_URL=SOME_SMTP, **settings)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert f"Warning: E-mail leaves from {address}, an address at " in result.output
    assert "Set KB_BASE_URL" in result.output


@pytest.mark.parametrize("settings", [
    {"SMTP_URL": SOME_SMTP, "BASE_URL": "https://support.example.com"},
    {"SMTP_URL": SOME_SMTP, "BASE_URL": "", "MAIL_FROM": "Help <help@example.com>"},
    {"SMTP_URL": "", "BASE_URL": ""},
])
def test_kb_check_is_content_with_a_real_sender_or_no_smtp(app, runner, settings):
    app.config.update(**settings)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0 and result.output == "The settings look right.\n"
