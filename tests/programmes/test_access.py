"""Access to a programme's gated downloads and private space starts on acceptance and ends with
the programme (its end date passing, or staff ending it): the patch page, the API, the download
URL, the patch list, search, the space and its questions all follow at once. Outside the
programme everything answers as an unknown item does."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.programmes import service
from tests.programmes.conftest import PATCH_WORD, QUESTION_WORD, apply_and_accept


def _sees(world, auth, headers, client) -> dict[str, bool]:
    """What one reader reaches of the programme, place by place."""
    page = auth.client.get(f"/patches/{world.patch}")
    found = client.get("/api/v1/search", query_string={"q": PATCH_WORD}, headers=headers).json
    asked = client.get("/api/v1/search", query_string={"q": QUESTION_WORD},
                       headers=headers).json
    assert PATCH_WORD not in str(found.get("locked")) and QUESTION_WORD not in str(
        asked.get("locked"))
    listed = client.get("/api/v1/patches", query_string={"per_page": 100}, headers=headers).json
    return {
        "page": page.status_code == 200,
        "api": client.get(f"/api/v1/patches/{world.patch}", headers=headers).status_code == 200,
        "download": _downloads(client, world.file_url, headers),
        "list_api": world.patch in {p["id"] for p in listed["patches"]},
        "list_page": PATCH_WORD in auth.client.get("/patches/").get_data(as_text=True),
        "search_patch": any(r["url"].endswith(f"/patches/{world.patch}")
                            for r in found["results"]),
        "search_question": any(r["url"].endswith(f"/community/questions/{world.question}")
                               for r in asked["results"]),
        "space": auth.client.get(f"/community/{world.space_slug}").status_code == 200,
        "spaces_list": world.space_slug in auth.client.get("/community/").get_data(as_text=True),
        "question": auth.client.get(f"/community/questions/{world.question}").status_code == 200,
        "question_api": client.get(f"/api/v1/community/questions/{world.question}",
                                   headers=headers).status_code == 200,
    }


def _downloads(client, url: str, headers) -> bool:
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()  # the stored file is closed with the body
    return response.status_code == 200


def _none(seen: dict[str, bool]) -> bool:
    return not any(seen.values())


def _all(seen: dict[str, bool]) -> bool:
    return all(seen.values())


def _unknown_patch_answers_alike(auth, client, headers, world):
    """The patch, its API answer and its file answer exactly as unknown ones do."""
    assert auth.client.get(f"/patches/{world.patch}").status_code == 404
    real = client.get(f"/api/v1/patches/{world.patch}", headers=headers)
    unknown = client.get("/api/v1/patches/999999", headers=headers)
    assert (real.status_code, real.json) == (unknown.status_code, unknown.json)
    real_file = client.get(world.file_url, headers=headers)
    real_file.close()
    unknown_file = client.get(world.file_url.replace(f"/{world.patch}/", "/999999/"),
                              headers=headers)
    assert (real_file.status_code, _without_token(real_file)) == (
        unknown_file.status_code, _without_token(unknown_file))


def _without_token(response) -> str:
    """The page without its CSRF tokens (the meta tag's and the sign-out form's): a token is
    signed with the second it was made in, so two requests a second boundary apart differ."""
    page = re.sub(r'name="csrf-token" content="[^"]*"', "", response.get_data(as_text=True))
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_access_starts_on_acceptance_and_ends_when_the_end_date_passes(
        app, client, world, signed_in, token_for):
    auth, headers = signed_in("elite"), token_for("elite")
    assert _none(_sees(world, auth, headers, client))
    _unknown_patch_answers_alike(auth, client, headers, world)
    apply_and_accept(app, world)
    assert _all(_sees(world, auth, headers, client))
    with app.app_context():  # time passes: the programme's last day was yesterday
        world.programme_row().ends_on = policy.today() - timedelta(days=1)
        db.session.commit()
    assert _none(_sees(world, auth, headers, client))
    _unknown_patch_answers_alike(auth, client, headers, world)


def test_access_ends_when_staff_end_the_programme_and_members_are_told(
        app, client, world, signed_in, token_for):
    auth, headers = signed_in("elite"), token_for("elite")
    apply_and_accept(app, world)
    assert _all(_sees(world, auth, headers, client))
    staff = signed_in("staff")
    assert staff.post(f"/staff/programmes/{world.programme}/end").status_code == 302
    assert _none(_sees(world, auth, headers, client))
    titles = [n["title"] for n in client.get("/api/v1/notifications", headers=headers).json]
    assert "The Orbit ERP 13 early access programme has ended" in titles


def test_an_application_alone_opens_nothing_nor_does_a_declined_one(
        app, client, world, signed_in, token_for):
    auth, headers = signed_in("elite"), token_for("elite")
    with app.app_context():
        application = service.apply(user_by_email("elite@demo.test"), world.programme, "")
    assert _none(_sees(world, auth, headers, client))
    with app.app_context():
        service.decide(user_by_email("staff@demo.test"), application.id, False, "Full.")
    assert _none(_sees(world, auth, headers, client))


@pytest.mark.parametrize("reader", ["xtreme", "premium", "lapsed"])
def test_other_plans_never_learn_of_it(app, client, world, signed_in, token_for, reader):
    apply_and_accept(app, world)  # the Elite organisation is a member; these are not
    auth, headers = signed_in(reader), token_for(reader)
    seen = _sees(world, auth, headers, client) if reader != "lapsed" else {
        "page": auth.client.get(f"/patches/{world.patch}").status_code == 200}
    assert _none(seen)


def test_a_member_whose_term_lapses_loses_access(app, client, world, signed_in, token_for):
    apply_and_accept(app, world)
    auth, headers = signed_in("elite"), token_for("elite")
    with app.app_context():
        organization = user_by_email("elite@demo.test").organization
        organization.term_end = policy.today() - timedelta(days=1)
        db.session.commit()
    assert auth.client.get(f"/patches/{world.patch}").status_code != 200
    assert not _downloads(client, world.file_url, headers)


def test_staff_read_everything_of_a_programme(client, world, signed_in, token_for):
    assert _all(_sees(world, signed_in("staff"), token_for("staff"), client))


def test_releasing_a_patch_opens_it_to_every_reader_of_patches(app, client, world, signed_in,
                                                              token_for):
    staff = signed_in("staff")
    assert staff.post(f"/staff/programmes/{world.programme}/patches/{world.patch}/release"
                      ).status_code == 302
    headers = token_for("xtreme")
    assert client.get(f"/api/v1/patches/{world.patch}", headers=headers).status_code == 200
    found = client.get("/api/v1/search", query_string={"q": PATCH_WORD}, headers=headers).json
    assert any(r["url"].endswith(f"/patches/{world.patch}") for r in found["results"])


def test_outside_the_programme_its_space_answers_as_an_unknown_one(client, world, signed_in,
                                                                   token_for):
    headers = token_for("elite")  # not (yet) a member
    asked = client.post("/api/v1/community/questions", headers=headers, json={
        "space": world.space_slug, "title": "Can I post here anyway?", "body": "Hello."})
    unknown = client.post("/api/v1/community/questions", headers=headers, json={
        "space": "no-such-space", "title": "Can I post here anyway?", "body": "Hello."})
    assert asked.status_code == unknown.status_code == 422
    assert asked.json["error"].replace(world.space_slug, "X") == unknown.json["error"].replace(
        "no-such-space", "X")
    auth = signed_in("elite")
    page = auth.client.get(f"/community/{world.space_slug}")
    missing = auth.client.get("/community/no-such-space")
    assert page.status_code == missing.status_code == 404
    assert _without_token(page) == _without_token(missing)
    ask = auth.client.get("/community/ask").get_data(as_text=True)
    assert world.space_slug not in ask


@pytest.mark.parametrize("address", ["/patches/{}", "/api/v1/patches/{}"])
def test_a_programme_patch_costs_a_non_member_what_a_missing_one_does(app, auth, world,
                                                                     address):
    """An Elite non-member gets the programme's patch answered as a missing one, statements
    too: reading it asks the organisation's running programmes, and so does the answer to a
    missing one (``kb.web``), else the time would tell a programme's patch exists."""
    from tests.accounts.security_helpers import statements_sent
    auth.login("elite@demo.test")
    auth.client.get(address.format(999999))  # whatever a first request does once
    kept, missing = (statements_sent(app, lambda item_id=item_id: auth.client.get(
        address.format(item_id))) for item_id in (world.patch, 999999))
    assert kept[0] == missing[0] == 404
    assert kept[1] == missing[1]
