"""articles restricted to one early adopter programme, as patches are (a question of a
programme's members' space turned into an article stays the programme's)

Revision ID: 0025_programme_articles
Revises: 0024_early_programmes
Create Date: 2026-12-06 08:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0025_programme_articles'
down_revision = '0024_early_programmes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_programme_id'), ['programme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_articles_programme_id_programmes'), 'programmes', ['programme_id'], ['id'], ondelete='RESTRICT')


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_articles_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_articles_programme_id'))
        batch_op.drop_column('programme_id')
