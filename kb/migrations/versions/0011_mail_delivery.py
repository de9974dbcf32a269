"""e-mail delivery: outbox states, leases and idempotency keys; delivery preferences

Messages queued before this revision were never sent (nothing delivered them) and all were
account e-mails carrying a reset or invitation link: they stay queued and are marked
sensitive; each gets a Message-ID of its own.

Revision ID: 0011_mail_delivery
Revises: 0010_gates
Create Date: 2026-12-03 09:30:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0011_mail_delivery'
down_revision = '0010_gates'
branch_labels = None
depends_on = None

FILLED_COLUMNS = ('kind', 'sensitive', 'unsubscribe_url', 'status', 'attempts', 'last_error')


def upgrade() -> None:
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=False, server_default='account'))
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('sensitive', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='queued'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', kb.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', kb.db.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE outbox_emails SET status = 'sent' WHERE sent_at IS NOT NULL")
    op.execute("UPDATE outbox_emails SET next_attempt_at = created_at, "
               "message_id = '<kb-outbox-' || id || '@localhost>'")
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=255), nullable=False)
        batch_op.alter_column('next_attempt_at', existing_type=kb.db.UTCDateTime(timezone=True), nullable=False)
        for column in FILLED_COLUMNS:
            batch_op.alter_column(column, server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_emails_message_id'), ['message_id'])
        batch_op.create_index('ix_outbox_emails_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('delivery_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delivery_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_preferences')),
    sa.UniqueConstraint('user_id', 'kind', 'channel', name=op.f('uq_delivery_preferences_user_id'))
    )
    with op.batch_alter_table('delivery_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_preferences_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('delivery_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_preferences_user_id'))
    op.drop_table('delivery_preferences')
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_emails_due')
        batch_op.drop_constraint(batch_op.f('uq_outbox_emails_message_id'), type_='unique')
        for column in ('claimed_until', 'claimed_by', 'last_error', 'next_attempt_at', 'attempts',
                       'status', 'unsubscribe_url', 'sensitive', 'message_id', 'kind'):
            batch_op.drop_column(column)
