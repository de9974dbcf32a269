"""A filtered recordings list that matches nothing links back to every recording."""

from __future__ import annotations


def test_no_match_links_back_to_every_recording(client, auth, publish):
    publish("Hub session")
    auth.login("xtreme@demo.test")
    empty = client.get("/sessions/recordings?product=orbit-erp").text
    assert "No recordings match." in empty
    assert ('<a href="/sessions/recordings" id="clear-recording-filters">Show every recording'
            '</a>') in empty
    listed = client.get("/sessions/recordings").text
    assert "Hub session" in listed and "clear-recording-filters" not in listed
