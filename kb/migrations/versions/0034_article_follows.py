"""readers who follow an article or release note

Revision ID: 0034_article_follows
Revises: 0033_imported_images
Create Date: 2026-12-07 02:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0034_article_follows'
down_revision = '0033_imported_images'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_follows_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_article_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_follows')),
    sa.UniqueConstraint('article_id', 'user_id', name=op.f('uq_article_follows_article_id'))
    )
    with op.batch_alter_table('article_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_follows_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_follows_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('article_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_article_follows_article_id'))
    op.drop_table('article_follows')
