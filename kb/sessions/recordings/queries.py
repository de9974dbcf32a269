"""Reading recordings: what a user may watch, filter lists, attachments, watched marks."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db, gating, policy
from kb.errors import NotFound
from kb.listing import Listing
from kb.products.models import Product
from kb.products.names import slugify
from kb.sessions.models import (
    Recording,
    RecordingAttachment,
    RecordingWatch,
)


def list_recordings(user, *, product_slug: str = "", topic: str = "") -> list[Recording]:
    """The recordings ``user`` may watch, newest first, optionally of one product (by its
    slug, or its name in any case) or topic (in any case)."""
    return recording_listing(user, product_slug=product_slug, topic=topic).all()


def recording_listing(user, *, product_slug: str = "", topic: str = "") -> Listing[Recording]:
    """``list_recordings`` as a Listing, to read a page of it."""
    policy.require(user, Recording.access_feature)
    query = select(Recording).where(gating.read_filter(Recording, policy.read_scope(user))) \
        .order_by(Recording.recorded_on.desc(), Recording.id.desc())
    if product_slug:
        query = query.join(Product).where(Product.slug == slugify(product_slug))
    if topic:
        query = query.where(func.lower(Recording.topic) == topic.strip().lower())
    return Listing(query)


def topics_in_use(user) -> list[str]:
    """The topics of the recordings ``user`` may learn of, for the filter list."""
    query = select(Recording.topic).where(
        Recording.topic != "", gating.known_filter(Recording, user)).distinct().order_by(
        Recording.topic)
    return list(db.session.scalars(query))


def products_in_use(user) -> list[Product]:
    """The products of the recordings ``user`` may learn of, for the filter list."""
    named = select(Recording.product_id).where(gating.known_filter(Recording, user))
    return list(db.session.scalars(
        select(Product).where(Product.id.in_(named)).order_by(Product.name)))


def get_recording(user, recording_id: int) -> Recording:
    """The recording, if ``user`` may watch it (drafts only for staff)."""
    return gating.readable(user, Recording, recording_id, "recording")


def get_attachment(user, recording_id: int, attachment_id: int) -> RecordingAttachment:
    get_recording(user, recording_id)
    attachment = db.session.get(RecordingAttachment, attachment_id)
    if attachment is None or attachment.recording_id != recording_id:
        raise NotFound("No such attachment.")
    return attachment


def watched_ids(user) -> set[int]:
    return set(db.session.scalars(
        select(RecordingWatch.recording_id).where(RecordingWatch.user_id == user.id)))
