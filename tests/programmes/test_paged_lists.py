"""A paged list counts in the database what its reader may see: a programme's private space is
neither on a page of /api/v1/community/spaces nor in its X-Total-Count for anyone outside the
programme, and is, on both, once their organisation is accepted."""

from __future__ import annotations

from tests.programmes.conftest import apply_and_accept


def _spaces(client, headers) -> tuple[list[str], int, list[str]]:
    """(the slugs of every page of 2, X-Total-Count, the whole list's slugs)."""
    seen, total, page = [], None, 1
    while True:
        answer = client.get(f"/api/v1/community/spaces?per_page=2&page={page}",
                            headers=headers)
        total = int(answer.headers["X-Total-Count"])
        if not answer.json:
            break
        seen += [space["slug"] for space in answer.json]
        page += 1
    whole = client.get("/api/v1/community/spaces", headers=headers).json
    return seen, total, [space["slug"] for space in whole]


def test_a_programme_space_is_counted_only_for_members(app, client, world, token_for):
    elite, premium = token_for("elite"), token_for("premium")
    outside, outside_total, outside_whole = _spaces(client, elite)
    below, below_total, _ = _spaces(client, premium)

    apply_and_accept(app, world)
    member, member_total, member_whole = _spaces(client, elite)

    assert world.space_slug not in outside + outside_whole + below
    assert outside == outside_whole and outside_total == len(outside)
    assert below_total == len(below)
    assert world.space_slug in member and member == member_whole
    assert member_total == len(member) == outside_total + 1
