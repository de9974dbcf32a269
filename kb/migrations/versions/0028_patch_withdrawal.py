"""a published patch can be withdrawn: when, why, and which patch replaces it

Revision ID: 0028_patch_withdrawal
Revises: 0027_live_session_cancel
Create Date: 2026-12-06 19:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0028_patch_withdrawal'
down_revision = '0027_live_session_cancel'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('patches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', kb.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('replacement_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_patches_replacement_id_patches'), 'patches',
                                    ['replacement_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('patches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_patches_replacement_id_patches'),
                                 type_='foreignkey')
        batch_op.drop_column('replacement_id')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
