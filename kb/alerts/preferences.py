"""How a user wants to be told each family of messages, per product and channel.

Channels: ``in_app`` (the notification centre), ``email`` (one e-mail per notice) and
``digest`` (the notice waits for the daily digest e-mail instead of an e-mail of its own).
A setting for one product beats the user's setting for all products, which beats the
defaults (in-app and e-mail on, digest off).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from kb import db, policy
from kb.accounts.models import User
from kb.alerts.models import DeliveryPreference, DigestItem

IN_APP, EMAIL, DIGEST = "in_app", "email", "digest"
CHANNELS = (IN_APP, EMAIL, DIGEST)
CHANNEL_NAMES = {IN_APP: "In the portal", EMAIL: "E-mail", DIGEST: "Daily digest"}
DEFAULTS = {IN_APP: True, EMAIL: True, DIGEST: False}
# the families a user can set, with what they are about (account e-mail is not configurable)
FAMILIES = {
    "alert": "Critical-issue alerts",
    "patch": "New patches",
    "release_note": "New release notes",
    "topic": "Topic request updates",
    "session": "Live sessions",
    "incident": "Incident updates",
    "community": "Community questions you follow, and moderation of your posts and reports",
    "article": "Articles you follow",
    "elite": "Customer success manager, meetings and special events",
}
# a family only some users can be told of: the feature that decides who
FAMILY_FEATURES = {"elite": "dedicated_csm"}

# (product id or None for all products, family, channel) -> enabled
Settings = Mapping[tuple[int | None, str, str], bool]


@dataclass(frozen=True)
class Route:
    """Where one notice goes."""

    in_app: bool
    email: bool  # an e-mail of its own
    digest: bool  # an entry in the next daily digest (then no e-mail of its own)


def resolved(user: User, family: str, product_id: int | None = None) -> dict[str, bool]:
    """Each channel's setting for ``family`` (and ``product_id``): most specific first."""
    rows = {(row.product_id, row.channel): row.enabled for row in db.session.scalars(
        select(DeliveryPreference).where(
            DeliveryPreference.user_id == user.id, DeliveryPreference.kind == family,
            _scopes(product_id)))}
    return {channel: rows.get((product_id, channel), rows.get((None, channel),
                                                              DEFAULTS[channel]))
            for channel in CHANNELS}


def route(user: User, family: str, product_id: int | None = None) -> Route:
    channels = resolved(user, family, product_id)
    digest = channels[DIGEST]
    return Route(in_app=channels[IN_APP], email=channels[EMAIL] and not digest, digest=digest)


def families_for(user: User) -> dict[str, str]:
    """The families the user's settings page offers: those they can be told of."""
    return {family: name for family, name in FAMILIES.items()
            if family not in FAMILY_FEATURES or policy.can(user, FAMILY_FEATURES[family])}


def settings_of(user: User) -> dict[tuple[int | None, str, str], bool]:
    """Every row the user set: (product id or None, family, channel) -> enabled."""
    return {key: row.enabled for key, row in _rows_of(user).items()}


def effective_all_products(user: User) -> dict[tuple[str, str], bool]:
    """The all-products setting of each (family, channel), defaults filled in."""
    stored = settings_of(user)
    return {(family, channel): stored.get((None, family, channel), DEFAULTS[channel])
            for family in FAMILIES for channel in CHANNELS}


def save(user: User, all_products: Mapping[tuple[str, str], bool],
         overrides: Mapping[tuple[int, str, str], bool | None], product_ids: Iterable[int]
         ) -> None:
    """Store the page's settings and commit: ``all_products`` for every (family, channel);
    ``overrides`` per (product, family, channel), None removing the override. Only the
    products in ``product_ids`` (those the page offered) are touched."""
    offered = set(product_ids)
    rows = _rows_of(user)
    for (family, channel), enabled in all_products.items():
        _set(user, None, family, channel, enabled, rows)
    for (product_id, family, channel), enabled in overrides.items():
        if product_id not in offered:
            continue
        if enabled is None:
            if (row := rows.get((product_id, family, channel))) is not None:
                db.session.delete(row)
        else:
            _set(user, product_id, family, channel, enabled, rows)
    db.session.commit()


def stop_email(user: User, family: str) -> None:
    """What a one-click unsubscribe does (commits): no e-mail and no digest entries of
    ``family`` for any product. In-app notifications stay."""
    _retrying_a_race(_turn_off_everywhere, user, family)


def stop_digest(user: User) -> None:
    """What the digest's unsubscribe link does (commits): every family and product whose
    notices went into the digest gets neither digest nor e-mail any more (unsubscribing from
    the digest must not turn into one e-mail per notice), and nothing waits for a digest."""
    _retrying_a_race(_turn_off_the_digest, user)


def _retrying_a_race(change, *arguments) -> None:
    try:
        change(*arguments)
    except IntegrityError:  # a second click at the same moment recorded it first
        db.session.rollback()
        change(*arguments)


def _turn_off_everywhere(user: User, family: str) -> None:
    rows = _rows_of(user)
    for product_id, row_family, channel in list(rows):
        if row_family == family and channel in (EMAIL, DIGEST):
            rows[(product_id, row_family, channel)].enabled = False
    for channel in (EMAIL, DIGEST):
        _set(user, None, family, channel, False, rows)
    db.session.commit()


def _turn_off_the_digest(user: User) -> None:
    rows = _rows_of(user)
    for product_id, family, channel in list(rows):
        if channel == DIGEST and rows[(product_id, family, channel)].enabled:
            for stopped in (EMAIL, DIGEST):
                _set(user, product_id, family, stopped, False, rows)
    db.session.execute(delete(DigestItem).where(DigestItem.user_id == user.id,
                                                DigestItem.digest_id.is_(None)))
    db.session.commit()


def _set(user: User, product_id: int | None, family: str, channel: str, enabled: bool,
         rows: dict | None = None) -> None:
    rows = _rows_of(user) if rows is None else rows
    row = rows.get((product_id, family, channel))
    if row is None:
        row = DeliveryPreference(user_id=user.id, product_id=product_id, kind=family,
                                 channel=channel)
        db.session.add(row)
        rows[(product_id, family, channel)] = row
    row.enabled = enabled
    db.session.flush()


def _rows_of(user: User) -> dict[tuple[int | None, str, str], DeliveryPreference]:
    return {(row.product_id, row.kind, row.channel): row for row in db.session.scalars(
        select(DeliveryPreference).where(DeliveryPreference.user_id == user.id))}


def _scopes(product_id: int | None):
    if product_id is None:
        return DeliveryPreference.product_id.is_(None)
    return or_(DeliveryPreference.product_id.is_(None),
               DeliveryPreference.product_id == product_id)
