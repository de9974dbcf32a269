"""The answers of /api/v1 incidents and support coverage."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDateTime, ResponseBody


class IncidentEntry(ResponseBody):
    """A reply on an incident (staff also see notes)."""

    id: int
    kind: str = Field(description="reply, or note (staff only)")
    body: str
    author: str | None
    from_support: bool
    created: IsoDateTime


class IncidentAttachment(ResponseBody):
    name: str
    size: int
    url: str


class Incident(ResponseBody):
    id: int
    number: int
    product: str
    version: str | None
    severity: int = Field(description="1 (highest) to 4")
    status: str
    title: str
    created: IsoDateTime
    response_due: IsoDateTime | None = Field(description="the response target, UTC")
    responded: IsoDateTime | None
    plan: str
    url: str


class IncidentWithThread(Incident):
    description: str
    contact: str
    replies: list[IncidentEntry]
    attachments: list[IncidentAttachment]


class PhoneLine(ResponseBody):
    label: str
    number: str


class ProductTarget(ResponseBody):
    product: str
    response_minutes: int | None


class SeverityCoverage(ResponseBody):
    severity: int
    name: str
    definition: str
    response_minutes: int | None
    clock: str
    hours: str
    covered_now: bool
    products: list[ProductTarget] = Field(description="products whose target differs")


class Coverage(ResponseBody):
    plan: str
    time_zone: str
    holiday_country: str | None
    phone: list[PhoneLine]
    severities: list[SeverityCoverage]
