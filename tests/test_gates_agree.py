"""One gate per model, asked everywhere: for every gated model (articles, release notes,
patches, recordings, topic requests, live sessions, critical-issue alerts, community spaces
and questions; a patch, an article, a space and a question kept to an early-adopter
programme), items published, draft and scheduled at each minimum plan, and every kind of
reader (anonymous, each plan, lapsed, staff), the item's page, its API answer and search
(alerts: page and API) agree with ``policy.can_read``. An item a reader may not even know of
answers its page exactly as a missing one (404), and shows up nowhere."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from kb import db, gating, plans, policy
from kb.accounts.queries import user_by_email
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article
from kb.community import moderation
from kb.community import service as community
from kb.community import spaces as community_spaces
from kb.community.models import Question, Space
from kb.db import utcnow
from kb.patches import service as patches
from kb.patches.models import Patch
from kb.sessions.live import service as live
from kb.sessions.models import LiveSession, Recording, TopicRequest
from kb.sessions.recordings import service as recordings
from kb.sessions.topics import service as topics
from kb.storage import file_store
from tests.conftest import bearer, csrf_token

READERS = ("anonymous", "xtreme", "premium", "elite", "lapsed", "staff")
STATES = ("published", "draft", "scheduled")
GATED_MODELS = {Article, Patch, Recording, TopicRequest, LiveSession, Alert, Space, Question}


@dataclass
class Item:
    kind: str
    model: type
    id: int
    word: str  # a word only this item contains, to find it by search
    page: str
    api: str  # the item's API address, or a list that must (not) hold it
    missing: str  # the page address of an item that does not exist
    listed_by_id: bool = False
    searchable: bool = True  # search finds it (alerts are found through their articles)


def _word(number: int) -> str:
    letters = string.ascii_lowercase
    return "gatecheck" + letters[number // 26] + letters[number % 26]


def _patch(staff, title, word, *, min_plan, publish):
    staged = file_store().stage(filename="fix.zip")
    staged.write(word.encode())
    return patches.publish_patch(
        staff, patches.PatchDetails(product="Orbit ERP", title=title, description=word,
                                    min_plan=min_plan), [patches.Upload("fix.zip", staged)],
        publish=publish).id


def _articles(staff, words) -> list[Item]:
    made = []
    for type_ in ("article", "release-note"):
        for plan in plans.PLANS:
            for state in STATES:
                word = next(words)
                extra = {"product": "Orbit ERP", "version": "12.0"} \
                    if type_ == "release-note" else {}
                article = articles.create_article(staff, ArticleFields(
                    title=f"{type_} {plan} {state}", body=f"About {word}.", type=type_,
                    min_plan=plan, status="draft" if state == "draft" else "published",
                    publish_at=utcnow() + timedelta(days=2) if state == "scheduled" else None,
                    **extra))
                prefix = "/release-notes/" if type_ == "release-note" else "/articles/"
                made.append(Item(type_, Article, article.id, word, prefix + article.slug,
                                 f"/api/v1/articles/{article.slug}", prefix + "no-such-slug"))
    return made


def _patches(staff, words) -> list[Item]:
    made = []
    for plan in plans.PLANS:
        for state in ("published", "draft"):
            word = next(words)
            patch_id = _patch(staff, f"Patch {plan} {state}", word, min_plan=plan,
                              publish=state == "published")
            made.append(Item("patch", Patch, patch_id, word, f"/patches/{patch_id}",
                             f"/api/v1/patches/{patch_id}", "/patches/999999"))
    return made


def _sessions(staff, words) -> list[Item]:
    made = []
    for state in ("published", "draft"):
        word = next(words)
        recording = recordings.publish_recording(staff, recordings.RecordingFields(
            title=f"Recording {state}", summary=word, recorded_on=date.today(), status=state,
            external_url="https://video.example.test/r"))
        made.append(Item("recording", Recording, recording.id, word,
                         f"/sessions/recordings/{recording.id}",
                         f"/api/v1/recordings/{recording.id}", "/sessions/recordings/999999"))
    word = next(words)
    topic = topics.request_topic(user_by_email("premium@demo.test"), f"Topic {word}", word)
    made.append(Item("topic", TopicRequest, topic.id, word, f"/sessions/topics/{topic.id}",
                     "/api/v1/topics", "/sessions/topics/999999", listed_by_id=True))
    word = next(words)
    start = (utcnow() + timedelta(days=3)).replace(tzinfo=None)
    session = live.schedule_session(staff, live.LiveSessionFields(
        title="Live session", description=word, local_start=start, time_zone="UTC",
        duration_minutes=60, capacity=5))
    made.append(Item("live-session", LiveSession, session.id, word,
                     f"/sessions/live/{session.id}", "/api/v1/live-sessions",
                     "/sessions/live/999999", listed_by_id=True))
    return made


def _alerts(staff, words) -> list[Item]:
    made = []
    for plan in plans.PLANS:
        word = next(words)
        alert = critical.open_alert(staff, f"Alert {plan} {word}", word, ["Orbit ERP"],
                                    min_plan=plan)
        made.append(Item("alert", Alert, alert.id, word, f"/alerts/{alert.id}",
                         f"/api/v1/alerts/{alert.id}", "/alerts/999999", searchable=False))
    return made


def _community(staff, words) -> list[Item]:
    """A space for each lowest plan, each with a question published and one hidden by staff."""
    made = []
    for plan in plans.PLANS:
        space = community_spaces.create_space(staff, community_spaces.SpaceFields(
            name=f"Space {plan}", min_plan=plan))
        made.append(Item("space", Space, space.id, next(words), f"/community/{space.slug}",
                         f"/api/v1/community/spaces/{space.slug}", "/community/no-such-space",
                         searchable=False))
        for state in ("published", "hidden"):
            word = next(words)
            question = community.ask(staff, space, f"Question {plan} {state}", f"About {word}.")
            if state == "hidden":
                moderation.set_question_hidden(staff, question, True)
            made.append(Item("question", Question, question.id, word,
                             f"/community/questions/{question.id}",
                             f"/api/v1/community/questions/{question.id}",
                             "/community/questions/999999"))
    return made


def _programme(staff, words) -> list[Item]:
    """A running early-adopter programme the Elite organisation is in: a patch and an article
    kept to it, its members' space and a question there (everyone else may not even know of
    them)."""
    from kb.programmes import service as programmes

    today = policy.today()
    programme = programmes.open_programme(staff, programmes.ProgrammeFields(
        "Programme", "Orbit ERP", "", "", 2, today, today + timedelta(days=9)))
    word = next(words)
    patch_id = _patch(staff, "Patch programme", word, min_plan="xtreme", publish=False)
    programmes.keep_to_programme(staff, programme.id, "patch", patch_id, True)
    patches.publish_draft(staff, patch_id)
    application = programmes.apply(user_by_email("elite@demo.test"), programme.id, "")
    programmes.decide(staff, application.id, True)
    space = db.session.scalar(select(Space).where(Space.programme_id == programme.id))
    question_word = next(words)
    question = community.ask(staff, space, "Question programme", f"About {question_word}.")
    article_word = next(words)
    article = articles.create_article(staff, ArticleFields(
        title="article programme", body=f"About {article_word}.", min_plan="xtreme"),
        programme_id=programme.id)
    return [Item("patch", Patch, patch_id, word, f"/patches/{patch_id}",
                 f"/api/v1/patches/{patch_id}", "/patches/999999"),
            Item("article", Article, article.id, article_word, f"/articles/{article.slug}",
                 f"/api/v1/articles/{article.slug}", "/articles/no-such-slug"),
            Item("space", Space, space.id, next(words), f"/community/{space.slug}",
                 f"/api/v1/community/spaces/{space.slug}", "/community/no-such-space",
                 searchable=False),
            Item("question", Question, question.id, question_word,
                 f"/community/questions/{question.id}",
                 f"/api/v1/community/questions/{question.id}", "/community/questions/999999")]


@pytest.fixture
def world(app, demo_accounts, api_token):
    """Every gated item, and a client per reader (token for the API, session for pages)."""
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        words = map(_word, count())
        items = (_articles(staff, words) + _patches(staff, words) + _sessions(staff, words)
                 + _alerts(staff, words) + _community(staff, words) + _programme(staff, words))
    tokens = {reader: api_token(f"{reader}@demo.test") for reader in READERS
              if reader != "anonymous"}
    return items, tokens


def _expected(app, reader: str, item: Item) -> tuple[bool, bool]:
    """(may read, may know of) by the policy, for this reader and item."""
    with app.app_context():
        user = None if reader == "anonymous" else user_by_email(f"{reader}@demo.test")
        row = db.session.get(item.model, item.id)
        return policy.can_read(user, row), policy.may_know_of(user, row)


def _page_client(app, reader):
    client = app.test_client()
    if reader != "anonymous":
        client.post("/sign-in", data={"email": f"{reader}@demo.test",
                                      "password": "demo-password",
                                      "csrf_token": csrf_token(client, "/sign-in")})
    return client


def _api_reads(client, tokens, reader, item) -> bool:
    headers = bearer(tokens[reader]) if reader != "anonymous" else {}
    answer = client.get(item.api, headers=headers)
    if answer.status_code != 200:
        assert answer.status_code in (401, 403, 404), (item, reader, answer.status_code)
        return False
    if item.listed_by_id:
        return item.id in {entry["id"] for entry in answer.json}
    return True


def _found(client, tokens, reader, item) -> bool:
    if reader == "anonymous":
        return False
    answer = client.get("/api/v1/search", query_string={"q": item.word},
                        headers=bearer(tokens[reader]))
    if answer.status_code != 200:
        assert answer.status_code == 403 and reader == "lapsed", (reader, answer.status_code)
        return False
    keys = {result["url"].split("#")[0] for result in answer.json["results"]}
    locked = [entry["title"] for entry in answer.json["locked"]]
    hit = item.page in keys
    if not hit:
        assert not any(item.word in title for title in locked)
    return hit


def _place(response) -> str:
    """Where a response sends the reader, without the query (a sign-in's ``next``)."""
    return response.headers.get("Location", "").split("?")[0]


def test_every_gated_model_is_walked():
    gated = {mapper.class_ for mapper in Article.registry.mappers
             if issubclass(mapper.class_, gating.Gated)}
    assert gated == GATED_MODELS


def test_page_api_and_search_agree_with_the_policy(app, world):
    # one world for every reader: building it (every gated item, each indexed) took longer than
    # a reader's walk; reading changes nothing another reader's answers depend on
    for reader in READERS:
        _walk_as(app, world, reader)


def _walk_as(app, world, reader: str) -> None:
    items, tokens = world
    pages, api = _page_client(app, reader), app.test_client()
    for item in items:
        may_read, may_know = _expected(app, reader, item)
        page = pages.get(item.page)
        assert (page.status_code == 200) is may_read, (reader, item, page.status_code)
        if not may_know:
            missing = pages.get(item.missing)
            assert page.status_code == missing.status_code, (reader, item, page.status_code)
            assert _place(page) == _place(missing), (reader, item)
        if not may_read:
            assert item.word not in page.get_data(as_text=True), (reader, item)
        assert _api_reads(api, tokens, reader, item) is may_read, (reader, item)
        if item.searchable:
            assert _found(api, tokens, reader, item) is may_read, (reader, item)
