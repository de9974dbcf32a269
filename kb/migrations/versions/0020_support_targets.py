"""support desk: the response-target table and the plans' coverage calendars, seeded

Revision ID: 0020_support_targets
Revises: 0019_campus_redeem_url
Create Date: 2026-12-03 19:45:00
"""

import datetime

from alembic import op
import sqlalchemy as sa


revision = '0020_support_targets'
down_revision = '0019_campus_redeem_url'
branch_labels = None
depends_on = None

HOUR, BUSINESS_DAY = 60, 8 * 60
# the defaults of kb/support/defaults.py when this revision was written (a test compares them)
TARGETS = [
    ('xtreme', 1, 4 * HOUR, 'weekdays'), ('premium', 1, 2 * HOUR, 'around_the_clock'),
    ('elite', 1, HOUR, 'around_the_clock'),
    ('xtreme', 2, BUSINESS_DAY, 'business_hours'), ('premium', 2, 4 * HOUR, 'business_hours'),
    ('elite', 2, 2 * HOUR, 'business_hours'),
    ('xtreme', 3, 2 * BUSINESS_DAY, 'business_hours'),
    ('premium', 3, BUSINESS_DAY, 'business_hours'), ('elite', 3, 4 * HOUR, 'business_hours'),
    ('xtreme', 4, 5 * BUSINESS_DAY, 'business_hours'),
    ('premium', 4, 3 * BUSINESS_DAY, 'business_hours'),
    ('elite', 4, 2 * BUSINESS_DAY, 'business_hours'),
]


def upgrade() -> None:
    targets = op.create_table('support_response_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('response_minutes', sa.Integer(), nullable=True),
    sa.Column('clock', sa.String(length=20), nullable=False),
    sa.CheckConstraint("clock IN ('around_the_clock', 'weekdays', 'business_hours')", name=op.f('ck_support_response_targets_known_clock')),
    sa.CheckConstraint('response_minutes IS NULL OR response_minutes > 0', name=op.f('ck_support_response_targets_positive_minutes')),
    sa.CheckConstraint('severity BETWEEN 1 AND 4', name=op.f('ck_support_response_targets_severity_range')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_support_response_targets_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_response_targets'))
    )
    op.create_index('uq_support_response_targets_general', 'support_response_targets', ['plan', 'severity'], unique=True, sqlite_where=sa.text('product_id IS NULL'), postgresql_where=sa.text('product_id IS NULL'))
    op.create_index('uq_support_response_targets_product', 'support_response_targets', ['plan', 'severity', 'product_id'], unique=True, sqlite_where=sa.text('product_id IS NOT NULL'), postgresql_where=sa.text('product_id IS NOT NULL'))
    calendars = op.create_table('support_coverage_calendars',
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.Column('business_days', sa.String(length=7), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('opens < closes', name=op.f('ck_support_coverage_calendars_opens_before_closes')),
    sa.PrimaryKeyConstraint('plan', name=op.f('pk_support_coverage_calendars'))
    )
    op.bulk_insert(targets, [
        {'plan': plan, 'severity': severity, 'product_id': None, 'response_minutes': minutes,
         'clock': clock} for plan, severity, minutes, clock in TARGETS])
    op.bulk_insert(calendars, [
        {'plan': plan, 'business_days': '12345', 'opens': datetime.time(9),
         'closes': datetime.time(17)} for plan in ('xtreme', 'premium', 'elite')])


def downgrade() -> None:
    op.drop_table('support_coverage_calendars')
    op.drop_index('uq_support_response_targets_product', table_name='support_response_targets', postgresql_where=sa.text('product_id IS NOT NULL'))
    op.drop_index('uq_support_response_targets_general', table_name='support_response_targets', postgresql_where=sa.text('product_id IS NULL'))
    op.drop_table('support_response_targets')
