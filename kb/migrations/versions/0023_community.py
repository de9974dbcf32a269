"""community: spaces, questions, answers, votes, follows

Revision ID: 0023_community
Revises: 0022_elite_services
Create Date: 2026-12-04 15:45:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0023_community'
down_revision = '0022_elite_services'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_spaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('min_plan', sa.String(length=20), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_community_spaces_product_id_products'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_spaces')),
    sa.UniqueConstraint('slug', name=op.f('uq_community_spaces_slug'))
    )
    with op.batch_alter_table('community_spaces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_spaces_product_id'), ['product_id'], unique=False)

    op.create_table('community_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('min_plan', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('moderation_note', sa.Text(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('accepted_answer_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('published', 'hidden', 'merged')", name=op.f('ck_community_questions_known_status')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_community_questions_article_id_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_community_questions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['community_questions.id'], name=op.f('fk_community_questions_merged_into_id_community_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['community_spaces.id'], name=op.f('fk_community_questions_space_id_community_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_questions'))
    )
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_questions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_questions_last_activity_at'), ['last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_questions_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_questions_status'), ['status'], unique=False)

    op.create_table('community_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('moderation_note', sa.Text(), nullable=False),
    sa.Column('outdated', sa.Boolean(), nullable=False),
    sa.Column('outdated_note', sa.String(length=500), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('published', 'hidden')", name=op.f('ck_community_answers_known_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_community_answers_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['community_questions.id'], name=op.f('fk_community_answers_question_id_community_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_answers'))
    )
    with op.batch_alter_table('community_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_answers_question_id'), ['question_id'], unique=False)
    # questions and answers name each other: the accepted answer's key comes once both exist
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_community_questions_accepted_answer_id_community_answers'), 'community_answers', ['accepted_answer_id'], ['id'], ondelete='SET NULL')

    op.create_table('community_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['community_questions.id'], name=op.f('fk_community_follows_question_id_community_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_follows')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_community_follows_question_id'))
    )
    with op.batch_alter_table('community_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_follows_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_follows_user_id'), ['user_id'], unique=False)

    op.create_table('community_answer_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value IN (-1, 1)', name=op.f('ck_community_answer_votes_up_or_down')),
    sa.ForeignKeyConstraint(['answer_id'], ['community_answers.id'], name=op.f('fk_community_answer_votes_answer_id_community_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_answer_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_answer_votes')),
    sa.UniqueConstraint('answer_id', 'user_id', name=op.f('uq_community_answer_votes_answer_id'))
    )
    with op.batch_alter_table('community_answer_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_answer_votes_answer_id'), ['answer_id'], unique=False)

    op.create_table('community_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['community_answers.id'], name=op.f('fk_community_reports_answer_id_community_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['community_questions.id'], name=op.f('fk_community_reports_question_id_community_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_reports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_reports'))
    )
    with op.batch_alter_table('community_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_reports_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_reports_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_reports_resolved_at'), ['resolved_at'], unique=False)


def downgrade() -> None:
    op.drop_table('community_reports')
    with op.batch_alter_table('community_answer_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_answer_votes_answer_id'))

    op.drop_table('community_answer_votes')
    with op.batch_alter_table('community_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_community_follows_question_id'))

    op.drop_table('community_follows')
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_community_questions_accepted_answer_id_community_answers'), type_='foreignkey')
    with op.batch_alter_table('community_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_answers_question_id'))

    op.drop_table('community_answers')
    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_questions_status'))
        batch_op.drop_index(batch_op.f('ix_community_questions_space_id'))
        batch_op.drop_index(batch_op.f('ix_community_questions_last_activity_at'))
        batch_op.drop_index(batch_op.f('ix_community_questions_created_at'))

    op.drop_table('community_questions')
    with op.batch_alter_table('community_spaces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_spaces_product_id'))

    op.drop_table('community_spaces')