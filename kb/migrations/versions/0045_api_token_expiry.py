"""API tokens may expire: the time after which a token no longer authenticates (null: never,
as every token made before), and when its owner was warned that it expires soon

Revision ID: 0045_api_token_expiry
Revises: 0044_incident_watchers
Create Date: 2026-12-07 11:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0045_api_token_expiry'
down_revision = '0044_incident_watchers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', kb.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('expiry_warned_at', kb.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expiry_warned_at')
        batch_op.drop_column('expires_at')
