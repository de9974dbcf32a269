"""images an article shows (``images/<name>`` in its Markdown), kept in the file store

Revision ID: 0029_article_images
Revises: 0028_patch_withdrawal
Create Date: 2026-12-06 19:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0029_article_images'
down_revision = '0028_patch_withdrawal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_images_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_article_images_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_images')),
    sa.UniqueConstraint('article_id', 'name', name=op.f('uq_article_images_article_id'))
    )
    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_images_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_images_article_id'))
    op.drop_table('article_images')
