"""which article images an import brought in (and may remove when the content file no longer
shows them); those stored before are taken as staff's and left alone

Revision ID: 0033_imported_images
Revises: 0032_revision_images
Create Date: 2026-12-06 22:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0033_imported_images'
down_revision = '0032_revision_images'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.drop_column('imported')
