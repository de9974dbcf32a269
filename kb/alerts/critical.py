"""Critical-issue alerts: one alert per critical issue, moving investigating → workaround
available (a critical article) → fixed (a patch or service pack) → closed, and every step told
to the subscribers who may read it. New patches are told to their product's subscribers too.

Staff open and advance alerts on the staff pages. Publishing an article flagged ``critical``
opens (or advances) the alert of that article by itself, and so does each *substantive* update
of it: one that changes its substance, the SHA-256 of its title, rendered text, products and
versions (``substance_hash``). Saving it again unchanged, or changing only what readers do not
read (tags, summary, a typo-free re-save), tells nobody.

Every step is an ``AlertEvent`` numbered within its alert; its notice carries the key
``alert:<id>:rev:<number>``, so a user hears of each step once. Two servers announcing the
same revision at the same moment cannot both record it: the alert's row is locked while a
revision is decided, and (alert, number) is unique.

Who is told: enabled users subscribed to one of the alert's products (to every version, or a
version the alert concerns) whose access the policy grants: ``workaround_alerts`` and the
alert's minimum plan (its article's), and the article itself when there is one. A lapsed
organisation's users are told nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from kb import db, plans, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import User
from kb.alerts.alert_models import ALERT_STATES, Alert, AlertEvent, issue_title
from kb.alerts.notices import tell_subscribers
from kb.alerts.schedule import due_job
from kb.articles.models import Article
from kb.db import utcnow
from kb.errors import Conflict, DomainError, Invalid, NotFound
from kb.forms import one_line
from kb.patches.models import Patch
from kb.products import service as products
from kb.products.models import ProductVersion
from kb.products.names import slugify

# the state each staff step moves to, and the event it records
STEP_EVENTS = {"workaround": "workaround", "fixed": "fixed", "closed": "closed"}


# --- announcing critical articles ------------------------------------------------------------

def is_critical_workaround(article: Article) -> bool:
    return article.type == "article" and article.critical and article.is_published


def substance_hash(article: Article) -> str:
    """What a reader of the article reads: its title, rendered text, products and versions."""
    substance = [article.title, article.rendered_text or article.body,
                 sorted(product.name for product in article.products),
                 sorted(f"{v.product.name} {v.name}" for v in article.versions)]
    return hashlib.sha256(json.dumps(substance).encode()).hexdigest()


def announce_article(article: Article, actor: User | None = None,
                     note: str = "") -> AlertEvent | None:
    """Open or advance the alert of a published critical article, and tell its subscribers,
    when the article's substance changed since it was last told. In the caller's transaction
    (the article's save commits both); returns the event recorded, if any."""
    if not is_critical_workaround(article):
        return None
    db.session.flush()
    alert = alert_of_article(article, lock=True) or _open_alert_for(article)
    digest = substance_hash(article)
    if alert.article_hash == digest:
        return None
    first_time = alert.article_hash is None
    _take_article(alert, article, digest)
    if alert.state == "investigating":
        alert.state = "workaround"
    if first_time:
        note, alert.pending_note = note or alert.pending_note, ""
    event = record_event(alert, "workaround" if first_time else "updated", actor, note)
    if event is not None:
        tell_subscribers(alert, event)
    return event


def alert_of_article(article: Article, *, lock: bool = False) -> Alert | None:
    """The alert whose workaround ``article`` is, if any."""
    statement = select(Alert).where(Alert.article_id == article.id)
    if lock:  # a second server announcing this article waits here, then sees the first's hash
        statement = statement.with_for_update()
    return db.session.scalar(statement.execution_options(populate_existing=True))


def _open_alert_for(article: Article) -> Alert:
    """A new alert for a critical article no alert names yet; if another transaction opens it
    at this moment, theirs (once committed) is used."""
    alert = Alert(title=issue_title(article.title), summary=article.summary,
                  state="investigating", min_plan=article.min_plan, article_id=article.id)
    try:
        with db.session.begin_nested():
            db.session.add(alert)
    except IntegrityError:
        return alert_of_article(article, lock=True)
    return alert


def _take_article(alert: Alert, article: Article, digest: str) -> None:
    """The alert follows its workaround: its minimum plan, the products and versions it names
    (an article naming none leaves the alert's own), and its title and summary unless staff
    wrote the alert's own."""
    alert.article_id, alert.article_hash = article.id, digest
    if not alert.own_text:
        alert.title = issue_title(article.title)
        alert.summary = article.summary or alert.summary
    alert.min_plan = article.min_plan
    if article.products:
        alert.products = list(article.products)
        alert.versions = list(article.versions)
    alert.updated_at = utcnow()


@due_job
def announce_scheduled_workarounds(now: datetime) -> int:
    """Critical articles published for a later time are told once that time has come (their
    alert is opened, or the alert they were linked to while a draft advances)."""
    told = 0
    due = db.session.scalars(
        select(Article).outerjoin(Alert, Alert.article_id == Article.id)
        .where(Article.type == "article", Article.critical.is_(True),
               Article.status == "published", Article.publish_at.is_not(None),
               Article.publish_at <= now,
               or_(Alert.id.is_(None), Alert.article_hash.is_(None))))
    for article in list(due):
        event = announce_article(article)
        told += event.told if event else 0
    db.session.commit()
    return told


# --- staff: opening and advancing alerts -----------------------------------------------------

def open_alert(actor: User, title: str, summary: str = "", product_names: list[str] = (),
               version_names: list[str] = (), min_plan: str = plans.LOWEST_PLAN) -> Alert:
    """Open an alert under investigation and tell the subscribers of its products."""
    policy.require_staff(actor)
    title = checked_title(title)
    if not product_names:
        raise Invalid("Name at least one product the issue concerns.")
    if min_plan not in plans.PLANS:
        raise Invalid(f"Minimum plan must be one of {', '.join(plans.PLANS)}.")
    alert = Alert(title=title, summary=summary.strip(), state="investigating",
                  min_plan=min_plan, own_text=True)
    alert.products = [_existing_product(name) for name in dict.fromkeys(product_names)]
    alert.versions = [_existing_version(alert, name) for name in dict.fromkeys(version_names)]
    db.session.add(alert)
    db.session.flush()
    event = record_event(alert, "opened", actor)
    tell_subscribers(alert, event)
    record_audit(actor, "alert.open", "alert", alert.id, None,
                 {"title": alert.title, "state": alert.state})
    db.session.commit()
    return alert


def checked_title(title: str) -> str:
    """An alert's title as one line, or Invalid."""
    title = one_line(title)
    if not title:
        raise Invalid("Give the alert a title.")
    if len(title) > 500:
        raise Invalid("Keep the title under 500 characters.")
    return title


def advance(actor: User, alert_id: int, state: str, *, article_slug: str = "",
            patch_id: int | None = None, note: str = "") -> Alert:
    """Move an alert forward and tell its subscribers: to ``workaround`` with a critical
    article (a draft is linked now and the step is taken when it is published), to ``fixed``
    with a published patch or service pack, or to ``closed``."""
    policy.require_staff(actor)
    alert = locked_alert(alert_id)
    if state not in STEP_EVENTS:
        raise Invalid(f"An alert moves to one of: {', '.join(STEP_EVENTS)}.")
    if ALERT_STATES.index(state) <= ALERT_STATES.index(alert.state):
        raise Invalid(f"The alert is already {alert.state_name.lower()}; it only moves forward.")
    before = {"state": alert.state, "article_id": alert.article_id, "patch_id": alert.patch_id}
    if state == "workaround":
        _link_workaround(actor, alert, article_slug, note)
    else:
        if state == "fixed":
            alert.patch = _fixing_patch(patch_id)
        alert.state, alert.updated_at = state, utcnow()
        event = record_event(alert, STEP_EVENTS[state], actor, note)
        if event is None:
            raise Conflict("The alert changed at this moment; reload it and try again.")
        tell_subscribers(alert, event)
    record_audit(actor, f"alert.{state}", "alert", alert.id, before,
                 {"state": alert.state, "article_id": alert.article_id,
                  "patch_id": alert.patch_id})
    db.session.commit()
    return alert


def answer_alert(actor: User, alert_id: int, article: Article) -> None:
    """Make ``article`` (being saved in the editor, flagged critical) the workaround of the
    open alert staff chose, so that publishing it advances that alert instead of opening an
    alert of its own. In the caller's transaction."""
    policy.require_staff(actor)
    db.session.flush()
    alert = locked_alert(alert_id, Invalid(f"There is no alert #{alert_id}. Choose one of the "
                                           "open alerts, or none.", "answers_alert"))
    if alert.article_id == article.id:
        return
    if alert.article_id is not None or alert.state != "investigating":
        raise Invalid(f"Alert #{alert.id} has its workaround already.", "answers_alert")
    if not article.critical:
        raise Invalid("Only an article flagged as a workaround for a critical issue answers an "
                      "alert.", "critical")
    alert.article_id, alert.article_hash = _workaround_article(article.slug, alert).id, None


def _link_workaround(actor: User, alert: Alert, slug: str, note: str) -> None:
    article = _workaround_article(slug, alert)
    alert.article_id, alert.article_hash = article.id, None
    db.session.flush()
    if not is_critical_workaround(article):  # told, with the note, once it is published
        alert.pending_note = note.strip()
    announce_article(article, actor, note)


def locked_alert(alert_id: int, missing: DomainError | None = None) -> Alert:
    """The alert, locked; missing, ``missing`` raised (a 404 unless told otherwise)."""
    alert = db.session.scalar(select(Alert).where(Alert.id == alert_id).with_for_update()
                              .execution_options(populate_existing=True))
    if alert is None:
        raise missing or NotFound("No such alert.")
    return alert


def _existing_product(name: str):
    wanted = name.strip()
    product = next((p for p in products.all_products()
                    if p.name == wanted or p.slug == slugify(wanted)), None)
    if product is None:
        raise Invalid(f"Unknown product: {wanted!r}.")
    return product


def _existing_version(alert: Alert, name: str) -> ProductVersion:
    for product in alert.products:
        version = next((v for v in product.versions if v.name == name.strip()), None)
        if version is not None:
            return version
    raise Invalid(f"None of the alert's products has a version {name.strip()!r}.")


def _workaround_article(slug: str, alert: Alert) -> Article:
    article = db.session.scalar(select(Article).where(Article.slug == slug.strip(),
                                                      Article.type == "article"))
    if article is None:
        raise Invalid(f"There is no article {slug.strip()!r}.")
    if not article.critical or article.status == "archived":
        raise Invalid("The workaround must be an article flagged critical (not archived).")
    if article.programme_id is not None:
        # the alert would take the article's gate, and vanish for those it was told to
        raise Conflict("That article is kept to an early adopter programme: an alert's "
                       "workaround is for everyone the alert concerns.")
    other = alert_of_article(article)
    if other is not None and other.id != alert.id:
        raise Invalid(f"That article is already the workaround of alert #{other.id}.")
    return article


def _fixing_patch(patch_id: int | None) -> Patch:
    patch = db.session.get(Patch, patch_id) if patch_id else None
    if patch is None or patch.status != "published":
        raise Invalid("Choose the published patch or service pack that fixes the issue.")
    return patch


# --- the alert's numbered steps --------------------------------------------------------------

def record_event(alert: Alert, kind: str, actor: User | None, note: str = "") -> AlertEvent | None:
    """The alert's next numbered event; None when another transaction recorded that number at
    this moment (it tells that revision)."""
    db.session.flush()
    number = (db.session.scalar(select(func.max(AlertEvent.number))
                                .where(AlertEvent.alert_id == alert.id)) or 0) + 1
    event = AlertEvent(alert_id=alert.id, number=number, kind=kind, state=alert.state,
                       note=note.strip(), actor_id=actor.id if actor is not None else None)
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:
        return None
    return event


