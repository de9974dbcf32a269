"""topic requests: one open request per topic (title, case and white space ignored, and
product), kept by a unique key, so two customers asking at the same moment make one request

Open requests that already repeat one another are merged as staff merge them: into the one
furthest on (scheduled, then planned, then new; the oldest of those), which gains the votes
of every requester and voter of the others; their text stays shown there. Nobody is told.

Revision ID: 0041_one_open_topic_request
Revises: 0040_question_lock_reason
Create Date: 2026-12-07 08:00:00.000000
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import kb.db


revision = '0041_one_open_topic_request'
down_revision = '0040_question_lock_reason'
branch_labels = None
depends_on = None

OPEN = ("scheduled", "planned", "new")  # furthest on first

topics = sa.table("topic_requests", sa.column("id"), sa.column("title"),
                  sa.column("product_id"), sa.column("requester_id"), sa.column("status"),
                  sa.column("merged_into_id"), sa.column("open_key"),
                  sa.column("updated_at", kb.db.UTCDateTime()))
votes = sa.table("topic_votes", sa.column("topic_id"), sa.column("user_id"),
                 sa.column("created_at", kb.db.UTCDateTime()))
index_tasks = sa.table("index_tasks", sa.column("item_type"), sa.column("item_id"),
                       sa.column("created_at", kb.db.UTCDateTime()),
                       sa.column("attempts"))


def topic_key(title: str, product_id) -> str:  # kb.sessions.topics.queries.topic_key
    return f"{product_id or 0} {' '.join(title.split()).casefold()}"


def upgrade() -> None:
    with op.batch_alter_table('topic_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_key', sa.String(length=620), nullable=True))
    connection = op.get_bind()
    same: dict[str, list] = {}
    for row in connection.execute(sa.select(topics.c.id, topics.c.title, topics.c.product_id,
                                            topics.c.status)
                                  .where(topics.c.status.in_(OPEN)).order_by(topics.c.id)):
        same.setdefault(topic_key(row.title, row.product_id), []).append(row)
    for key, rows in same.items():
        kept, *repeats = sorted(rows, key=lambda row: (OPEN.index(row.status), row.id))
        for repeat in repeats:
            _merge(connection, repeat.id, kept.id)
        connection.execute(sa.update(topics).where(topics.c.id == kept.id)
                           .values(open_key=key))
    with op.batch_alter_table('topic_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_requests_open_key'), ['open_key'],
                              unique=True)


def _merge(connection, duplicate: int, target: int) -> None:
    now = datetime.now(UTC)
    voters = set(connection.scalars(sa.select(votes.c.user_id)
                                    .where(votes.c.topic_id == target)))
    requester = connection.scalar(sa.select(topics.c.requester_id)
                                  .where(topics.c.id == duplicate))
    people = list(connection.scalars(sa.select(votes.c.user_id)
                                     .where(votes.c.topic_id == duplicate)
                                     .order_by(votes.c.user_id)))
    for person in dict.fromkeys(([requester] if requester else []) + people):
        if person not in voters:
            connection.execute(sa.insert(votes).values(topic_id=target, user_id=person,
                                                       created_at=now))
    connection.execute(sa.update(topics).where(topics.c.id == duplicate)
                       .values(status="merged", merged_into_id=target, updated_at=now))
    connection.execute(sa.update(topics).where(topics.c.merged_into_id == duplicate)
                       .values(merged_into_id=target))
    for item in (duplicate, target):  # the search index learns of it when next applied
        connection.execute(sa.insert(index_tasks).values(item_type="topic", item_id=item,
                                                         created_at=now, attempts=0))


def downgrade() -> None:
    with op.batch_alter_table('topic_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_requests_open_key'))
        batch_op.drop_column('open_key')
