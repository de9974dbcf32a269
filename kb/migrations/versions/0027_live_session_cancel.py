"""staff may cancel a live session, with the reason registrants are told

Revision ID: 0027_live_session_cancel
Revises: 0026_alert_text
Create Date: 2026-12-06 19:00:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0027_live_session_cancel'
down_revision = '0026_alert_text'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', kb.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancellation_reason', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')
        batch_op.drop_column('cancelled_at')
