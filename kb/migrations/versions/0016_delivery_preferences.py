"""delivery preferences per product and channel; the daily digest

A preference row may now name a product (NULL: all products). Uniqueness moves from a
constraint on (user_id, kind, channel) to two partial unique indexes, one for the
all-products rows and one for the product rows (NULLs are distinct in a constraint).
Existing rows (e-mail opt-outs from unsubscribe links) keep their meaning: all products.

Revision ID: 0016_delivery_preferences
Revises: 0014_alert_subscriptions
Create Date: 2026-12-03 14:30:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0016_delivery_preferences'
down_revision = '0014_alert_subscriptions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delivery_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_delivery_preferences_product_id_products'), 'products', ['product_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('uq_delivery_preferences_user_id'), type_='unique')
    op.create_index('uq_delivery_preferences_all_products', 'delivery_preferences',
                    ['user_id', 'kind', 'channel'], unique=True,
                    sqlite_where=sa.text('product_id IS NULL'),
                    postgresql_where=sa.text('product_id IS NULL'))
    op.create_index('uq_delivery_preferences_product', 'delivery_preferences',
                    ['user_id', 'product_id', 'kind', 'channel'], unique=True,
                    sqlite_where=sa.text('product_id IS NOT NULL'),
                    postgresql_where=sa.text('product_id IS NOT NULL'))

    op.create_table('daily_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_daily_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_digests')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_daily_digests_user_id'))
    )
    op.create_table('digest_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['daily_digests.id'], name=op.f('fk_digest_items_digest_id_daily_digests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_digest_items_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_items_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_items'))
    )
    op.create_index('ix_digest_items_waiting', 'digest_items', ['user_id', 'digest_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_digest_items_waiting', table_name='digest_items')
    op.drop_table('digest_items')
    op.drop_table('daily_digests')
    # product overrides have no place in the older key
    op.execute("DELETE FROM delivery_preferences WHERE product_id IS NOT NULL")
    op.drop_index('uq_delivery_preferences_product', table_name='delivery_preferences')
    op.drop_index('uq_delivery_preferences_all_products', table_name='delivery_preferences')
    with op.batch_alter_table('delivery_preferences', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_delivery_preferences_user_id'), ['user_id', 'kind', 'channel'])
        batch_op.drop_constraint(batch_op.f('fk_delivery_preferences_product_id_products'), type_='foreignkey')
        batch_op.drop_column('product_id')
