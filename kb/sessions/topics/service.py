"""Topic requests: customers ask for a session on a topic and upvote others' requests; staff move
them new -> planned -> scheduled -> recorded, decline or merge them, and everyone who asked or
voted is told."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from kb import db, markdown, policy, search
from kb.accounts.models import User
from kb.alerts.dispatch import Notice, tell
from kb.db import utcnow
from kb.errors import Conflict, Invalid
from kb.forms import one_line
from kb.links import path_for
from kb.products.known import product_to_name
from kb.products.models import Product
from kb.sessions.live import notices
from kb.sessions.models import LiveSession, Recording, TopicRequest, TopicVote
from kb.sessions.topics.queries import (
    OPEN_STATUSES,
    has_voted,
    open_topic_keyed,
    open_topics_titled,
    topic_key,
    topic_url,
)

# from which statuses staff may move a request to each status
TRANSITIONS = {
    "planned": ("new",),
    "scheduled": ("new", "planned", "scheduled"),
    "recorded": ("new", "planned", "scheduled"),
    "declined": OPEN_STATUSES,
}


def request_topic(user, title: str, details: str = "", product: str = "") -> TopicRequest:
    """A customer's request for a session; the requester's own vote counts."""
    policy.require(user, TopicRequest.access_feature)
    title = one_line(title)
    if not title:
        raise Invalid("Say which topic you would like a session on.")
    if len(title) > 300 or len(details) > 10000:
        raise Invalid("Keep the title under 300 and the details under 10,000 characters.")
    named = _existing_product(user, product)
    key = topic_key(title, named.id if named else None)
    _refuse_a_duplicate(title, named)
    topic = TopicRequest(title=title, details=details.strip(), requester_id=user.id,
                         details_html=markdown.render(details.strip()).html, product=named,
                         open_key=key)
    try:
        with db.session.begin_nested():
            db.session.add(topic)
    except IntegrityError:  # asked for at this moment by someone whose request came first
        _refuse_a_duplicate(title, named)
        raise
    db.session.add(TopicVote(topic_id=topic.id, user_id=user.id))
    search.record_change("topic", topic.id)
    db.session.commit()
    return topic


class AlreadyRequested(Conflict):
    """An open request of the same title for the same product exists: vote for it instead
    (the API's 409 names it)."""

    def __init__(self, topic: TopicRequest):
        super().__init__(f"This topic has already been requested: “{topic.title}”. Vote for "
                         "it instead, so that the votes are not split.")
        self.topic = topic

    def json_fields(self) -> dict:
        return {"id": self.topic.id, "url": topic_url(self.topic)}


def _refuse_a_duplicate(title: str, product: Product | None) -> None:
    """An open request of the same title (case and spaces ignored) and product is the one to
    vote for. A request naming no product joins one of any product when none names none; one
    naming no product does not stand for every product, so it blocks no product's request."""
    existing = open_topic_keyed(topic_key(title, product.id if product else None))
    if existing is None and product is None:
        existing = next(iter(open_topics_titled(title)), None)
    if existing is not None:
        raise AlreadyRequested(existing)


def _existing_product(user, name: str) -> Product | None:
    """The named product; customers choose among the products they know, never create one."""
    if not name.strip():
        return None
    return product_to_name(user, name)


def upvote(user, topic: TopicRequest) -> None:
    """One vote per user and request (a second vote changes nothing)."""
    policy.require(user, TopicRequest.access_feature)
    if topic.status not in OPEN_STATUSES:
        raise Conflict("This request is closed for votes.")
    if not has_voted(user, topic):
        db.session.add(TopicVote(topic_id=topic.id, user_id=user.id))
        db.session.commit()


def withdraw_vote(user, topic: TopicRequest) -> None:
    """Take a vote back while the request is open (nothing happens without one); the voter is
    no longer told of its progress. The requester's own vote stays with the request."""
    policy.require(user, TopicRequest.access_feature)
    if topic.status not in OPEN_STATUSES:
        raise Conflict("This request is closed for votes.")
    if topic.requester_id == user.id:
        raise Conflict("You asked for this topic: your vote stays with it.")
    db.session.execute(delete(TopicVote).where(TopicVote.topic_id == topic.id,
                                               TopicVote.user_id == user.id))
    db.session.commit()


def _interested(topic: TopicRequest) -> list[User]:
    """The requester and every voter, once each."""
    voters = db.session.scalars(select(User).join(TopicVote, TopicVote.user_id == User.id)
                                .where(TopicVote.topic_id == topic.id).order_by(TopicVote.id))
    people = ([topic.requester] if topic.requester else []) + list(voters)
    return list({person.id: person for person in people}.values())


def _tell(topic: TopicRequest, kind: str, title: str, url_for_person, body_for_person) -> None:
    """Tell the requester and every voter (each with the link and the text meant for them)."""
    for person in _interested(topic):
        tell(person, Notice(kind, title, url_for_person(person), body=body_for_person(person),
                            product_id=topic.product_id))


def change_status(actor, topic: TopicRequest, status: str, *, reason: str = "",
                  live_session: LiveSession | None = None,
                  recording: Recording | None = None, commit: bool = True) -> None:
    """Move a request on (staff only) and tell its requester and voters. Scheduled needs the
    live session (Premium and Elite voters get its sign-up link), recorded the recording,
    declined a reason."""
    policy.require_staff(actor)
    if status not in TRANSITIONS or topic.status not in TRANSITIONS[status]:
        raise Invalid(f"A request that is {topic.status} cannot become {status}.")
    if status == "scheduled" and live_session is None:
        raise Invalid("Choose the live session that covers this topic.")
    if status == "scheduled" and live_session.is_cancelled:
        raise Invalid(f"“{live_session.title}” is cancelled: choose a session that takes place.")
    if status == "recorded" and recording is None:
        raise Invalid("Choose the recording that covers this topic.")
    if status == "recorded" and not recording.is_published:
        raise Invalid("Publish the recording first: the people told about it must be able "
                      "to watch it.")
    if status == "declined" and not reason.strip():
        raise Invalid("Give the reason for declining.")
    topic.status, topic.updated_at = status, utcnow()
    if status not in OPEN_STATUSES:  # the topic may be asked for again
        topic.open_key = None
    topic.decline_reason = reason.strip() if status == "declined" else ""
    topic.live_session = live_session if status == "scheduled" else topic.live_session
    topic.recording = recording if status == "recorded" else topic.recording
    _announce(topic, status)
    search.record_change("topic", topic.id)
    if commit:
        db.session.commit()


def _announce(topic: TopicRequest, status: str) -> None:
    yours = f"“{topic.title}”, the topic you asked for or voted for,"
    if status == "scheduled":
        _announce_scheduled(topic, yours)
    elif status == "recorded":
        recording = topic.recording
        _tell(topic, "topic.recorded", f"A recording on “{topic.title}” is ready",
              lambda person: path_for("recordings.show", recording_id=recording.id),
              lambda person: f"{yours} is covered by the recording “{recording.title}”. Watch "
                             "it, with its transcript, in the portal.")
    elif status == "planned":
        _tell(topic, "topic.planned", f"A session on “{topic.title}” is planned",
              lambda person: topic_url(topic),
              lambda person: f"Staff plan a session on {yours[:-1]}. We will tell you when it "
                             "is scheduled.")
    else:
        _tell(topic, "topic.declined", f"Your topic “{topic.title}” was declined",
              lambda person: topic_url(topic),
              lambda person: f"Staff declined the topic request {yours[:-1]}.\n\n"
                             f"Their reason: {topic.decline_reason}\n\nRelated recordings and "
                             "articles may still help; you can also request another topic.")


def _announce_scheduled(topic: TopicRequest, yours: str) -> None:
    live_session = topic.live_session
    session_url = notices.session_url(live_session)

    def may_attend(person) -> bool:
        return policy.can(person, "interactive_sessions")

    def body(person) -> str:
        scheduled = (f"{yours} is covered by the live session “{live_session.title}”.\n\n"
                     f"When: {notices.when(live_session, person)}\n\n")
        if may_attend(person):
            return scheduled + "Register on the session page: seats are limited."
        return scheduled + ("Your plan does not include taking part in live sessions; we will "
                            "tell you when its recording is ready to watch.")

    _tell(topic, "topic.scheduled", f"A live session on “{topic.title}” is scheduled",
          lambda person: session_url if may_attend(person) else topic_url(topic), body)


def session_cancelled(live_session: LiveSession) -> None:
    """The topics a cancelled live session was to cover are planned again, and everyone who
    asked or voted is told why. In the caller's transaction."""
    for topic in list(db.session.scalars(select(TopicRequest).where(
            TopicRequest.live_session_id == live_session.id,
            TopicRequest.status == "scheduled"))):
        topic.status, topic.live_session, topic.updated_at = "planned", None, utcnow()
        _tell(topic, "topic.planned", f"The live session on “{topic.title}” was cancelled",
              lambda person, topic=topic: topic_url(topic),
              lambda person, topic=topic: _planned_again(topic, live_session))
        search.record_change("topic", topic.id)


def _planned_again(topic: TopicRequest, live_session: LiveSession) -> str:
    return (f"The live session “{live_session.title}”, which was to cover “{topic.title}”, "
            f"was cancelled: {live_session.cancellation_reason}\n\nThe topic is planned again; "
            "we will tell you when a session on it is scheduled.")


def merge(actor, duplicate: TopicRequest, target: TopicRequest) -> None:
    """Fold a duplicate into ``target``: its votes (and requester) carry over without double
    votes, its text (and that of requests merged into it) is shown there, and the
    duplicate's people are told where the request lives now."""
    policy.require_staff(actor)
    if duplicate.id == target.id:
        raise Invalid("A request cannot be merged into itself.")
    if duplicate.status == "merged" or target.status == "merged":
        raise Conflict("Merge into the request that remains, not into a merged one.")
    already = set(db.session.scalars(select(TopicVote.user_id).where(
        TopicVote.topic_id == target.id)))
    for person in _interested(duplicate):
        if person.id not in already:
            db.session.add(TopicVote(topic_id=target.id, user_id=person.id))
    _tell(duplicate, "topic.merged", f"“{duplicate.title}” was merged into “{target.title}”",
          lambda person: topic_url(target),
          lambda person: f"“{duplicate.title}”, the topic you asked for or voted for, asks for "
                         f"the same as “{target.title}”, so staff merged the two. Your vote now "
                         "counts for that request; follow it there.")
    duplicate.status, duplicate.merged_into, duplicate.updated_at = "merged", target, utcnow()
    duplicate.open_key = None
    db.session.execute(update(TopicRequest).where(TopicRequest.merged_into_id == duplicate.id)
                       .values(merged_into_id=target.id))
    search.record_change("topic", duplicate.id)
    search.record_change("topic", target.id)
    db.session.commit()


