"""A filtered downloads list that matches nothing offers the way back to every patch."""

from __future__ import annotations


def test_no_match_links_back_to_every_patch(client, auth, publish):
    publish(title="Listed 12.0 fix", versions=["12.0"])
    auth.login("xtreme@demo.test")
    empty = client.get("/patches/?product=orbit-erp&kind=regulatory").get_data(as_text=True)
    assert "No patches match." in empty
    assert 'id="clear-patch-filters">Show every patch</a>' in empty
    assert 'href="/patches/"' in empty.split('id="clear-patch-filters"')[0][-40:]
    listed = client.get("/patches/").get_data(as_text=True)
    assert "Listed 12.0 fix" in listed and "clear-patch-filters" not in listed
