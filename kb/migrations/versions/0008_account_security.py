"""server-side sessions, throttling counters, no session generation

Sign-out deletes its ``user_sessions`` row, so a copied session cookie stops working too; the
session generation it replaces is dropped (every browser signs in again once). Sign-in and
reset-request backoff counts attempts in ``throttles`` rows that concurrent requests lock;
``sign_in_failures`` goes.

Revision ID: 0008_account_security
Revises: 0007_index_failures
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import kb.db

revision = '0008_account_security'
down_revision = '0007_index_failures'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_user_sessions_secret_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=330), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_attempt_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttles')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_throttles_scope'))
    )
    with op.batch_alter_table('throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttles_last_attempt_at'), ['last_attempt_at'], unique=False)

    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_email'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_created_at'))
    op.drop_table('sign_in_failures')
    # SQLite (3.35+) drops a plain column in place; a batch copy of users would fight its keys
    op.drop_column('users', 'session_generation')


def downgrade() -> None:
    op.add_column('users', sa.Column('session_generation', sa.Integer(), nullable=False,
                                     server_default='1'))
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failures_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_remote_addr'), ['remote_addr'], unique=False)

    with op.batch_alter_table('throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttles_last_attempt_at'))
    op.drop_table('throttles')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_sessions_created_at'))
    op.drop_table('user_sessions')
