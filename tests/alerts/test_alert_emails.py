"""What a critical alert's e-mails say, as they arrive at a real SMTP server: the summary and
notes rendered as the Markdown they were written in, and a fixed alert that says what fixed it
and labels the old workaround as what to do until the fix is installed."""

from __future__ import annotations

from kb.alerts import critical
from tests.alerts.critical_helpers import ERP, _deliver, _patch, _staff, _subscribe

SUMMARY = "Until the fix, run payroll with `--no-batch` in **single** mode."


def _parts(message) -> tuple[str, str]:
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def _arrived(smtp, recipient: str, ending: str):
    [message] = [m for m in smtp.inbox.to(recipient) if m["Subject"].strip().endswith(ending)]
    return _parts(message)


def test_a_fixed_alert_says_what_fixed_it_and_labels_the_old_workaround(
        app, runner, smtp, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP, "12.0")
    with app.app_context():
        alert_id = critical.open_alert(_staff(), "Payroll run stalls", SUMMARY, [ERP], ["12.0"],
                                       min_plan="xtreme").id
    patch_id = _patch(app, "Service pack 12.0.3")
    with app.app_context():
        critical.advance(_staff(), alert_id, "fixed", patch_id=patch_id,
                         note="The service pack releases the **batch** lock.")
    _deliver(runner)

    text, html = _arrived(smtp, reader, "under investigation")
    assert "run payroll with --no-batch in single mode." in text
    assert "`" not in text and "**" not in text
    assert "<code>--no-batch</code>" in html and "<strong>single</strong>" in html

    text, html = _arrived(smtp, reader, "fixed")
    assert "State: Fixed" in text
    assert (f"Fixed in service pack Service pack 12.0.3: install it to fix the issue. "
            f"http://kb.test/patches/{patch_id}") in text
    assert "The service pack releases the batch lock." in text
    assert "<strong>batch</strong>" in html
    label = "Until you install the fix, the workaround still applies:"
    assert text.index("Fixed in service pack") < text.index(label) < text.index("--no-batch")
    assert html.index(label) < html.index("<code>--no-batch</code>")


def test_the_alert_page_renders_the_summary_as_the_e_mail_does(app, client, auth, catalogue):
    with app.app_context():
        alert_id = critical.open_alert(_staff(), "Payroll run stalls", SUMMARY + " <name>",
                                       [ERP], ["12.0"], min_plan="xtreme").id
    auth.login("xtreme@demo.test")
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert ("<p>Until the fix, run payroll with <code>--no-batch</code> in "
            "<strong>single</strong> mode. &lt;name&gt;</p>") in page
