"""elite services: customer success managers, their conversations, meetings, special event weekends

Revision ID: 0022_elite_services
Revises: 0021_incidents
Create Date: 2026-12-04 15:47:50
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0022_elite_services'
down_revision = '0021_incidents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('special_event_exclusions',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_special_event_exclusions_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_special_event_exclusions'))
    )
    op.create_table('csm_assignments',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('csm_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['csm_id'], ['users.id'], name=op.f('fk_csm_assignments_csm_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_csm_assignments_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_csm_assignments'))
    )
    with op.batch_alter_table('csm_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csm_assignments_csm_id'), ['csm_id'], unique=False)

    op.create_table('csm_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_csm_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_csm_messages_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csm_messages'))
    )
    with op.batch_alter_table('csm_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csm_messages_organization_id'), ['organization_id'], unique=False)

    op.create_table('special_event_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('weekend', sa.Date(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('support_person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_special_event_bookings_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_special_event_bookings_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_special_event_bookings_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['support_person_id'], ['users.id'], name=op.f('fk_special_event_bookings_support_person_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_event_bookings'))
    )
    with op.batch_alter_table('special_event_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_event_bookings_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_event_bookings_weekend'), ['weekend'], unique=False)
        batch_op.create_index('uq_special_event_bookings_booked', ['organization_id', 'weekend'], unique=True, sqlite_where=sa.text("status = 'booked'"), postgresql_where=sa.text("status = 'booked'"))
    op.create_table('elite_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('preferred_times', sa.String(length=500), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('target_version', sa.String(length=60), nullable=False),
    sa.Column('current_version', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('starts_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('attendees', sa.String(length=500), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=True),
    sa.Column('calendar_uid', sa.String(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_elite_meetings_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_elite_meetings_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_elite_meetings_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_elite_meetings_scheduled_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elite_meetings')),
    sa.UniqueConstraint('calendar_uid', name=op.f('uq_elite_meetings_calendar_uid'))
    )
    with op.batch_alter_table('elite_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elite_meetings_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elite_meetings_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('elite_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elite_meetings_status'))
        batch_op.drop_index(batch_op.f('ix_elite_meetings_organization_id'))
    op.drop_table('elite_meetings')
    with op.batch_alter_table('special_event_bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_special_event_bookings_booked', sqlite_where=sa.text("status = 'booked'"), postgresql_where=sa.text("status = 'booked'"))
        batch_op.drop_index(batch_op.f('ix_special_event_bookings_weekend'))
        batch_op.drop_index(batch_op.f('ix_special_event_bookings_organization_id'))

    op.drop_table('special_event_bookings')
    with op.batch_alter_table('csm_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csm_messages_organization_id'))

    op.drop_table('csm_messages')
    with op.batch_alter_table('csm_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csm_assignments_csm_id'))

    op.drop_table('csm_assignments')
    op.drop_table('special_event_exclusions')
