"""notices: e-mail attachments, and the record that a user was told a keyed notice

Revision ID: 0013_notices
Revises: 0012_feed_tokens
Create Date: 2026-12-03 14:20:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0013_notices'
down_revision = '0012_feed_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['outbox_emails.id'], name=op.f('fk_outbox_attachments_email_id_outbox_emails'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachments'))
    )
    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachments_email_id'), ['email_id'], unique=False)
    op.create_table('told_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_told_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_told_notices')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_told_notices_user_id'))
    )
    with op.batch_alter_table('told_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_told_notices_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('told_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_told_notices_user_id'))
    op.drop_table('told_notices')
    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachments_email_id'))
    op.drop_table('outbox_attachments')
