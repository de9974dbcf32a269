"""release notes imported from a release-notes/ folder lose that folder from their slug
(/release-notes/release-notes/x becomes /release-notes/x); the old slug keeps redirecting

Revision ID: 0018_release_note_slugs
Revises: 0017_reset_timing
Create Date: 2026-12-03 15:00:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0018_release_note_slugs'
down_revision = '0017_reset_timing'
branch_labels = None
depends_on = None

FOLDERS = ("release-notes/", "release-note/", "releasenotes/")

articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                    sa.column("type", sa.String))
redirects = sa.table("slug_redirects", sa.column("old_slug", sa.String),
                     sa.column("article_id", sa.Integer))
index_tasks = sa.table("index_tasks", sa.column("item_type", sa.String),
                       sa.column("item_id", sa.Integer),
                       sa.column("created_at", kb.db.UTCDateTime(timezone=True)),
                       sa.column("attempts", sa.Integer))


def upgrade() -> None:
    connection = op.get_bind()
    taken = set(connection.scalars(sa.select(articles.c.slug)))
    taken |= set(connection.scalars(sa.select(redirects.c.old_slug)))
    notes = connection.execute(sa.select(articles.c.id, articles.c.slug).where(
        articles.c.type == "release-note")).all()
    for note_id, slug in notes:
        folder = next((folder for folder in FOLDERS if slug.startswith(folder)), None)
        new_slug = slug[len(folder):] if folder else ""
        if not new_slug or new_slug in taken:
            continue
        connection.execute(articles.update().where(articles.c.id == note_id)
                           .values(slug=new_slug))
        connection.execute(redirects.insert().values(old_slug=slug, article_id=note_id))
        # the search index shows the address: let it learn the new one
        connection.execute(index_tasks.insert().values(
            item_type="article", item_id=note_id, created_at=datetime.now(UTC), attempts=0))
        taken.add(new_slug)


def downgrade() -> None:
    # the new slugs are kept; their redirects still lead the old addresses to them
    pass
