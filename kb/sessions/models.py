"""Learning sessions: recordings with transcripts, topic requests and their votes, live
interactive sessions with registrations, and the Campus offer with each organisation's code."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.accounts.models import Organization, User
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated
from kb.products.models import Product

RECORDING_STATUSES = ("draft", "published")
TOPIC_STATUSES = ("new", "planned", "scheduled", "recorded", "declined", "merged")
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")
# a live session at a given moment (``LiveSession.state_at``); registering is possible only
# while it is "upcoming"; a cancelled session is "cancelled" whenever it was to take place
LIVE_SESSION_STATES = ("registration_not_open", "upcoming", "registration_closed",
                       "in_progress", "ended", "cancelled")
LIVE_SESSION_STATUSES = ("scheduled", "cancelled")


class Recording(Gated, Base):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # Markdown
    summary_html: Mapped[str] = mapped_column(Text, default="")  # rendered when written
    presenter: Mapped[str] = mapped_column(String(200), default="")
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True)
    topic: Mapped[str] = mapped_column(String(120), default="", index=True)
    recorded_on: Mapped[date] = mapped_column(Date, index=True)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # exactly one of the two: a file under DATA_DIR/media, or an https address elsewhere
    media_path: Mapped[str | None] = mapped_column(String(500))
    media_type: Mapped[str | None] = mapped_column(String(100))
    media_size: Mapped[int | None] = mapped_column(Integer)
    external_url: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    language: Mapped[str] = mapped_column(String(20), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product | None] = relationship()
    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="recording", cascade="all, delete-orphan",
        order_by="TranscriptSegment.position")
    attachments: Mapped[list[RecordingAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="RecordingAttachment.id")

    access_feature = "recorded_sessions"


class TranscriptSegment(Base):
    __tablename__ = "transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    recording: Mapped[Recording] = relationship(back_populates="segments")

    @property
    def start_seconds(self) -> int:
        return self.start_ms // 1000


class RecordingAttachment(Base):
    """Slides or another file that belongs to a recording."""

    __tablename__ = "recording_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordingWatch(Base):
    """A user's "watched" mark on a recording."""

    __tablename__ = "recording_watches"
    __table_args__ = (UniqueConstraint("recording_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    watched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicRequest(Gated, Base):
    """A customer's request for a session; every plan with recorded sessions reads them all
    (a merged one points to the request it was merged into)."""

    __tablename__ = "topic_requests"
    access_feature = "recorded_sessions"
    published_status = None

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="")  # the customer's Markdown
    details_html: Mapped[str] = mapped_column(Text, default="")  # rendered when written
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    live_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="SET NULL"))
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic_requests.id", ondelete="SET NULL"))
    # its topic_key while open, None once closed or merged: one open request per topic
    open_key: Mapped[str | None] = mapped_column(String(620), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product | None] = relationship()
    requester: Mapped[User | None] = relationship()
    live_session: Mapped[LiveSession | None] = relationship()
    recording: Mapped[Recording | None] = relationship()
    merged_into: Mapped[TopicRequest | None] = relationship(remote_side=[id])
    votes: Mapped[list[TopicVote]] = relationship(
        back_populates="topic", cascade="all, delete-orphan")


class TopicVote(Base):
    __tablename__ = "topic_votes"
    __table_args__ = (UniqueConstraint("topic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topic_requests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topic: Mapped[TopicRequest] = relationship(back_populates="votes")
    user: Mapped[User] = relationship()


class LiveSession(Gated, Base):
    """A live interactive session. Reading the schedule and a session's page is part of
    recorded sessions (lower plans see what they would get); registering needs
    ``interactive_sessions``, which the services ask for."""

    __tablename__ = "live_sessions"
    access_feature = "recorded_sessions"
    published_status = None

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    description_html: Mapped[str] = mapped_column(Text, default="")  # rendered when written
    presenter: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")  # the zone staff chose
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    capacity: Mapped[int] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_url: Mapped[str] = mapped_column(String(1000), default="")
    meeting_number: Mapped[str] = mapped_column(String(100), default="")
    meeting_password: Mapped[str] = mapped_column(String(100), default="")
    # how long before the start registrants see the meeting URL, number and password
    join_details_minutes: Mapped[int] = mapped_column(Integer, default=15)
    # rises whenever staff move or cancel the session, so calendars replace the old invite
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="SET NULL"))
    # set when staff cancel the session; registrations keep their status for the history
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")  # shown to registrants
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recording: Mapped[Recording | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def status(self) -> str:
        """One of ``LIVE_SESSION_STATUSES``; ``state_at`` tells where it stands in time."""
        return "cancelled" if self.is_cancelled else "scheduled"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def join_details_from(self) -> datetime:
        return self.starts_at - timedelta(minutes=self.join_details_minutes)

    @property
    def registration_closes(self) -> datetime:
        """When registration closes: the time staff set, at the latest the start."""
        return min(self.registration_closes_at or self.starts_at, self.starts_at)

    def state_at(self, now: datetime) -> str:
        """One of ``LIVE_SESSION_STATES``: what the session is at ``now``. The pages, the API
        and the registration service all ask this."""
        if self.is_cancelled:
            return "cancelled"
        if now >= self.ends_at:
            return "ended"
        if now >= self.starts_at:
            return "in_progress"
        if now >= self.registration_closes:
            return "registration_closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "registration_not_open"
        return "upcoming"


class Registration(Base):
    """One user's place in a live session: confirmed, wait-listed (with a position) or
    cancelled. One row per user and session, reused when they register again, so that the
    calendar invite keeps its UID."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("live_session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    live_session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # order on the waiting list (lowest first); None unless wait-listed
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    calendar_uid: Mapped[str] = mapped_column(String(100), unique=True)
    # rises with each change of this registration (cancel, register again)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    live_session: Mapped[LiveSession] = relationship()
    user: Mapped[User] = relationship()


class CampusOffer(Base):
    """The one current Campus learning-card discount (staff edit it in place)."""

    __tablename__ = "campus_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    percentage: Mapped[int] = mapped_column(Integer)
    terms: Mapped[str] = mapped_column(Text, default="")  # Markdown
    how_to_redeem: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # where the code is entered (the Campus shop's checkout); empty when staff gave none
    redeem_url: Mapped[str] = mapped_column(String(1000), default="")
    # both rendered when written
    terms_html: Mapped[str] = mapped_column(Text, default="")
    how_to_redeem_html: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CampusCode(Base):
    """An Elite organisation's discount code. Revoked when the organisation leaves Elite; a
    return to Elite issues a new code."""

    __tablename__ = "campus_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()


class CampusReveal(Base):
    """Who was shown a Campus code, when, and where (page or API)."""

    __tablename__ = "campus_reveals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("campus_codes.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(10))
    revealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
