"""index task ids are never reused (SQLite AUTOINCREMENT)

An applier deletes the tasks it applied by id after its index commit. SQLite gives a new row
the largest id plus one, so once the newest task was deleted, a task recorded later could get
the id of one another applier had read and was about to delete: that change never reached the
index. AUTOINCREMENT never hands out an id twice; PostgreSQL's sequences never do anyway.

Revision ID: 0006_index_task_ids
Revises: 0005_sessions
Create Date: 2026-11-26 15:10:00
"""

from alembic import op

revision = '0006_index_task_ids'
down_revision = '0005_sessions'
branch_labels = None
depends_on = None


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("index_tasks", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
