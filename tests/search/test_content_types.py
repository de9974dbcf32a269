"""Every content type reaches the same index through its document module: patches by their
fixed-issue identifiers, recordings down to the transcript moment, topic requests and live
sessions, each gated like its pages. Loaded through `kb demo`, searched through the API."""

from __future__ import annotations

import lxml.html
import pytest

from kb import create_app
from tests.conftest import (
    COMPILED_TEMPLATES,
    Auth,
    IsolatedDatabase,
    app_settings,
    bearer,
)
from tests.engines import both_search_backends

pytestmark = both_search_backends


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One installation with the whole demo for the module (the tests only read it): `kb demo`
    is the largest set-up of the suite."""
    directory = tmp_path_factory.mktemp("content-types")
    database = IsolatedDatabase(directory)
    application = create_app(app_settings(directory / "data", database.url))
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    runner = application.test_cli_runner()
    for command in (["init"], ["demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    with application.app_context():
        _publish_elite_only_patch()
    yield application
    application.extensions["kb.database"].engine.dispose()
    database.drop()


def _publish_elite_only_patch() -> None:
    """The demo gates no patch by plan (every plan has patches), so the module brings its own."""
    from kb.patches import service
    from kb.storage import Upload, file_store

    staged = file_store().stage(filename="elite-fix.zip")
    staged.write(b"elite fix")
    service.publish_patch(None, service.PatchDetails(
        product="Orbit Analytics", title="Elite-only fix", min_plan="elite",
        fixed_issues=[("ANA-9310", "Elite-only fix")]), [Upload("elite-fix.zip", staged)])


def token_for(application, email: str) -> str:
    from kb.accounts.queries import user_by_email
    from kb.accounts.tokens import create_api_token

    with application.app_context():
        return create_api_token(user_by_email(email), "test")[1]


@pytest.fixture(scope="module")
def demo_api(demo_app):
    client = demo_app.test_client()
    tokens: dict[str, str] = {}

    def search_as(email: str, query: str, **filters) -> dict:
        token = tokens.setdefault(email, token_for(demo_app, email))
        response = client.get("/api/v1/search", query_string={"q": query, **filters},
                              headers=bearer(token))
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return search_as


def _results(answer: dict, type_: str) -> list[dict]:
    return [result for result in answer["results"] if result["type"] == type_]


def test_patch_is_found_by_its_fixed_issue_identifier(demo_api):
    hits = _results(demo_api("premium@demo.test", "ERP-4802"), "patch")
    assert [hit["title"] for hit in hits] == ["Orbit ERP 12.0 service pack 1"]
    assert hits[0]["url"].startswith("/patches/")


def test_elite_only_patch_is_found_only_by_elite(demo_api):
    assert _results(demo_api("elite@demo.test", "ANA-9310"), "patch")
    assert not _results(demo_api("premium@demo.test", "ANA-9310"), "patch")
    assert _results(demo_api("xtreme@demo.test", "ANA-310"), "patch")  # the demo's hotfix


def test_transcript_hit_opens_the_recording_at_that_moment(demo_api):
    hits = _results(demo_api("xtreme@demo.test", "resubmit mapping original id"), "recording")
    assert hits and hits[0]["url"].endswith("#t=21")
    assert hits[0]["title"] == "Integration Hub 4.0: monitoring message flows"


def test_topic_requests_are_searchable(demo_api):
    hits = _results(demo_api("xtreme@demo.test", "several currencies year-end"), "topic")
    assert [hit["title"] for hit in hits] == ["Year-end closing with several currencies"]


def test_live_sessions_are_found_by_whoever_may_open_their_page(demo_api, demo_app):
    """One gate (on LiveSession): Xtreme opens the session page (registering needs Premium),
    so search finds the session for Xtreme too rather than calling it Premium-only."""
    premium = _results(demo_api("premium@demo.test", "office hours"), "live-session")
    xtreme = _results(demo_api("xtreme@demo.test", "office hours"), "live-session")
    assert premium and xtreme == premium
    auth = Auth(demo_app.test_client())
    auth.login("xtreme@demo.test")
    assert auth.client.get(xtreme[0]["url"]).status_code == 200


def test_lapsed_customer_is_told_the_term_ended(demo_app, demo_api):
    demo_api("premium@demo.test", "ERP-4802")  # the demo data is in place
    response = demo_app.test_client().get(
        "/api/v1/search", query_string={"q": "ERP-4802"},
        headers=bearer(token_for(demo_app, "lapsed@demo.test")))
    assert response.status_code == 403 and response.json["reason"] == "term_lapsed"
    assert "results" not in response.json
    page = demo_app.test_client().get(  # the page, fetched with a token: as JSON too
        "/search", query_string={"q": "ERP-4802"},
        headers=bearer(token_for(demo_app, "lapsed@demo.test")))
    assert page.status_code == 403 and page.is_json and page.json["reason"] == "term_lapsed"


def test_a_patch_is_asked_for_by_the_type_the_page_shows_it_as(demo_app, demo_api):
    auth = Auth(demo_app.test_client())
    auth.login("premium@demo.test")
    page = lxml.html.fromstring(auth.client.get("/search?q=ERP-4802").get_data(as_text=True))
    [shown] = {" ".join(meta.text_content().split()).split(" · ")[0]
               for meta in page.xpath('//a[starts-with(@href, "/patches/")]'
                                      '/ancestor::li[1]//small[@class="hit-meta"]')}
    assert shown == "Download"

    by_name = _results(demo_api("premium@demo.test", "ERP-4802 type:patch"), "patch")
    assert by_name
    for asked in ("type:download", "type:Downloads", "type:patches", 'type:"DOWNLOAD"'):
        answer = demo_api("premium@demo.test", f"ERP-4802 {asked}")
        assert answer["results"] == by_name, asked
    picked = demo_api("premium@demo.test", "ERP-4802", type=shown)
    assert picked["results"] == by_name
    listed = lxml.html.fromstring(auth.client.get("/search?q=ERP-4802+type:download").get_data(
        as_text=True))
    assert listed.xpath('//a[starts-with(@href, "/patches/")]')
