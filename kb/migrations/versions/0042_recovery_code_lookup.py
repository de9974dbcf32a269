"""two-step recovery codes: the code's first characters beside its hash, so a typed code is
checked against the one stored code it can be (one hash, not one per code)

Codes stored before keep none (a hash cannot tell them) and are each checked as before, until
the user's next set.

Revision ID: 0042_recovery_code_lookup
Revises: 0041_one_open_topic_request
Create Date: 2026-12-07 08:10:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0042_recovery_code_lookup'
down_revision = '0041_one_open_topic_request'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('two_step_recovery_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lookup', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('two_step_recovery_codes', schema=None) as batch_op:
        batch_op.drop_column('lookup')
