"""The answers of /api/v1/me, /plans, /notifications and /openapi.json."""

from __future__ import annotations

from typing import Any

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody


class Organization(ResponseBody):
    name: str
    plan: str
    term_start: IsoDate
    term_end: IsoDate
    active: bool


class Me(ResponseBody):
    email: str
    name: str
    role: str
    organization: Organization | None
    features: list[str]
    time_zone: str


class PlanFeature(ResponseBody):
    key: str
    group: str
    name: str
    plans: list[str]


class Plans(ResponseBody):
    plans: list[str]
    features: list[PlanFeature]


class Notification(ResponseBody):
    id: int
    kind: str
    title: str
    url: str
    created: IsoDateTime
    read: bool


class OpenApiDocument(ResponseBody):
    """/api/v1/openapi.json itself: an OpenAPI 3.1 document."""

    openapi: str
    info: dict[str, Any]
    servers: list[dict[str, Any]]
    components: dict[str, Any]
    security: list[dict[str, Any]]
    paths: dict[str, Any]


class ApiToken(ResponseBody):
    """One of your tokens; the token itself is never shown again after it is created."""
    id: int
    name: str
    prefix: str
    created: IsoDateTime
    last_used: IsoDateTime | None
    expires: IsoDateTime | None
    expired: bool
    current: bool
