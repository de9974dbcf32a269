"""stored Markdown renderings redone where their source holds "<": a placeholder such as
<name> was stripped by the sanitiser (renderer version 7 shows it as typed)

Articles and patches re-render themselves when the renderer version changes; these keep the
HTML rendered when they were written. The source is kept, so nothing written was lost.

Revision ID: 0038_placeholders_shown
Revises: 0037_idempotency_worked_at
Create Date: 2026-12-07 05:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0038_placeholders_shown'
down_revision = '0037_idempotency_worked_at'
branch_labels = None
depends_on = None

# table, Markdown source, its HTML, its words for the index (or None); an incident's events
# keep no HTML (the portal writes them, and shows them as text)
RENDERED = [
    ("community_questions", "body", "body_html", "body_text"),
    ("community_answers", "body", "body_html", "body_text"),
    ("recordings", "summary", "summary_html", None),
    ("topic_requests", "details", "details_html", None),
    ("live_sessions", "description", "description_html", None),
    ("campus_offers", "terms", "terms_html", None),
    ("campus_offers", "how_to_redeem", "how_to_redeem_html", None),
    ("support_incidents", "description", "description_html", None),
    ("support_incident_entries", "body", "body_html", None),
]


def upgrade() -> None:
    from kb import markdown

    connection = op.get_bind()
    for table_name, source, rendered_html, words in RENDERED:
        columns = [sa.column("id"), sa.column(source), sa.column(rendered_html)]
        table = sa.table(table_name, *columns, *([sa.column(words)] if words else []))
        query = sa.select(table.c.id, table.c[source]).where(table.c[source].like("%<%"))
        if table_name == "support_incident_entries":
            query = query.where(sa.column("kind").in_(("reply", "note")))
        rows = connection.execute(query).all()
        for row_id, text in rows:
            try:
                rendered = markdown.render(text.strip())
            except markdown.RenderError:
                continue  # kept as it was rendered when written
            values = {rendered_html: rendered.html, **({words: rendered.text} if words else {})}
            connection.execute(sa.update(table).where(table.c.id == row_id).values(**values))


def downgrade() -> None:
    pass  # the renderings stay: an older kb shows them as they are
