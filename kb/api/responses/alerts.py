"""The answers of /api/v1/alerts and /api/v1/elite."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody


class Subscription(ResponseBody):
    id: int
    product: str
    product_slug: str
    version: str | None = Field(description="null: every version")
    created: IsoDateTime


class Alert(ResponseBody):
    id: int
    title: str
    state: str
    products: list[str]
    versions: list[str]
    updated: IsoDateTime
    url: str
    article_url: str | None
    patch_url: str | None


class AlertStep(ResponseBody):
    number: int
    kind: str
    state: str
    note: str
    created: IsoDateTime


class AlertWithHistory(Alert):
    summary: str
    history: list[AlertStep]


class Booking(ResponseBody):
    """A special event weekend."""

    id: int
    weekend: IsoDate
    sunday: IsoDate
    product: str
    notes: str
    status: str
    support_person: str | None
    created: IsoDateTime


class Manager(ResponseBody):
    name: str
    email: str


class CustomerSuccessManager(ResponseBody):
    csm: Manager | None
