"""The answers of /api/v1/me, /plans and /notifications."""

from __future__ import annotations

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
