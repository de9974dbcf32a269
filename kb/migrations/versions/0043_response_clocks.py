"""support: response clocks, one per run of an incident's response target (from its logging,
then from each reopening); existing incidents get the clock of their logging

Revision ID: 0043_response_clocks
Revises: 0042_recovery_code_lookup
Create Date: 2026-12-07 08:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0043_response_clocks'
down_revision = '0042_recovery_code_lookup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_response_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('started_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'],
                            name=op.f('fk_support_response_clocks_incident_id_support_incidents'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_response_clocks'))
    )
    with op.batch_alter_table('support_response_clocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_response_clocks_incident_id'),
                              ['incident_id'], unique=False)
    # an incident finished unanswered was withdrawn when a customer (not staff) closed it
    op.execute("""
        INSERT INTO support_response_clocks (incident_id, reason, severity, started_at, due,
            responded_at, stopped_at, withdrawn)
        SELECT i.id, 'logged', i.severity, i.created_at, i.response_due, i.responded_at,
            CASE WHEN i.responded_at IS NULL AND i.status IN ('resolved', 'closed')
                 THEN i.resolved_at END,
            CASE WHEN i.responded_at IS NULL AND i.status = 'closed' AND EXISTS (
                SELECT 1 FROM support_incident_entries e JOIN users u ON u.id = e.author_id
                WHERE e.incident_id = i.id AND e.kind = 'event'
                  AND e.body LIKE 'Status:%Closed' AND u.role NOT IN ('staff', 'admin'))
                 THEN TRUE ELSE FALSE END
        FROM support_incidents i
    """)


def downgrade() -> None:
    with op.batch_alter_table('support_response_clocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_response_clocks_incident_id'))
    op.drop_table('support_response_clocks')
