"""Personal feeds: Atom feeds of each product's release notes, patches and critical-issue
alerts, and a calendar of the live sessions a user registered for.

Feed readers and calendars cannot sign in, so each address carries the user's feed token
(``?token=``). The token only says who is asking; what the feed holds is what that user may
read on the pages: the feed's feature through ``policy.require`` (a lapsed term, a plan without
the feature) and every row through ``gating.read_filter``. A kind of Atom feed is one function
registered with ``@feed_kind``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from feedgen.feed import FeedGenerator
from sqlalchemy import select, update

from kb import db, policy
from kb.accounts.credentials import hash_secret
from kb.accounts.models import OrganizationProduct, User
from kb.alerts.addresses import portal_name
from kb.alerts.models import FeedToken
from kb.alerts.queries import alerts_of_product
from kb.articles.models import Article
from kb.db import utcnow
from kb.errors import NotAuthenticated, NotFound
from kb.gating import read_filter
from kb.links import absolute_url, path_for
from kb.patches.models import Patch
from kb.products.known import NO_ID, hidden_product_ids
from kb.products.models import Product
from kb.sessions.live import calendar
from kb.sessions.models import LiveSession, Registration

TOKEN_PREFIX = "kbf_"
ENTRY_LIMIT = 50


class FeedTokenMissing(NotAuthenticated):
    """A feed address without a token (401: nothing in a feed is public)."""


class FeedTokenRefused(NotAuthenticated):
    """A token that is unknown, revoked or of a deactivated user."""

    status = 403


# --- tokens ----------------------------------------------------------------------------------

def active_token(user: User) -> FeedToken | None:
    """The user's feed token that is not revoked, if any."""
    return db.session.scalar(select(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None)))


def create_token(user: User) -> str:
    """A new feed token for ``user``, replacing (revoking) the one they had. The plain token
    is returned once; only its hash is kept."""
    _revoke_all(user)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(FeedToken(user_id=user.id, token_hash=hash_secret(plain), prefix=plain[:10]))
    db.session.commit()
    return plain


def revoke_token(user: User) -> None:
    """Stop every feed address that carries the user's token."""
    _revoke_all(user)
    db.session.commit()


def _revoke_all(user: User) -> None:
    db.session.execute(update(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None)).values(revoked_at=utcnow()))


def user_for_token(plain: str | None) -> User:
    """The user a feed token stands for; ``FeedTokenMissing`` or ``FeedTokenRefused`` if none."""
    if not plain:
        raise FeedTokenMissing("This feed is personal: use the address with your feed token "
                               "shown on your account's feeds page.")
    token = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == hash_secret(plain)))
    if token is None or token.revoked_at is not None:
        raise FeedTokenRefused("This feed token is not valid (it may have been revoked); "
                               "create a new one on your account's feeds page.")
    if not token.user.is_enabled:
        raise FeedTokenRefused("The feed token's user has been deactivated.")
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user


# --- Atom feeds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedEntry:
    title: str
    path: str  # the item's page, site-relative
    updated: datetime
    published: datetime | None
    summary: str


@dataclass(frozen=True)
class FeedKind:
    slug: str  # in the address: /feeds/products/<product>/<slug>.atom
    title: str
    feature: str  # the feature the whole feed needs; rows are filtered by their own gates
    entries: Callable[[Product, policy.ReadScope], list[FeedEntry]]


FEED_KINDS: dict[str, FeedKind] = {}


def feed_kind(slug: str, title: str, *, feature: str):
    """Register a function ``(product, scope) -> [FeedEntry]`` as a kind of product feed."""

    def register(entries: Callable[[Product, policy.ReadScope], list[FeedEntry]]):
        FEED_KINDS[slug] = FeedKind(slug, title, feature, entries)
        return entries

    return register


def _published(*moments: datetime | None) -> datetime | None:
    return max((moment for moment in moments if moment is not None), default=None)


@feed_kind("release-notes", "Release notes", feature="updates_and_docs")
def release_note_entries(product: Product, scope: policy.ReadScope) -> list[FeedEntry]:
    notes = db.session.scalars(
        select(Article)
        .where(Article.type == "release-note", Article.release_product_id == product.id,
               read_filter(Article, scope))
        .order_by(Article.updated_at.desc(), Article.id.desc()).limit(ENTRY_LIMIT))
    return [FeedEntry(note.title, path_for("articles.release_note", slug=note.slug),
                      note.updated_at, _published(note.published_at, note.publish_at),
                      note.summary or note.highlights)
            for note in notes]


@feed_kind("patches", "Patches", feature=Patch.access_feature)
def patch_entries(product: Product, scope: policy.ReadScope) -> list[FeedEntry]:
    patches = db.session.scalars(
        select(Patch).where(Patch.product_id == product.id, read_filter(Patch, scope))
        .order_by(Patch.updated_at.desc(), Patch.id.desc()).limit(ENTRY_LIMIT))
    return [FeedEntry(f"{patch.kind_name}: {patch.title}",
                      path_for("patches.show", patch_id=patch.id), patch.updated_at,
                      patch.published_at, patch.summary or f"Applies to {patch.applies_to_text}.")
            for patch in patches]


@feed_kind("workaround-alerts", "Critical-issue alerts", feature="workaround_alerts")
def alert_entries(product: Product, scope: policy.ReadScope) -> list[FeedEntry]:
    return [FeedEntry(f"{alert.state_name}: {alert.title}",
                      path_for("alerts.alert", alert_id=alert.id), alert.updated_at,
                      alert.created_at, alert.summary or f"Concerns {alert.applies_to_text}.")
            for alert in alerts_of_product(product.id, scope, ENTRY_LIMIT)]


def get_kind(slug: str) -> FeedKind:
    kind = FEED_KINDS.get(slug)
    if kind is None:
        raise NotFound("No such feed.")
    return kind


def product_by_slug(user: User, slug: str) -> Product:
    """The product with ``slug``, one ``user`` may learn of (``kb.products.known``): one only
    drafts name answers as one that does not exist."""
    product = db.session.scalar(select(Product).where(Product.slug == slug))
    asked = product.id if product is not None else NO_ID  # a made-up slug costs the same
    hidden = hidden_product_ids(user, {asked})
    if product is None or asked in hidden:
        raise NotFound("No such product.")
    return product


def offered_products(user: User) -> list[Product]:
    """The products whose feeds a user's feeds page lists: every product for staff, their
    organisation's products for customers (any product's address answers all the same)."""
    if policy.acts_as_staff(user):
        return list(db.session.scalars(select(Product).order_by(Product.name)))
    return list(db.session.scalars(
        select(Product).join(OrganizationProduct, OrganizationProduct.product_id == Product.id)
        .where(OrganizationProduct.organization_id == user.organization_id)
        .distinct().order_by(Product.name)))


@dataclass(frozen=True)
class ProductFeeds:
    product: Product
    addresses: list[tuple[FeedKind, str]]  # each kind with its absolute address


def product_feed_addresses(user: User, token: str) -> list[ProductFeeds]:
    """The absolute feed addresses of the products ``offered_products`` lists, with ``token``
    (the plain token just created, or a placeholder)."""
    return [ProductFeeds(product, [(kind, absolute_url(feed_path(kind, product, token)))
                                   for kind in FEED_KINDS.values()])
            for product in offered_products(user)]


def feed_path(kind: FeedKind, product: Product, token: str | None = None) -> str:
    values = {"token": token} if token else {}
    return path_for("alerts.product_feed", product_slug=product.slug, kind_slug=kind.slug,
                    **values)


def product_feed(user: User, kind: FeedKind, product: Product, token: str) -> bytes:
    """The Atom document of one kind of feed of one product, as ``user`` may read it."""
    policy.require(user, kind.feature)
    entries = kind.entries(product, policy.read_scope(user))
    generator = FeedGenerator()
    generator.id(absolute_url(feed_path(kind, product)))
    generator.title(f"{product.name}: {kind.title.lower()} ({portal_name()})")
    generator.author({"name": portal_name()})
    generator.link(href=absolute_url(feed_path(kind, product, token)), rel="self")
    generator.updated(max((entry.updated for entry in entries), default=product.created_at))
    for entry in entries:
        _add_entry(generator, entry)
    return generator.atom_str(pretty=True)


def _add_entry(generator: FeedGenerator, entry: FeedEntry) -> None:
    item = generator.add_entry(order="append")
    url = absolute_url(entry.path)
    item.id(url)
    item.title(entry.title)
    item.link(href=url, rel="alternate")
    item.updated(entry.updated)
    if entry.published is not None:
        item.published(entry.published)
    if entry.summary:
        item.summary(entry.summary)


# --- the live-sessions calendar --------------------------------------------------------------

CALENDAR_FEATURE = "interactive_sessions"


def sessions_calendar(user: User) -> bytes:
    """The calendar of the live sessions ``user`` holds a confirmed place in."""
    policy.require(user, CALENDAR_FEATURE)
    registrations = db.session.scalars(
        select(Registration).join(Registration.live_session)
        .where(Registration.user_id == user.id, Registration.status == "confirmed",
               read_filter(LiveSession, policy.read_scope(user)))
        .order_by(LiveSession.starts_at, Registration.id))
    feed = calendar.new_calendar()
    feed.add("x-wr-calname", f"{portal_name()}: your live sessions")
    feed.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for registration in registrations:
        feed.add_component(calendar.registration_event(registration, invitation=False))
    return feed.to_ical()


def calendar_path(token: str | None = None) -> str:
    return path_for("alerts.sessions_calendar", **({"token": token} if token else {}))
