"""Every JSON request body of /api/v1, refused in each way a client can get it wrong: not JSON,
not an object, a required field missing, a value of the wrong type, a string over its limit.
Each answers 422 with the contract's ``{"error": ...}`` alone, never a server error, and the
list below covers every body the OpenAPI document describes."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.robustness.test_api_schema import api_token

pytestmark = pytest.mark.xdist_group("demo_app")

QUESTION = "{question}"
ANSWER = "{answer}"  # one the caller may read now: other tests of the shared portal hide some
# (method, path in the document, path to call, a body the document allows)
BODIES = [
    ("post", "/api/v1/topics", "/api/v1/topics",
     {"title": "A topic", "details": "", "product": ""}),
    ("post", "/api/v1/alerts/subscriptions", "/api/v1/alerts/subscriptions",
     {"product": "Orbit ERP", "version": "12.0"}),
    ("post", "/api/v1/incidents", "/api/v1/incidents",
     {"product": "Orbit ERP", "version": "12.0", "severity": 2, "title": "Slow posting",
      "description": "It is slow.", "contact": "me"}),
    ("post", "/api/v1/incidents/{incident_id}/replies", "/api/v1/incidents/1/replies",
     {"body": "More detail."}),
    ("post", "/api/v1/elite/special-events", "/api/v1/elite/special-events",
     {"weekend": "2027-05-01", "product": "Orbit ERP", "notes": "Go-live"}),
    ("post", "/api/v1/community/questions", "/api/v1/community/questions",
     {"space": "orbit-erp", "title": "A question title", "body": "Why?"}),
    ("post", "/api/v1/community/questions/{question_id}/answers",
     f"/api/v1/community/questions/{QUESTION}/answers", {"body": "Because."}),
    ("put", "/api/v1/community/answers/{answer_id}/vote",
     f"/api/v1/community/answers/{ANSWER}/vote", {"value": 1}),
    ("put", "/api/v1/community/questions/{question_id}/vote",
     f"/api/v1/community/questions/{QUESTION}/vote", {"value": 1}),
    ("post", "/api/v1/programmes/{programme_id}/applications",
     "/api/v1/programmes/1/applications", {"note": "We run 12.0 in three plants."}),
    ("put", "/api/v1/community/questions/{question_id}/accepted-answer",
     f"/api/v1/community/questions/{QUESTION}/accepted-answer", {"answer_id": None}),
    ("post", "/api/v1/programmes/applications/{application_id}/decision",
     "/api/v1/programmes/applications/1/decision", {"decision": "accept", "answer": "Welcome."}),
]
# bodies only staff send (a customer's is refused before it is read)
STAFF_BODIES = {"/api/v1/programmes/applications/{application_id}/decision"}
WRONG_TYPES = {"string": [5, True, None, ["x"], {"x": "y"}], "integer": ["1", 1.5, True, None]}


@pytest.fixture(scope="module")
def elite(demo_app):
    client = demo_app.test_client()
    headers = bearer(api_token(demo_app, "elite@demo.test"))
    question = client.get("/api/v1/community/questions", headers=headers).json[0]["id"]
    return client, headers, str(question)


def _readable_answer(client, headers) -> str:
    for question in client.get("/api/v1/community/questions", headers=headers).json:
        answers = client.get(f"/api/v1/community/questions/{question['id']}",
                             headers=headers).json["answer_list"]
        if answers:
            return str(answers[0]["id"])
    raise AssertionError("the demo portal has no answer the caller may read")


@pytest.fixture(scope="module")
def document(elite):
    client, headers, _ = elite
    return client.get("/api/v1/openapi.json", headers=headers).json


def _schema(document, method: str, path: str) -> dict:
    body = document["paths"][path][method]["requestBody"]
    return body["content"]["application/json"]["schema"]


def _types(spec: dict) -> list[str]:
    return [option["type"] for option in spec.get("anyOf", [spec])]


def malformed(schema: dict, valid: dict):
    """(what is wrong, body) pairs; a body given as ``bytes`` is sent as it is."""
    yield "not JSON", b'{"title": '
    yield "an array", b"[1, 2]"
    yield "a string", b'"text"'
    for name in schema.get("required", []):
        yield f"{name} missing", {key: value for key, value in valid.items() if key != name}
    for name, spec in schema["properties"].items():
        for kind in set(_types(spec)) - {"null"}:
            for wrong in WRONG_TYPES[kind]:
                if not (wrong is None and "null" in _types(spec)):
                    yield f"{name} = {wrong!r}", {**valid, name: wrong}
        limit = spec.get("maxLength") or max(
            (option.get("maxLength", 0) for option in spec.get("anyOf", [])), default=0)
        if limit:
            yield f"{name} over {limit}", {**valid, name: "x" * (limit + 1)}


def test_the_list_covers_every_documented_request_body(document):
    described = {(method, path) for path, operations in document["paths"].items()
                 for method, operation in operations.items()
                 if "application/json" in operation.get("requestBody", {}).get("content", {})}
    assert described == {(method, path) for method, path, _, _ in BODIES}


@pytest.mark.parametrize("method, path, target, valid", BODIES, ids=[b[1] for b in BODIES])
def test_malformed_bodies_get_422_with_the_contracts_error(demo_app, elite, document, method,
                                                           path, target, valid):
    client, headers, question = elite
    if path in STAFF_BODIES:
        headers = bearer(api_token(demo_app, "staff@demo.test"))
    target = target.replace(QUESTION, question)
    if ANSWER in target:
        target = target.replace(ANSWER, _readable_answer(client, headers))
    schema = _schema(document, method, path)
    cases = list(malformed(schema, valid))
    assert len(cases) > 5
    for problem, body in cases:
        if isinstance(body, bytes):
            response = client.open(target, method=method, headers=headers, data=body,
                                   content_type="application/json")
        else:
            response = client.open(target, method=method, headers=headers, json=body)
        assert response.status_code == 422, (problem, response.status_code, response.text)
        assert response.is_json and set(response.json) == {"error"}, problem
        assert response.json["error"][-1] in ".?", (problem, response.json)


def test_a_body_nested_too_deeply_is_refused_not_a_server_error(elite):
    client, headers, _ = elite
    deep = b'{"product": "Orbit ERP", "version": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = client.post("/api/v1/alerts/subscriptions", headers=headers, data=deep,
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json == {"error": "The JSON body is nested too deeply."}
