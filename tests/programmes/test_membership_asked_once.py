"""A request asks for the organisation's programmes once (``kb.programmes.membership``): a
search filtered by product and version checks both values and searches with one answer,
where it used to ask three times; a write in the same session asks again."""

from __future__ import annotations

from sqlalchemy import event

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.programmes import service
from tests.programmes.conftest import apply_and_accept


def _programme_queries(app, ask) -> int:
    """How many statements ``ask()`` sends that read programme applications."""
    with app.app_context():
        engine = db.database().engine
    sent = []

    def count(_connection, _cursor, statement, *_rest) -> None:
        if "FROM programmes JOIN programme_applications" in " ".join(statement.split()):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        ask()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_a_filtered_search_asks_for_the_programmes_once(app, client, world, token_for):
    apply_and_accept(app, world)
    with app.app_context():
        articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Ledger basics", body="The ledger.", products=["Orbit ERP"],
            versions=["12.0"]))
    headers = token_for("elite")

    def search():
        answer = client.get("/api/v1/search", headers=headers, query_string={
            "q": "ledger", "product": "Orbit ERP", "version": "Orbit ERP@12.0"})
        assert answer.status_code == 200, answer.json
        assert [hit["title"] for hit in answer.json["results"]] == ["Ledger basics"]

    assert _programme_queries(app, search) == 1


def test_a_write_in_the_same_session_asks_again(app, world):
    with app.app_context():
        elite = user_by_email("elite@demo.test")
        assert policy.programmes_of(elite) == frozenset()
        application = service.apply(elite, world.programme, "We run 12.0.")
        service.decide(user_by_email("staff@demo.test"), application.id, True)
        assert policy.programmes_of(elite) == {world.programme}
        service.end_programme(user_by_email("staff@demo.test"), world.programme)
        assert policy.programmes_of(elite) == frozenset()
