"""idempotency keys: when the first request committed work of its own

Revision ID: 0037_idempotency_worked_at
Revises: 0036_two_step
Create Date: 2026-12-07 05:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0037_idempotency_worked_at'
down_revision = '0036_two_step'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worked_at', kb.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_column('worked_at')
