"""The API reference page: the OpenAPI document of /api/v1 read for people, grouped by area,
with every operation's parameters, body fields and answers, and every answer's shape. It is
built from the same document scripts download, so it cannot drift from the routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, render_template

from kb.api.openapi import STANDARD_RESPONSES, document, kept_for_app
from kb.links import absolute_url

blueprint = Blueprint("developers", __name__)

SCHEMA_PREFIX = "#/components/schemas/"
# the JSON Schema words worth a reader's attention beside a field's type
LIMITS = {"maxLength": "up to {} characters", "maxItems": "up to {} items",
          "default": "default {}"}
AREA_NAMES = {"me": "Account", "plans": "Plans", "openapi.json": "This document"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    schema: str | None = None  # the shape it links to, if any


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    type: str = ""
    schema: str | None = None


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    public: bool
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    fields: list[Field]
    type: str  # for a shape that is not an object: what it is


def area_of(path: str) -> str:
    first = path.removeprefix("/api/v1/").split("/", 1)[0]
    return AREA_NAMES.get(first, first.replace("-", " ").capitalize())


def schema_name(schema: dict[str, Any]) -> str | None:
    """The named shape a schema is, or holds a list or an optional one of."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(SCHEMA_PREFIX)
    if schema.get("type") == "array":
        return schema_name(schema.get("items", {}))
    for choice in schema.get("anyOf", []):
        if choice.get("type") != "null":
            return schema_name(choice)
    return None


def type_text(schema: dict[str, Any]) -> str:
    """``string``, ``list of Incident``, ``integer or null``, ``one of open, closed``."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(SCHEMA_PREFIX)
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(dict.fromkeys(type_text(choice) for choice in schema["anyOf"]))
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return "list of " + type_text(schema.get("items", {}))
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def constraints_text(schema: dict[str, Any]) -> str:
    words = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        words.append(f"from {low} to {high}")
    elif low is not None or high is not None:
        words.append(f"at least {low}" if low is not None else f"at most {high}")
    if schema.get("minLength"):
        words.append("not empty" if schema["minLength"] == 1
                     else f"at least {schema['minLength']} characters")
    words += [template.format(schema[key]) for key, template in LIMITS.items()
              if schema.get(key) is not None]
    return "; ".join(words)


def described(schema: dict[str, Any], description: str = "") -> str:
    text = description or schema.get("description", "")
    rules = constraints_text(schema)
    return f"{text} ({rules})" if text and rules else text or rules


def object_fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    return [Field(name, type_text(part), name in required, described(part),
                  schema_name(part))
            for name, part in schema.get("properties", {}).items()]


def parameter_field(parameter: dict[str, Any]) -> Field:
    schema = parameter.get("schema", {})
    if parameter["in"] == "path":  # an id: its bounds are the database's, not the reader's
        return Field(parameter["name"], f"{type_text(schema)}, in the path", True,
                     parameter.get("description", ""))
    where = "query" if parameter["in"] == "query" else parameter["in"]
    return Field(parameter["name"], f"{type_text(schema)}, {where}",
                 bool(parameter.get("required")),
                 described(schema, parameter.get("description", "")))


def answer(status: str, response: dict[str, Any]) -> Answer:
    for media_type, content in response.get("content", {}).items():
        schema = content.get("schema", {})
        shown = type_text(schema) if media_type == "application/json" else media_type
        return Answer(status, response.get("description", ""), shown, schema_name(schema))
    return Answer(status, response.get("description", ""))


def operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    body = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
    return Operation(
        method=method.upper(), path=path, anchor=spec["operationId"],
        summary=spec.get("summary", ""), public=spec.get("security") == [],
        parameters=[parameter_field(item) for item in spec.get("parameters", [])],
        body=object_fields(body.get("schema", {})),
        answers=[answer(status, response)
                 for status, response in sorted(spec.get("responses", {}).items())
                 if not is_standard(status, response)])


def is_standard(status: str, response: dict[str, Any]) -> bool:
    """The 401 and 403 every signed-in operation may answer: the page says them once."""
    standard = STANDARD_RESPONSES.get(status)
    return standard is not None and response.get("description") == standard["description"]


def areas(document: dict[str, Any]) -> dict[str, list[Operation]]:
    grouped: dict[str, list[Operation]] = {}
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            grouped.setdefault(area_of(path), []).append(operation(method, path, spec))
    return dict(sorted(grouped.items()))


def shapes(document: dict[str, Any]) -> list[Shape]:
    return [Shape(name, schema.get("description", ""), object_fields(schema),
                  "" if "properties" in schema else type_text(schema))
            for name, schema in sorted(document["components"]["schemas"].items())]


def _contents() -> tuple[dict[str, list[Operation]], list[Shape]]:
    return areas(document()), shapes(document())


@blueprint.get("/developers/api")
def api_reference():
    grouped, described_shapes = kept_for_app("kb.openapi.reference", _contents)
    # the address differs per request (the host asked for, when KB_BASE_URL is unset)
    return render_template("api/reference.html", areas=grouped, shapes=described_shapes,
                           base=absolute_url("/api/v1"))
