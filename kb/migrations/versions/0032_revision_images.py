"""the images each article revision was saved with, so that restoring it brings them back;
the latest revision of each article is given the images the article has now

Revision ID: 0032_revision_images
Revises: 0031_alert_issue_titles
Create Date: 2026-12-06 21:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0032_revision_images'
down_revision = '0031_alert_issue_titles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_revision_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['revision_id'], ['article_revisions.id'], name=op.f('fk_article_revision_images_revision_id_article_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_revision_images')),
    sa.UniqueConstraint('revision_id', 'name', name=op.f('uq_article_revision_images_revision_id'))
    )
    with op.batch_alter_table('article_revision_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_revision_images_revision_id'), ['revision_id'], unique=False)
    # revisions saved before this one recorded no images: the latest of each article is given
    # the images the article has now, so that it can be restored after one is removed
    op.execute(
        "INSERT INTO article_revision_images (revision_id, name, content_type, size, sha256, "
        "storage_key, width, height) "
        "SELECT r.id, i.name, i.content_type, i.size, i.sha256, i.storage_key, i.width, i.height "
        "FROM article_images i JOIN article_revisions r ON r.article_id = i.article_id "
        "WHERE r.number = (SELECT MAX(latest.number) FROM article_revisions latest "
        "WHERE latest.article_id = i.article_id)")


def downgrade() -> None:
    with op.batch_alter_table('article_revision_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_revision_images_revision_id'))
    op.drop_table('article_revision_images')
