"""questions hidden when they were merged keep a moderation note, so their text stays hidden

Merging did not refuse a hidden question until a merged question's text was shown on the
question it joined. Such a duplicate kept its moderation note (showing a question clears it;
a merged one can be neither hidden nor shown), unless it was hidden without a note: those are
found by their last hide or show in the audit log and given one.

Revision ID: 0030_hidden_merged_questions
Revises: 0029_article_images
Create Date: 2026-12-06 20:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0030_hidden_merged_questions'
down_revision = '0029_article_images'
branch_labels = None
depends_on = None

NOTE = "Hidden when it was merged."


def upgrade() -> None:
    op.get_bind().execute(sa.text("""
        UPDATE community_questions SET moderation_note = :note
        WHERE status = 'merged' AND moderation_note = ''
          AND (SELECT audit_log.action FROM audit_log
               WHERE audit_log.target_type = 'community_question'
                 AND audit_log.target_id = community_questions.id
                 AND audit_log.action IN ('community.question.hide',
                                          'community.question.show')
               ORDER BY audit_log.created_at DESC, audit_log.id DESC LIMIT 1)
              = 'community.question.hide'
    """), {"note": NOTE})


def downgrade() -> None:
    pass  # the note is harmless where merged text is not shown
