"""Every JSON answer of /api/v1 is declared once, as a model that both writes the answer and
is its schema in /api/v1/openapi.json: each documented 2xx answer with a body names a schema,
an answer the model does not describe is refused, and times keep the format customers' scripts
parse (``isoformat()``'s ``+00:00``, never pydantic's ``Z``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from kb.api.responses import body_of
from kb.api.responses.accounts import Notification, Organization
from tests.conftest import bearer
from tests.robustness.test_api_schema import api_token

pytestmark = pytest.mark.xdist_group("demo_app")
SCHEMA_REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def document(demo_app):
    return demo_app.test_client().get("/api/v1/openapi.json").json


def _answers_with_a_body(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code, answer in operation["responses"].items():
                if code.startswith("2") and code != "204":
                    yield f"{method.upper()} {path} {code}", answer


def _named_schema(schema: dict) -> str | None:
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    ref = schema.get("$ref", "")
    return ref.removeprefix(SCHEMA_REF) if ref.startswith(SCHEMA_REF) else None


def test_every_documented_2xx_json_answer_names_a_schema(document):
    unnamed, dangling, json_answers = [], [], 0
    for label, answer in _answers_with_a_body(document):
        content = answer.get("content", {})
        if not content:
            unnamed.append(label)
        if "application/json" not in content:
            continue
        json_answers += 1
        name = _named_schema(content["application/json"]["schema"])
        if name is None:
            unnamed.append(label)
        elif name not in document["components"]["schemas"]:
            dangling.append(f"{label}: {name}")
    assert json_answers > 40
    assert unnamed == []
    assert dangling == []


def test_an_answer_the_model_does_not_describe_is_refused():
    created = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    good = {"id": 1, "kind": "k", "title": "t", "url": "", "created": created, "read": False}
    assert body_of(Notification, good)["created"] == "2026-03-01T09:30:00+00:00"
    for wrong in ({**good, "extra": 1}, {k: v for k, v in good.items() if k != "read"},
                  {**good, "read": None}, {**good, "id": "1"}):
        with pytest.raises(ValidationError):
            body_of(Notification, wrong)
    with pytest.raises(ValidationError):
        body_of(list[Notification], [good, {**good, "title": None}])


def test_dates_and_times_keep_their_isoformat(demo_app):
    organization = {"name": "A", "plan": "elite", "term_start": date(2026, 1, 31),
                    "term_end": date(2027, 1, 30), "active": True}
    assert body_of(Organization, organization)["term_start"] == "2026-01-31"
    client = demo_app.test_client()
    headers = bearer(api_token(demo_app, "elite@demo.test"))
    incidents = client.get("/api/v1/incidents", headers=headers).json
    assert incidents
    for incident in incidents:
        assert incident["created"] == datetime.fromisoformat(incident["created"]).isoformat()
        assert incident["created"].endswith("+00:00")
