"""invitation links: a password link says whether it was asked for (a reset, valid minutes)
or sent with an invitation (valid days), so an expired one can say which it was

Unused links of users who never chose a password were sent with their invitation (or asked
for by them before accepting it) and are marked invitations.

Revision ID: 0046_invitation_links
Revises: 0045_api_token_expiry
Create Date: 2026-12-07 10:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0046_invitation_links'
down_revision = '0045_api_token_expiry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), server_default='reset',
                                      nullable=False))
    tokens = sa.table('password_reset_tokens', sa.column('purpose'), sa.column('user_id'),
                      sa.column('used_at'))
    users = sa.table('users', sa.column('id'), sa.column('password_hash'))
    never_accepted = sa.select(users.c.id).where(users.c.password_hash.is_(None))
    op.execute(tokens.update().where(tokens.c.used_at.is_(None),
                                     tokens.c.user_id.in_(never_accepted))
               .values(purpose='invitation'))


def downgrade() -> None:
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.drop_column('purpose')
