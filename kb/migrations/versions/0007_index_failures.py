"""index tasks remember when the item's documents could not be built

A task whose item cannot be turned into index documents (data no document can hold) is kept
with ``failed_at`` set: the applier removes the item's old documents, skips it from then on,
and `kb search apply|check`, `/healthz` and `kb reindex` report and retry it.

Revision ID: 0007_index_failures
Revises: 0006_index_task_ids
Create Date: 2026-12-03 09:40:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db

revision = '0007_index_failures'
down_revision = '0006_index_task_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('index_tasks', table_kwargs={"sqlite_autoincrement": True}) \
            as batch_op:
        batch_op.add_column(sa.Column('failed_at', kb.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('index_tasks', table_kwargs={"sqlite_autoincrement": True}) \
            as batch_op:
        batch_op.drop_column('failed_at')
