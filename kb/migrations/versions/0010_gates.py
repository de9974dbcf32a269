"""re-index live sessions: their gate is now the one their page has

Live sessions were indexed as Premium-only (interactive sessions) while their page is open to
every plan with recorded sessions. The gate now lives on the model; queue an index task for
every live session so that existing indexes learn it (no schema change).

Revision ID: 0010_gates
Revises: 0009_rendered_text
Create Date: 2026-12-03 10:00:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0010_gates'
down_revision = '0009_rendered_text'
branch_labels = None
depends_on = None


def upgrade() -> None:
    live_sessions = sa.table("live_sessions", sa.column("id", sa.Integer))
    index_tasks = sa.table("index_tasks", sa.column("item_type", sa.String),
                           sa.column("item_id", sa.Integer),
                           sa.column("created_at", sa.DateTime(timezone=True)),
                           sa.column("attempts", sa.Integer))
    now = datetime.now(UTC)
    op.execute(index_tasks.insert().from_select(
        ["item_type", "item_id", "created_at", "attempts"],
        sa.select(sa.literal("live-session"), live_sessions.c.id, sa.literal(now),
                  sa.literal(0))))


def downgrade() -> None:
    """Nothing to undo: the queued tasks only bring the index in step with the database."""
