"""community questions keep the reason staff gave when they locked them, to show beside the lock

A question locked before this keeps the reason of its last lock in the audit log.

Revision ID: 0040_question_lock_reason
Revises: 0039_outbox_body_html
Create Date: 2026-12-07 07:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0040_question_lock_reason'
down_revision = '0039_outbox_body_html'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_reason', sa.Text(), server_default='',
                                      nullable=False))
    _reasons_from_the_audit_log()


def _reasons_from_the_audit_log() -> None:
    connection = op.get_bind()
    audit = sa.table("audit_log", sa.column("id"), sa.column("action"),
                     sa.column("target_type"), sa.column("target_id"),
                     sa.column("after", sa.JSON))
    questions = sa.table("community_questions", sa.column("id"), sa.column("locked"),
                         sa.column("lock_reason"))
    locked = set(connection.scalars(sa.select(questions.c.id).where(questions.c.locked)))
    if not locked:
        return
    latest: dict[int, dict] = {}  # the last lock or unlock of each question, in order of ids
    for target_id, after in connection.execute(
            sa.select(audit.c.target_id, audit.c.after)
            .where(audit.c.target_type == "community_question",
                   audit.c.action.in_(("community.question.lock",
                                       "community.question.unlock")))
            .order_by(audit.c.id)):
        if target_id in locked:
            latest[target_id] = after or {}
    for question_id, after in latest.items():
        reason = after.get("reason") if after.get("locked") else None
        if reason:
            connection.execute(sa.update(questions).where(questions.c.id == question_id)
                               .values(lock_reason=reason))


def downgrade() -> None:
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.drop_column('lock_reason')
