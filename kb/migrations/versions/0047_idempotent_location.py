"""idempotent location: a replayed 201 carries the Location header its first answer had

Keys remembered before this keep no address; their replays answer without Location, as
before, until they expire (24 hours).

Revision ID: 0047_idempotent_location
Revises: 0046_invitation_links
Create Date: 2026-12-07 14:05:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0047_idempotent_location'
down_revision = '0046_invitation_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_column('location')
