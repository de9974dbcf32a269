"""user-written Markdown is rendered when written: stored HTML beside each source

Topic request details, recording summaries, live session descriptions and the Campus offer's
texts were rendered on every page view (a topic of 10,000 "[" took seconds each time). Each
source gets a column with its sanitised HTML, filled here for the rows that exist.

Revision ID: 0009_rendered_text
Revises: 0008_account_security
Create Date: 2026-12-03 10:00:00
"""

import html

import sqlalchemy as sa
from alembic import op

from kb import markdown

revision = '0009_rendered_text'
down_revision = '0008_account_security'
branch_labels = None
depends_on = None

# table: [(Markdown column, HTML column)]
RENDERED = {
    "topic_requests": [("details", "details_html")],
    "recordings": [("summary", "summary_html")],
    "live_sessions": [("description", "description_html")],
    "campus_offers": [("terms", "terms_html"), ("how_to_redeem", "how_to_redeem_html")],
}


def _rendered(text: str) -> str:
    try:
        return markdown.render(text).html
    except markdown.RenderError:  # nested too deeply: shown as the characters it is
        return f"<pre>{html.escape(text)}</pre>"


def _fill(table_name: str, source: str, target: str) -> None:
    table = sa.table(table_name, sa.column("id"), sa.column(source), sa.column(target))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c[source])).all()
    for row_id, text in rows:
        connection.execute(table.update().where(table.c.id == row_id).values(
            {target: _rendered(text or "")}))


def upgrade() -> None:
    for table_name, columns in RENDERED.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for _, target in columns:
                batch_op.add_column(sa.Column(target, sa.Text(), nullable=False,
                                              server_default=""))
        for source, target in columns:
            _fill(table_name, source, target)


def downgrade() -> None:
    for table_name, columns in RENDERED.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for _, target in columns:
                batch_op.drop_column(target)
