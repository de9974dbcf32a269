"""/patches/ keeps withdrawn patches out unless asked ("Show withdrawn patches"): then a reader
whose plan read one sees it listed, marked withdrawn and linked to its page (why, what instead);
a reader whose plan never read it does not."""

from __future__ import annotations

from tests.patches.test_withdrawal import withdraw
from tests.web import Auth


def _listing(app, email: str, query: str = "") -> str:
    browser = Auth(app.test_client())
    browser.login(email)
    return browser.client.get(f"/patches/{query}").get_data(as_text=True)


def test_withdrawn_patches_are_listed_only_on_request_and_to_their_readers(
        app, staff_client, publish):
    pulled = publish(title="Pulled premium fix", min_plan="premium")
    publish(title="Kept fix")
    assert withdraw(staff_client, pulled).status_code == 302

    for email in ("premium@demo.test", "staff@demo.test"):
        assert "Pulled premium fix" not in _listing(app, email), email
        shown = _listing(app, email, "?withdrawn=1")
        assert f'<a href="/patches/{pulled}">Pulled premium fix</a>' in shown, email
        assert '<mark class="patch-status">withdrawn</mark>' in shown
        assert "Kept fix" in shown
        assert 'name="withdrawn" value="1" checked' in shown
    assert "Pulled premium fix" not in _listing(app, "xtreme@demo.test", "?withdrawn=1")
