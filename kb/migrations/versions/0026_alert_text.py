"""an alert's own title and summary (staff wrote them: its workaround article no longer
replaces them), and the note staff typed when linking a draft workaround

Revision ID: 0026_alert_text
Revises: 0025_programme_articles
Create Date: 2026-12-06 19:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0026_alert_text'
down_revision = '0025_programme_articles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_text', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))
        batch_op.add_column(sa.Column('pending_note', sa.Text(), server_default='',
                                      nullable=False))
    # staff opened these alerts with a title and summary of their own
    op.execute("UPDATE alerts SET own_text = true WHERE id IN "
               "(SELECT alert_id FROM alert_events WHERE kind = 'opened')")


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('pending_note')
        batch_op.drop_column('own_text')
