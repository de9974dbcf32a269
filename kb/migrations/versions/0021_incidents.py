"""support desk: incidents, their thread, attachments, linked articles and remote access;
organisations get a time zone and a holiday country for their support clock

Revision ID: 0021_incidents
Revises: 0020_support_targets
Create Date: 2026-12-04 15:45:00
"""

from alembic import op
import sqlalchemy as sa
import kb.db


revision = '0021_incidents'
down_revision = '0020_support_targets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=60), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('response_due', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'reopened')", name=op.f('ck_support_incidents_known_status')),
    sa.CheckConstraint('severity BETWEEN 1 AND 4', name=op.f('ck_support_incidents_severity_range')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_support_incidents_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_support_incidents_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_support_incidents_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_support_incidents_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_incidents')),
    sa.UniqueConstraint('organization_id', 'number', name=op.f('uq_support_incidents_organization_id'))
    )
    with op.batch_alter_table('support_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_incidents_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_incidents_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_incidents_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_incidents_response_due'), ['response_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_incidents_status'), ['status'], unique=False)

    op.create_table('support_incident_articles',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_support_incident_articles_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'], name=op.f('fk_support_incident_articles_incident_id_support_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'article_id', name=op.f('pk_support_incident_articles'))
    )
    op.create_table('support_incident_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('reply', 'note', 'event')", name=op.f('ck_support_incident_entries_known_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_support_incident_entries_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'], name=op.f('fk_support_incident_entries_incident_id_support_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_incident_entries'))
    )
    with op.batch_alter_table('support_incident_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_incident_entries_incident_id'), ['incident_id'], unique=False)

    op.create_table('support_remote_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('starts_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', kb.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('requested', 'granted', 'refused', 'revoked', 'withdrawn')", name=op.f('ck_support_remote_access_known_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_support_remote_access_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'], name=op.f('fk_support_remote_access_incident_id_support_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_support_remote_access_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_remote_access'))
    )
    with op.batch_alter_table('support_remote_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_remote_access_incident_id'), ['incident_id'], unique=False)

    op.create_table('support_incident_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kb.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['support_incident_entries.id'], name=op.f('fk_support_incident_attachments_entry_id_support_incident_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['support_incidents.id'], name=op.f('fk_support_incident_attachments_incident_id_support_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_support_incident_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_incident_attachments'))
    )
    with op.batch_alter_table('support_incident_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_incident_attachments_incident_id'), ['incident_id'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('holiday_country', sa.String(length=12), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('holiday_country')
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('support_incident_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_incident_attachments_incident_id'))

    op.drop_table('support_incident_attachments')
    with op.batch_alter_table('support_remote_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_remote_access_incident_id'))

    op.drop_table('support_remote_access')
    with op.batch_alter_table('support_incident_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_incident_entries_incident_id'))

    op.drop_table('support_incident_entries')
    op.drop_table('support_incident_articles')
    with op.batch_alter_table('support_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_incidents_status'))
        batch_op.drop_index(batch_op.f('ix_support_incidents_response_due'))
        batch_op.drop_index(batch_op.f('ix_support_incidents_organization_id'))
        batch_op.drop_index(batch_op.f('ix_support_incidents_created_at'))
        batch_op.drop_index(batch_op.f('ix_support_incidents_assignee_id'))

    op.drop_table('support_incidents')
