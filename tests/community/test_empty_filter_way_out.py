"""A community list whose filter matches nothing offers the way back to every question; an
unfiltered empty list still says there are none yet."""

from __future__ import annotations


def test_a_filter_that_matches_nothing_links_back_to_every_question(world, signed_in):
    reader = signed_in("xtreme")
    space = f"/community/{world.open_slug}"
    for path, every in [(f"{space}?filter=solved", space),
                        ("/community/?filter=solved", "/community/")]:
        empty = reader.client.get(path).text
        assert "No questions match." in empty and "No questions here yet" not in empty, path
        assert f'<a href="{every}" id="clear-question-filters">Show every question</a>' in empty
    listed = reader.client.get(space).text
    assert "clear-question-filters" not in listed
