"""The answers of /api/v1 recordings, topics, live sessions and campus."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody


class Recording(ResponseBody):
    id: int
    title: str
    summary: str
    presenter: str
    product: str | None
    topic: str
    recorded_on: IsoDate
    duration_seconds: int
    status: str
    language: str = Field(description="the transcript's and captions' language, e.g. en")
    url: str
    media_url: str | None = Field(description="the stored video, or the external address")
    watched: bool


class TranscriptSegment(ResponseBody):
    start: float = Field(description="seconds")
    end: float = Field(description="seconds")
    text: str
    url: str = Field(description="the recording's page, opened at this moment")


class RecordingAttachment(ResponseBody):
    name: str
    size: int
    url: str


class RecordingWithTranscript(Recording):
    transcript: list[TranscriptSegment]
    attachments: list[RecordingAttachment]


class Topic(ResponseBody):
    id: int
    title: str
    details: str
    product: str | None
    status: str
    votes: int
    decline_reason: str | None
    live_session_id: int | None
    recording_id: int | None
    created: IsoDateTime
    url: str


class Registration(ResponseBody):
    status: str = Field(description="confirmed or waitlisted (a cancelled session's "
                                    "registrations keep theirs: see the session's status)")
    waitlist_position: int | None
    invite_url: str | None = Field(description="the calendar invite; null on the waiting "
                                               "list, whose invite comes with the seat")


class JoinDetails(ResponseBody):
    url: str
    number: str
    password: str


class LiveSession(ResponseBody):
    id: int
    title: str
    description: str
    presenter: str
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    time_zone: str
    duration_minutes: int
    capacity: int
    seats_left: int = Field(description="0 for a cancelled session")
    join_details_from: IsoDateTime
    state: str = Field(description="registration_not_open, upcoming, registration_closed, "
                                   "in_progress, or cancelled (then status is cancelled too)")
    status: str = Field(description="scheduled or cancelled (staff called it off: nobody "
                                    "can register, and it is listed until its start)")
    cancelled_at: IsoDateTime | None
    cancellation_reason: str | None = Field(description="why staff cancelled it")
    registration_opens_at: IsoDateTime | None
    registration_closes_at: IsoDateTime
    url: str
    registration: Registration | None
    join: JoinDetails | None = Field(description="only for registered users, shortly before "
                                                 "the start")


class CampusOffer(ResponseBody):
    code: str | None = Field(description="null for staff, who have no organisation's code")
    organization: str | None
    percentage: int
    terms: str
    how_to_redeem: str
    redeem_url: str
    valid_until: IsoDate
