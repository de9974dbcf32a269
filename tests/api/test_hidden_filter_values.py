"""A product or version only items the caller may not learn of name (a draft article, an
early-adopter programme's patch) is refused by every filter exactly as one that does not
exist: same status, same JSON but for the value, so an answer never tells that an
unannounced product exists. Staff, who see drafts, and programme members filter by it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kb.accounts.queries import user_by_email
from kb.patches import service as patches
from kb.programmes import service as programmes
from kb.storage import Upload, file_store
from tests.catalogue import write_drafts
from tests.conftest import bearer
from tests.programmes.conftest import apply_and_accept, open_programme
from tests.web import same_page

LISTS = ["/api/v1/articles", "/api/v1/release-notes", "/api/v1/patches", "/api/v1/recordings"]
SEARCH = "/api/v1/search"
MADE_UP_PRODUCT = "Orbit Imaginary"
MADE_UP_VERSION = "99.0"


@pytest.fixture
def drafts(app, demo_accounts):
    """Orbit ERP 12.0 in a published article; Orbit Nova, and Orbit ERP 13.0, only in drafts."""
    with app.app_context():
        write_drafts(user_by_email("staff@demo.test"))


def _answers(client, headers, field: str, value: str) -> list:
    """What search (the API, its typed form and the page) and every API list answer."""
    asked = [client.get(SEARCH, query_string={"q": "ledger", field: value}, headers=headers),
             client.get(SEARCH, query_string={"q": f'ledger {field}:"{value}"'},
                        headers=headers)]
    asked += [client.get(path, query_string={field: value}, headers=headers)
              for path in LISTS if field == "product" or path != "/api/v1/recordings"]
    return asked


def _refused_alike(client, headers, field: str, hidden: str, made_up: str) -> None:
    for secret, unknown in zip(_answers(client, headers, field, hidden),
                               _answers(client, headers, field, made_up), strict=True):
        assert secret.status_code == unknown.status_code == 422, secret.request.url
        assert secret.json == {**unknown.json, "error": unknown.json["error"].replace(
            made_up, hidden), "unknown": [hidden]}, secret.request.url
        assert secret.json["field"] == field


@pytest.mark.parametrize("reader", ["xtreme@demo.test", "elite@demo.test"])
def test_what_only_drafts_name_is_refused_as_a_made_up_value(client, api_token, drafts,
                                                             reader):
    headers = bearer(api_token(reader))
    _refused_alike(client, headers, "product", "Orbit Nova", MADE_UP_PRODUCT)
    _refused_alike(client, headers, "product", "orbit-nova", "orbit-imaginary")
    _refused_alike(client, headers, "version", "13.0", MADE_UP_VERSION)
    _refused_alike(client, headers, "version", "Orbit ERP@13.0", f"Orbit ERP@{MADE_UP_VERSION}")
    assert all(answer.status_code == 200
               for answer in _answers(client, headers, "product", "Orbit ERP")
               + _answers(client, headers, "version", "12.0"))


def test_the_search_page_refuses_a_hidden_product_as_a_made_up_one(auth, drafts):
    auth.login("elite@demo.test")
    hidden = auth.client.get("/search", query_string={"q": "ledger", "product": "Orbit Nova"})
    made_up = auth.client.get("/search", query_string={"q": "ledger",
                                                       "product": MADE_UP_PRODUCT})
    assert hidden.status_code == made_up.status_code == 422
    assert same_page(hidden.get_data().replace(b"Orbit Nova", MADE_UP_PRODUCT.encode()),
                     made_up.get_data())


def test_staff_who_see_drafts_filter_by_what_they_name(client, api_token, drafts):
    headers = bearer(api_token("staff@demo.test"))
    for answer in (_answers(client, headers, "product", "Orbit Nova")
                   + _answers(client, headers, "version", "orbit-erp@13.0")):
        assert answer.status_code == 200, (answer.request.url, answer.json)
    found = client.get(SEARCH, query_string={"q": "ledger", "product": "Orbit Nova"},
                       headers=headers).json
    assert [result["title"] for result in found["results"]] == ["Nova ledger"]
    assert client.get(SEARCH, query_string={"q": "ledger", "product": MADE_UP_PRODUCT},
                      headers=headers).status_code == 422


def _programme_patch(app) -> int:
    """A running programme whose only patch names Orbit Quantum 1.0, named by nothing else."""
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        programme = open_programme(staff)
        staged = file_store().stage(filename="beta.zip")
        staged.write(b"beta")
        draft = patches.publish_patch(staff, patches.PatchDetails(
            product="Orbit Quantum", title="Quantum ledger beta", versions=["1.0"]),
            [Upload("beta.zip", staged)], publish=False)
        programmes.keep_to_programme(staff, programme.id, "patch", draft.id, True)
        patches.publish_draft(staff, draft.id)
        return programme.id


def test_a_programme_patch_names_its_product_to_members_only(app, client, api_token,
                                                             demo_accounts):
    programme = _programme_patch(app)
    headers = bearer(api_token("elite@demo.test"))
    _refused_alike(client, headers, "product", "Orbit Quantum", MADE_UP_PRODUCT)
    _refused_alike(client, headers, "version", "Orbit Quantum@1.0",
                   f"Orbit Quantum@{MADE_UP_VERSION}")
    apply_and_accept(app, SimpleNamespace(programme=programme))
    listed = client.get("/api/v1/patches", query_string={"product": "Orbit Quantum",
                                                         "version": "1.0"}, headers=headers)
    assert listed.status_code == 200
    assert [patch["title"] for patch in listed.json["patches"]] == ["Quantum ledger beta"]
