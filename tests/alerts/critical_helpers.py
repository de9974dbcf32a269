"""What the critical-alert tests share: subscribing, a critical workaround or a patch to
publish and edit, the alerts a user was told of, delivering the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.alerts import subscriptions
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article, ArticleRevision
from kb.articles.revisions import fields_of_revision
from kb.notifications import Notification
from kb.patches import service as patches
from kb.storage import file_store

ERP = "Orbit ERP"


def _subscribe(app, email: str, product: str = ERP, version: str | None = None) -> None:
    with app.app_context():
        subscriptions.subscribe(user_by_email(email), product, version)


def _lapsed_subscriber(app, customer_on, plan: str = "elite", product: str = ERP) -> str:
    """A customer who subscribed while their term ran, and whose term has ended since."""
    email = customer_on(plan)
    _subscribe(app, email, product)
    with app.app_context():
        organization = user_by_email(email).organization
        organization.term_start -= timedelta(days=400)
        organization.term_end = policy.today() - timedelta(days=1)
        db.session.commit()
    return email


def _staff():
    return user_by_email("staff@demo.test")


def _workaround(app, title="Ledger totals double after 12.0 upgrade", *, min_plan="xtreme",
                body="Set `ledger.recount` to false, then restart.", status="published",
                **fields) -> int:
    with app.app_context():
        return articles.create_article(_staff(), ArticleFields(
            title=title, body=body, kind="workaround", critical=True, min_plan=min_plan,
            products=[ERP], versions=["12.0"], status=status, **fields)).id


def _edit(app, article_id: int, **changes) -> None:
    """Save the article again through the editor's service, with ``changes``."""
    with app.app_context():
        article = db.session.get(Article, article_id)
        latest = db.session.scalar(select(ArticleRevision).where(
            ArticleRevision.article_id == article.id).order_by(ArticleRevision.number.desc()))
        fields = fields_of_revision(latest)
        for name, value in changes.items():
            setattr(fields, name, value)
        articles.update_article(_staff(), article, fields)


def _alert_notices(app, email: str) -> list[tuple[str, str]]:
    """(kind, title) of the user's alert and patch notifications, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(
            Notification.user_id == user_by_email(email).id).order_by(Notification.id))
        return [(row.kind, row.title) for row in rows]


def _deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


CONTENT = """---
title: Posting hangs on locked periods
kind: workaround
critical: true
products: [Orbit ERP]
versions: ["12.0"]
---
Unlock the period first, then post again.
"""


def _patch(app, title: str, *, min_plan="xtreme", versions=("12.0",), publish=True) -> int:
    with app.app_context():
        staged = file_store().stage(filename="fix.zip")
        staged.write(b"patch " + title.encode())
        return patches.publish_patch(_staff(), patches.PatchDetails(
            product=ERP, title=title, versions=list(versions), kind="service-pack",
            min_plan=min_plan), [patches.Upload("fix.zip", staged)], publish=publish).id


def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        return bool(db.session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))
