"""The answers of /api/v1/programmes."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody


class Application(ResponseBody):
    status: str
    answer: str = Field(description="staff's word on the application")
    applied: IsoDateTime


class Programme(ResponseBody):
    """An early adopter programme."""

    id: int
    title: str
    product: str
    offer: str
    conditions: str
    seats: int
    seats_left: int
    opens_on: IsoDate
    ends_on: IsoDate
    state: str = Field(description="upcoming, open or ended")
    member: bool
    application: Application | None = Field(description="your organisation's; null: none")
    page_url: str
