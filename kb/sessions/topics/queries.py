"""Reading topic requests: the list, one request, votes, suggestions."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kb import db, gating, policy
from kb.links import path_for
from kb.listing import Listing
from kb.search.query import related
from kb.sessions.models import LiveSession, Recording, TopicRequest, TopicVote

OPEN_STATUSES = ("new", "planned", "scheduled")
SUGGESTION_LIMIT = 5


def list_topics(user, *, include_closed: bool = True) -> list[TopicRequest]:
    """Topic requests, most votes first (merged duplicates left out)."""
    return topic_listing(user, include_closed=include_closed).all()


def topic_listing(user, *, include_closed: bool = True) -> Listing[TopicRequest]:
    """``list_topics`` as a Listing, to read a page of it."""
    policy.require(user, TopicRequest.access_feature)
    votes = select(func.count(TopicVote.id)).where(
        TopicVote.topic_id == TopicRequest.id).scalar_subquery()
    query = select(TopicRequest).where(TopicRequest.status != "merged")
    if not include_closed:
        query = query.where(TopicRequest.status.in_(OPEN_STATUSES))
    return Listing(query.order_by(votes.desc(), TopicRequest.id.desc()))


def get_topic(user, topic_id: int) -> TopicRequest:
    return gating.readable(user, TopicRequest, topic_id, "topic request")


def recording_of(user, topic: TopicRequest) -> Recording | None:
    """The recording that covered the topic, if ``user`` may learn of it (a recording taken
    back to draft is not named)."""
    return gating.shown(user, topic.recording)


def has_voted(user, topic: TopicRequest) -> bool:
    return db.session.scalar(select(TopicVote.id).where(
        TopicVote.topic_id == topic.id, TopicVote.user_id == user.id)) is not None


def vote_count(topic: TopicRequest) -> int:
    return db.session.scalar(select(func.count(TopicVote.id)).where(
        TopicVote.topic_id == topic.id)) or 0


def merged_requests(topic: TopicRequest) -> list[TopicRequest]:
    """The duplicates merged into the request, oldest first: what they asked for stays on it."""
    return list(db.session.scalars(select(TopicRequest).where(
        TopicRequest.merged_into_id == topic.id).order_by(TopicRequest.created_at,
                                                          TopicRequest.id)))


def topics_scheduled_for(live_session: LiveSession) -> list[TopicRequest]:
    return list(db.session.scalars(select(TopicRequest).where(
        TopicRequest.live_session_id == live_session.id, TopicRequest.status == "scheduled")))


def same_title(title: str) -> str:
    """A title as duplicates are found: case and runs of white space ignored."""
    return " ".join(title.split()).casefold()


def topic_key(title: str, product_id: int | None) -> str:
    """What makes two requests the same: the title as ``same_title`` sees it and the product
    (0: none, a topic of its own beside those of each product). An open request keeps it in
    ``open_key``, which is unique."""
    return f"{product_id or 0} {same_title(title)}"


def open_topic_keyed(key: str) -> TopicRequest | None:
    return db.session.scalar(select(TopicRequest).where(TopicRequest.open_key == key))


def open_topics_titled(title: str) -> list[TopicRequest]:
    """The open requests whose title is ``title``, case and white space ignored, oldest first."""
    typed = " ".join(title.split())
    if not typed:
        return []
    # stored titles are one line already; Python compares the case (SQLite's lower() knows
    # only ASCII), SQL narrows to the titles of the same length
    candidates = db.session.scalars(select(TopicRequest).where(
        TopicRequest.status.in_(OPEN_STATUSES), func.length(TopicRequest.title) == len(typed))
        .order_by(TopicRequest.id))
    return [topic for topic in candidates if same_title(topic.title) == same_title(typed)]


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3))[:8]


def suggest_related(user, text: str) -> dict[str, list[dict]]:
    """Recordings, articles and topic requests with any of the words of ``text``, the most
    relevant first, as far as ``user`` may open them (found in the search index)."""
    policy.require(user, TopicRequest.access_feature)
    words = _words(text)
    found = related(user, " ".join(words), ("recording", "article", "topic"), SUGGESTION_LIMIT)
    exact = [{"title": topic.title, "url": topic_url(topic)}
             for topic in open_topics_titled(text)]
    answer = {"exact": exact}  # an open request of that very title: first, above the rest
    shown = {item["url"] for item in exact}
    answer.update({plural: [{"title": entry.title, "url": entry.url}
                            for entry in found[type_name] if entry.url not in shown]
                   for plural, type_name in (("recordings", "recording"),
                                             ("articles", "article"), ("topics", "topic"))})
    return answer


def topic_url(topic: TopicRequest) -> str:
    return path_for("topics.show", topic_id=topic.id)
