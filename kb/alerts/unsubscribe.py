"""One-click unsubscribe (RFC 8058): signed links that opt a user out of one kind of e-mail.

A link names the user and the kind and is signed with the secret key, so it works without
signing in and cannot be made for someone else or another kind. It does not expire: an
unsubscribe link in an old message must still work.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from kb import db
from kb.accounts.models import User
from kb.alerts import preferences
from kb.errors import DomainError
from kb.links import absolute_url, path_for

SALT = "kb.alerts.unsubscribe"
# the daily digest e-mail's kind: its link stops what went into the digest
DIGEST_KIND = "digest"
# what a kind of message is about, by the part of its name before the first dot
KIND_NAMES = {
    "alert": "critical-issue alerts",
    "patch": "new patches",
    "release_note": "new release notes",
    "topic": "topic request updates",
    "session": "live sessions",
    "incident": "incident updates",
    "community": "answers to community questions you follow, moderation of your posts and "
                 "of posts you reported",
    "article": "changes to articles you follow",
    "elite": "messages from your customer success manager, meetings and special events",
    DIGEST_KIND: "updates collected in the daily digest",
}


def family_of(kind: str) -> str:
    """``alert`` for ``alert.workaround``: opt-outs are per family of kinds."""
    return kind.split(".", 1)[0]


class BadUnsubscribeLink(DomainError):
    """A link that was altered, forged, or names an account that is gone (400)."""


@dataclass(frozen=True)
class Unsubscription:
    user: User
    kind: str

    @property
    def kind_name(self) -> str:
        family = self.kind.split(".")[0]
        return KIND_NAMES.get(family, family.replace("_", " "))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_url(user: User, kind: str) -> str:
    """The signed one-click link that stops e-mail of ``kind``'s family to ``user``."""
    token = _serializer().dumps({"user": user.id, "kind": family_of(kind)})
    return absolute_url(path_for("alerts.unsubscribe", token=token), for_email=True)


def read_token(token: str) -> Unsubscription:
    """The user and kind a link names; ``BadUnsubscribeLink`` when altered or stale."""
    try:
        claims = _serializer().loads(token)
    except BadSignature:
        raise BadUnsubscribeLink("This unsubscribe link is not valid. Use the link from the "
                                 "e-mail exactly as it is.") from None
    user = db.session.get(User, claims["user"])
    if user is None:
        raise BadUnsubscribeLink("This unsubscribe link names an account that no longer exists.")
    return Unsubscription(user, family_of(claims["kind"]))


def wants_email(user: User, kind: str, product_id: int | None = None) -> bool:
    """False when the user's preferences send no e-mail of its own for this kind's family
    (and product): turned off, unsubscribed, or collected in the daily digest instead."""
    return preferences.route(user, family_of(kind), product_id).email


def unsubscribe(token: str) -> Unsubscription:
    """Opt the user named by a signed link out of its kind of e-mail, for every product
    (idempotent); commits."""
    unsubscription = read_token(token)
    if unsubscription.kind == DIGEST_KIND:
        preferences.stop_digest(unsubscription.user)
    else:
        preferences.stop_email(unsubscription.user, unsubscription.kind)
    return unsubscription
