"""incident watchers: colleagues of the organisation told of an incident as its reporter is

Revision ID: 0044_incident_watchers
Revises: 0043_response_clocks
Create Date: 2026-12-07 08:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0044_incident_watchers'
down_revision = '0043_response_clocks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_incident_watchers',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'], name=op.f('fk_support_incident_watchers_incident_id_support_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_incident_watchers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'user_id', name=op.f('pk_support_incident_watchers'))
    )
    with op.batch_alter_table('support_incident_watchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_incident_watchers_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('support_incident_watchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_incident_watchers_user_id'))
    op.drop_table('support_incident_watchers')
