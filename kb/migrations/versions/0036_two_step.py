"""two-step sign-in: a user's authenticator secret (encrypted) and recovery codes (hashed)

Revision ID: 0036_two_step
Revises: 0035_idempotency_keys
Create Date: 2026-12-07 02:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0036_two_step'
down_revision = '0035_idempotency_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('two_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.String(length=255), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_step', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_step_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_two_step')),
    sa.UniqueConstraint('user_id', name=op.f('uq_two_step_user_id'))
    )
    op.create_table('two_step_recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_step_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_two_step_recovery_codes'))
    )
    with op.batch_alter_table('two_step_recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_two_step_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('two_step_recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_two_step_recovery_codes_user_id'))
    op.drop_table('two_step_recovery_codes')
    op.drop_table('two_step')
