"""The OpenAPI document of /api/v1, generated from the routes and their ``documented`` notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app

from kb import plans
from kb.api import blueprint
from kb.api.idempotency import HEADER, KEY_PATTERN, REPLAYED_HEADER
from kb.api.lists import MAX_PER_PAGE
from kb.api.responses import document_schemas, respond
from kb.api.responses.accounts import OpenApiDocument
from kb.api.schemas import RequestBody, json_schema
from kb.forms import MAX_DATABASE_ID
from kb.idempotency.models import MAX_KEY_LENGTH
from kb.paging import MAX_PAGE

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "reason": {"type": "string", "description": "why: plan, term_lapsed, no_organization, "
                                                    "staff_only"},
        "feature": {"type": "string"},
        "required_plan": {"type": "string", "enum": list(plans.PLANS[1:])},
        "field": {"type": "string", "description": "the parameter or field refused"},
    },
    "required": ["error"],
}
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
STANDARD_RESPONSES = {
    "401": {"description": "No or a bad credential", "content": ERROR_CONTENT},
    "403": {"description": "The plan lacks the feature or is below the item's minimum "
                   "plan, or the term has lapsed",
            "content": ERROR_CONTENT},
}


def documented(
    summary: str,
    *,
    responses: dict[str, str] | None = None,
    parameters: list[dict[str, Any]] | None = None,
    request_body: type[RequestBody] | None = None,
    response_model: Any = None,
    media_type: str = "application/json",
    public: bool = False,
    paged: str | None = None,
    form_body: dict[str, Any] | None = None,
) -> Callable:
    """Attach the OpenAPI description of an endpoint to its view function; ``request_body`` is
    the model that also checks the body (``kb/api/schemas.py``), ``response_model`` the shape
    (a model or ``list[Model]``) of every 2xx answer with a body, the one the view answers with
    through ``respond`` (``kb/api/responses``); ``media_type`` for an answer that is not JSON;
    ``paged``: a list answered in pages ``ALWAYS``, or ``ON_REQUEST`` (``kb/api/lists.py``);
    ``form_body``: the schema of a ``multipart/form-data`` body (``kb/api/multipart.py``)."""

    def attach(view: Callable) -> Callable:
        view.openapi = {
            "summary": summary,
            "responses": responses or {"200": "OK"},
            "parameters": parameters or [],
            "request_body": json_schema(request_body) if request_body else None,
            "response_model": response_model,
            "media_type": media_type,
            "public": public,
            "paged": paged,
            "form_body": form_body,
        }
        return view

    return attach


def query_parameter(name: str, kind: str = "string", description: str = "",
                    **bounds: int) -> dict[str, Any]:
    """A query parameter; ``bounds`` are JSON Schema keywords such as ``minimum``."""
    return {"name": name, "in": "query", "required": False,
            "schema": {"type": kind, **bounds}, "description": description}


PAGE = query_parameter("page", "integer", "1-based page number; past the last, an empty page",
                       minimum=1, maximum=MAX_PAGE)
PER_PAGE = query_parameter("per_page", "integer", f"items per page, at most {MAX_PER_PAGE}",
                           minimum=1)
PRODUCT = query_parameter("product", description="a product's name or slug, in any case; "
                          "an unknown one is refused (422)")
VERSION = query_parameter("version", description="a version name, e.g. 12.0, or "
                          "product@version; one no product has is refused (422)")
LIST_RESPONSES = {"200": "OK", "422": "A bad page or per_page, or a filter value nothing can "
                                     "have (\"field\" names the filter)"}
ALWAYS, ON_REQUEST = "always", "on request"
PAGES_ON_REQUEST = ("; asked with page or per_page, one page of the list, with Link (first, "
                    "prev, next, last) and X-Total-Count headers")
PAGE_HEADERS = {
    "Link": {"description": "RFC 8288 links to the first, previous, next and last pages",
             "schema": {"type": "string"}},
    "X-Total-Count": {"description": "How many items the whole list holds",
                      "schema": {"type": "integer", "minimum": 0}},
}


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []

    def replace(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        schema = ({"type": "integer", "minimum": 0, "maximum": MAX_DATABASE_ID}
                  if converter == "int" else {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", replace, rule), parameters


NO_NOTES = {"responses": {"200": "OK"}, "parameters": [], "request_body": None,
            "response_model": None, "media_type": "application/json", "public": False,
            "paged": None, "form_body": None}


def _notes(view: Callable) -> dict[str, Any]:
    return getattr(view, "openapi", {**NO_NOTES, "summary": view.__name__})


def _response(code: str, text: str, notes: dict[str, Any],
              schemas: dict[Any, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {"description": text}
    if code.startswith("2") and code != "204":
        if notes["response_model"] is not None:
            schema = schemas[notes["response_model"]]
        elif notes["media_type"] != "application/json":
            schema = {"type": "string"}
        else:
            return response
        response["content"] = {notes["media_type"]: {"schema": schema}}
    elif code[0] in "45":  # every refusal is the same JSON shape
        response["content"] = ERROR_CONTENT
    return response


def _operation(view: Callable, path_parameters: list[dict[str, Any]],
               schemas: dict[Any, Any]) -> dict[str, Any]:
    notes = _notes(view)
    operation: dict[str, Any] = {
        "summary": notes["summary"],
        "operationId": view.__name__,
        "parameters": path_parameters + notes["parameters"],
        "responses": {code: _response(code, text, notes, schemas)
                      for code, text in notes["responses"].items()},
    }
    if "201" in operation["responses"]:
        operation["responses"]["201"]["headers"] = LOCATION
    if notes["paged"]:
        _document_pages(operation, notes["paged"])
    if getattr(view, "idempotent", False):
        _document_idempotency(operation)
    if not notes["public"]:
        operation["responses"].update(STANDARD_RESPONSES)
    else:
        operation["security"] = []
    if notes["request_body"]:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": notes["request_body"]}}}
    elif notes["form_body"]:
        operation["requestBody"] = {"required": True, "content": {
            "multipart/form-data": notes["form_body"]}}
    return operation


IDEMPOTENCY_KEY = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
               "pattern": f"^{KEY_PATTERN}$"},
    "description": "Optional; any unique value (e.g. a UUID) chosen per request. A repeat with "
                   "the same key and body within 24 hours creates nothing and answers the first "
                   f"answer again, with `{REPLAYED_HEADER}: true`. Only successful answers are "
                   "kept: after an error the key may be used again.",
}
IDEMPOTENCY_RESPONSES = {
    "400": f"{HEADER} is not 1 to {MAX_KEY_LENGTH} printable ASCII characters",
    "409": f"A request with this {HEADER} is still being processed",
    "422": f"This {HEADER} was used with another request (address or body)",
}
REPLAYED = {REPLAYED_HEADER: {
    "description": "true: a repeat of an earlier request with the same Idempotency-Key; "
                   "nothing was created", "schema": {"type": "string", "enum": ["true"]}}}


LOCATION = {"Location": {"description": "the new resource's API address, where it has one",
                         "schema": {"type": "string", "format": "uri"}}}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying with the same "
                                              "key", "schema": {"type": "integer"}}}


def _document_idempotency(operation: dict[str, Any]) -> None:
    operation["parameters"].append(IDEMPOTENCY_KEY)
    responses = operation["responses"]
    for code, response in responses.items():
        if code.startswith("2"):
            response["headers"] = {**response.get("headers", {}), **REPLAYED}
    for code, text in IDEMPOTENCY_RESPONSES.items():
        if code in responses:
            responses[code]["description"] += f"; or: {text[0].lower()}{text[1:]}"
        else:
            responses[code] = {"description": text, "content": ERROR_CONTENT}
    responses["409"]["headers"] = RETRY_AFTER


def _document_pages(operation: dict[str, Any], paged: str) -> None:
    operation["parameters"] += [PAGE, PER_PAGE]
    if paged == ON_REQUEST:
        operation["summary"] += PAGES_ON_REQUEST
    operation["responses"]["200"]["headers"] = PAGE_HEADERS
    operation["responses"].setdefault("422", {"description": "A bad page or per_page",
                                              "content": ERROR_CONTENT})


def _api_rules() -> list:
    return [rule for rule in current_app.url_map.iter_rules()
            if rule.endpoint.startswith("api.")]


def build_document() -> dict[str, Any]:
    views = [current_app.view_functions[rule.endpoint] for rule in _api_rules()]
    shapes = {_notes(view)["response_model"] for view in views} - {None}
    schemas, definitions = document_schemas(sorted(shapes, key=repr))
    paths: dict[str, dict[str, Any]] = {}
    for rule in _api_rules():
        path, path_parameters = _openapi_path(rule.rule)
        view = current_app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, path_parameters,
                                                                    schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "kb API", "version": "1"},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "kb_session"},
            },
            "schemas": {"Error": ERROR_SCHEMA, **dict(sorted(definitions.items()))},
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": dict(sorted(paths.items())),
    }


def kept_for_app(key: str, build: Callable[[], Any]) -> Any:
    """``build()``'s result, built at the first request that asks and kept with the app: for
    what depends only on its routes and their notes, fixed once it serves. (Two requests that
    meet the first time both build it; either result will do.)"""
    kept = current_app.extensions.get(key)
    if kept is None:
        kept = current_app.extensions[key] = build()
    return kept


def document() -> dict[str, Any]:
    """The app's OpenAPI document (built once; treat it as read-only)."""
    return kept_for_app("kb.openapi.document", build_document)


def _document_json() -> bytes:
    """The document as /api/v1/openapi.json sends it, checked against its shape once."""
    return respond(OpenApiDocument, document())[0].get_data()


@blueprint.get("/openapi.json")
@documented("This OpenAPI document", public=True, response_model=OpenApiDocument)
def openapi_document():
    return current_app.response_class(kept_for_app("kb.openapi.json", _document_json),
                                      mimetype="application/json")
