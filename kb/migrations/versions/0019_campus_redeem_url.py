"""campus offers say where the code is used

Revision ID: 0019_campus_redeem_url
Revises: 0018_release_note_slugs
Create Date: 2026-12-03 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0019_campus_redeem_url'
down_revision = '0018_release_note_slugs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('campus_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redeem_url', sa.String(length=1000), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('campus_offers', schema=None) as batch_op:
        batch_op.drop_column('redeem_url')
