"""recording language: a recording says what language its transcript is in, so its captions
track carries it (srclang and label) instead of always English; every recording so far was
published as English, the portal's language

Revision ID: 0048_recording_language
Revises: 0047_idempotent_location
Create Date: 2026-12-07 13:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0048_recording_language'
down_revision = '0047_idempotent_location'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=20), server_default='en',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_column('language')
