"""patches: repair the fixed issues stored garbled from a Markdown list before list markers
were read ("- E-4711 lock" kept as the issue "-" with the text "E-4711 lock"), as saving the
patch's edit form repairs them (``kb.patches.details.repaired_issue``): the issue E-4711
"lock"; a marker alone goes. A line with no identifier behind its marker, which the edit form
refuses, is left for staff to correct there. The search index learns each repaired patch.

Revision ID: 0049_garbled_fixed_issues
Revises: 0048_recording_language
Create Date: 2026-12-07 17:00:00.000000
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0049_garbled_fixed_issues'
down_revision = '0048_recording_language'
branch_labels = None
depends_on = None

issues = sa.table("patch_fixed_issues", sa.column("id", sa.Integer),
                  sa.column("patch_id", sa.Integer), sa.column("identifier", sa.String),
                  sa.column("text", sa.Text))
index_tasks = sa.table("index_tasks", sa.column("item_type", sa.String),
                       sa.column("item_id", sa.Integer),
                       sa.column("created_at", kb.db.UTCDateTime(timezone=True)),
                       sa.column("attempts", sa.Integer))


def upgrade() -> None:
    from kb.errors import Invalid
    from kb.patches.details import garbled_issue, repaired_issue

    connection = op.get_bind()
    repaired_patches = set()
    for row in connection.execute(sa.select(issues).order_by(issues.c.id)).all():
        if not garbled_issue(row.identifier):
            continue
        try:
            repaired = repaired_issue(row.identifier, row.text or "")
        except Invalid:
            continue
        if repaired:
            (identifier, text), = repaired
            connection.execute(issues.update().where(issues.c.id == row.id)
                               .values(identifier=identifier, text=text))
        else:
            connection.execute(issues.delete().where(issues.c.id == row.id))
        repaired_patches.add(row.patch_id)
    for patch_id in sorted(repaired_patches):  # the index holds the issues' identifiers
        connection.execute(index_tasks.insert().values(
            item_type="patch", item_id=patch_id, created_at=datetime.now(UTC), attempts=0))


def downgrade() -> None:
    # the repaired issues stay repaired: the older code reads them as it reads any other
    pass
