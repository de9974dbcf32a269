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


class StaffApplication(ResponseBody):
    """An organisation's application, as staff see it."""

    id: int
    programme_id: int
    organization: str
    note: str = Field(description="the organisation's reason for applying")
    status: str = Field(description="applied, accepted or declined")
    applied: IsoDateTime
    applied_by: str | None = Field(description="e-mail of the user who applied")
    decided: IsoDateTime | None
    answer: str
