"""The editor's preview is not a live region: it would read the whole article aloud again
after every pause in typing."""

from __future__ import annotations

from tests.a11y import parsed


def test_the_preview_is_not_read_aloud_on_every_change(client, auth, demo_accounts):
    auth.login("staff@demo.test")

    page = parsed(client.get("/staff/articles/new"))

    preview = page.get_element_by_id("preview")
    assert preview.get("data-preview-url")
    assert preview.get("aria-live") is None
    assert not [element for element in preview.iterancestors() if element.get("aria-live")]
