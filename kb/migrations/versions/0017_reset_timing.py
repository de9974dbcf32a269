"""password reset requests: recorded by the request, answered by the outbox loop

Revision ID: 0017_reset_timing
Revises: 0016_delivery_preferences
Create Date: 2026-12-03 14:30:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0017_reset_timing'
down_revision = '0016_delivery_preferences'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('password_reset_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('requested_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_requests'))
    )


def downgrade() -> None:
    op.drop_table('password_reset_requests')
