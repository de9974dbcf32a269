"""alerts opened by their workaround article are titled by the issue, without "Workaround:"

An alert opened by a critical article took the article's whole title, so customers read
"Workaround: X fails" beside the state "Workaround available", and in the e-mail's subject.
Alerts that still follow their article (staff did not write their words) lose the prefix.

Revision ID: 0031_alert_issue_titles
Revises: 0030_hidden_merged_questions
Create Date: 2026-12-06 22:00:00
"""

import re

from alembic import op
import sqlalchemy as sa


revision = '0031_alert_issue_titles'
down_revision = '0030_hidden_merged_questions'
branch_labels = None
depends_on = None

# as kb.alerts.alert_models.issue_title, kept here as it was when this step was written
# a colon, or a dash after a space ("Workaround-free X" is a title of its own)
WORKAROUND_PREFIX = re.compile(r"^\s*workaround(?:\s*:|\s+[\u2013\u2014-])\s*", re.IGNORECASE)


def issue_title(article_title: str) -> str:
    issue = WORKAROUND_PREFIX.sub("", article_title, count=1).strip()
    return issue[:1].upper() + issue[1:] if issue else article_title


def upgrade() -> None:
    connection = op.get_bind()
    following = connection.execute(sa.text("""
        SELECT alerts.id, articles.title FROM alerts
        JOIN articles ON articles.id = alerts.article_id
        WHERE alerts.own_text = false AND alerts.title = articles.title
    """)).all()
    for alert_id, article_title in following:
        if issue_title(article_title) != article_title:
            connection.execute(sa.text("UPDATE alerts SET title = :title WHERE id = :id"),
                               {"title": issue_title(article_title), "id": alert_id})


def downgrade() -> None:
    pass  # the issue's title reads as well under the older code
