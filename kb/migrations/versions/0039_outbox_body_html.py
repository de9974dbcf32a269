"""outbox e-mail: the HTML part as the portal rendered it (an incident reply's Markdown)

Revision ID: 0039_outbox_body_html
Revises: 0038_placeholders_shown
Create Date: 2026-12-07 05:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0039_outbox_body_html'
down_revision = '0038_placeholders_shown'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), server_default='',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_column('body_html')
