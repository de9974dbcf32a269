"""early adopter programmes (programmes, applications; patches and community spaces restricted
to one), and votes on community questions

Revision ID: 0024_early_programmes
Revises: 0023_community
Create Date: 2026-12-04 18:50:50.902383
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0024_early_programmes'
down_revision = '0023_community'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('offer', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('ended_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programmes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_programmes_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_product_id'), ['product_id'], unique=False)

    op.create_table('programme_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('applied_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_programme_applications_applied_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_programme_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_programme_applications_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_applications_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_applications')),
    sa.UniqueConstraint('programme_id', 'organization_id', name=op.f('uq_programme_applications_programme_id'))
    )
    with op.batch_alter_table('programme_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_applications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_applications_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_applications_status'), ['status'], unique=False)

    op.create_table('community_question_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value IN (-1, 1)', name=op.f('ck_community_question_votes_up_or_down')),
    sa.ForeignKeyConstraint(['question_id'], ['community_questions.id'], name=op.f('fk_community_question_votes_question_id_community_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_question_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_question_votes')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_community_question_votes_question_id'))
    )
    with op.batch_alter_table('community_question_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_question_votes_question_id'), ['question_id'], unique=False)

    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Integer(), nullable=False, server_default=sa.text('0')))

    with op.batch_alter_table('community_spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_community_spaces_programme_id'), ['programme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_community_spaces_programme_id_programmes'), 'programmes', ['programme_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('patches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_patches_programme_id'), ['programme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_patches_programme_id_programmes'), 'programmes', ['programme_id'], ['id'], ondelete='RESTRICT')



def downgrade() -> None:
    with op.batch_alter_table('patches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_patches_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_patches_programme_id'))
        batch_op.drop_column('programme_id')

    with op.batch_alter_table('community_spaces', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_community_spaces_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_community_spaces_programme_id'))
        batch_op.drop_column('programme_id')

    with op.batch_alter_table('community_questions', schema=None) as batch_op:
        batch_op.drop_column('score')

    with op.batch_alter_table('community_question_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_question_votes_question_id'))

    op.drop_table('community_question_votes')
    with op.batch_alter_table('programme_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_applications_status'))
        batch_op.drop_index(batch_op.f('ix_programme_applications_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_applications_organization_id'))

    op.drop_table('programme_applications')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_product_id'))

    op.drop_table('programmes')
