"""initial schema: the whole domain model of DESIGN section 4

Revision ID: 0001
Revises:
Create Date: 2026-11-22 10:22:00.181382
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('entity_id', sa.String(), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('ip', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity', 'entity_id'], unique=False)
    op.create_table('feature',
    sa.Column('id', sa.SmallInteger(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('is_core', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('plans', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('event_pattern', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feature')),
    sa.UniqueConstraint('key', name=op.f('uq_feature_key'))
    )
    # Events that map to no configured feature are counted here.
    op.execute("INSERT INTO feature (id, key, name) VALUES (0, 'unattributed', 'Unattributed')")
    op.create_table('job_outbox',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('function', sa.String(), nullable=False),
    sa.Column('args', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('job_id', sa.String(), nullable=True),
    sa.Column('defer_seconds', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_outbox'))
    )
    op.create_table('notification_channel',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('target', sa.String(), nullable=False),
    sa.Column('secret', sa.String(), nullable=True),
    sa.Column('events', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('webhook', 'slack', 'email')", name=op.f('ck_notification_channel_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_channel'))
    )
    op.create_table('playbook',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=True),
    sa.Column('trigger_type', sa.String(), nullable=False),
    sa.Column('trigger_value', sa.String(), nullable=True),
    sa.Column('steps', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('email_subject_template', sa.String(), nullable=True),
    sa.Column('email_body_template', sa.String(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('is_builtin', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("trigger_type IN ('alert_rule', 'quadrant_move', 'renewal_milestone', 'manual')", name=op.f('ck_playbook_trigger_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook')),
    sa.UniqueConstraint('key', name=op.f('uq_playbook_key'))
    )
    op.create_table('user',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=True),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'leader', 'csm', 'product', 'viewer')", name=op.f('ck_user_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user'))
    )
    op.create_index('uq_user_email_lower', 'user', [sa.literal_column('lower(email)')], unique=True)
    op.create_table('account',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('external_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('domains', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('segment', sa.String(), nullable=True),
    sa.Column('icp_tier', sa.String(), nullable=True),
    sa.Column('plan', sa.String(), nullable=True),
    sa.Column('industry', sa.String(), nullable=True),
    sa.Column('region', sa.String(), nullable=True),
    sa.Column('acquisition_channel', sa.String(), nullable=True),
    sa.Column('signup_date', sa.Date(), nullable=True),
    sa.Column('onboarding_completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_value_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seats_purchased', sa.Integer(), nullable=True),
    sa.Column('seat_limit', sa.Integer(), nullable=True),
    sa.Column('api_call_limit', sa.Integer(), nullable=True),
    sa.Column('contract_start', sa.Date(), nullable=True),
    sa.Column('renewal_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(), server_default='active', nullable=False),
    sa.Column('declared_arr', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('current_arr', sa.Numeric(precision=14, scale=2), server_default='0', nullable=False),
    sa.Column('flag', sa.String(), nullable=True),
    sa.Column('tags', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("flag IS NULL OR flag IN ('red', 'yellow', 'green', 'blue')", name=op.f('ck_account_flag')),
    sa.CheckConstraint("status IN ('active', 'churned')", name=op.f('ck_account_status')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_account_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('external_id', name=op.f('uq_account_external_id'))
    )
    op.create_index('ix_account_current_arr', 'account', ['current_arr'], unique=False)
    op.create_index('ix_account_name_lower', 'account', [sa.literal_column('lower(name)')], unique=False)
    op.create_index(op.f('ix_account_owner_id'), 'account', ['owner_id'], unique=False)
    op.create_index(op.f('ix_account_plan'), 'account', ['plan'], unique=False)
    op.create_index(op.f('ix_account_renewal_date'), 'account', ['renewal_date'], unique=False)
    op.create_index(op.f('ix_account_segment'), 'account', ['segment'], unique=False)
    op.create_table('api_key',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('prefix', sa.String(), nullable=False),
    sa.Column('key_hash', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'leader', 'csm', 'product', 'viewer')", name=op.f('ck_api_key_role')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_api_key_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_key_prefix'))
    )
    op.create_table('data_source',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('stale_after_days', sa.Integer(), nullable=False),
    sa.Column('last_received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('items_received', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_data_source_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_source')),
    sa.UniqueConstraint('key', name=op.f('uq_data_source_key'))
    )
    op.create_table('delivery',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('channel_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('target', sa.String(), nullable=False),
    sa.Column('event_type', sa.String(), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('webhook', 'slack', 'email')", name=op.f('ck_delivery_channel')),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed', 'dead')", name=op.f('ck_delivery_status')),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channel.id'], name=op.f('fk_delivery_channel_id_notification_channel'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    op.create_index('ix_delivery_status_next_attempt', 'delivery', ['status', 'next_attempt_at'], unique=False)
    op.create_table('saved_view',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('query', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('is_builtin', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_saved_view_owner_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_view'))
    )
    op.create_index('uq_saved_view_owner_name', 'saved_view', ['owner_id', 'name'], unique=True)
    op.create_table('scoring_config',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=True),
    sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_scoring_config_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_scoring_config'))
    )
    op.create_index('uq_scoring_config_single_active', 'scoring_config', ['is_active'], unique=True, postgresql_where=sa.text('is_active'))
    op.create_table('user_session',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('token_hash', sa.String(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip', sa.String(), nullable=True),
    sa.Column('user_agent', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table('account_alias',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_alias_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_alias')),
    sa.UniqueConstraint('source', 'key', name=op.f('uq_account_alias_source_key'))
    )
    op.create_index(op.f('ix_account_alias_account_id'), 'account_alias', ['account_id'], unique=False)
    op.create_table('alert',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('rule', sa.String(), nullable=False),
    sa.Column('severity', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('dedupe_key', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('facts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signal_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Uuid(), nullable=True),
    sa.Column('snoozed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_reason', sa.String(), nullable=True),
    sa.Column('last_evaluated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("severity IN ('low', 'medium', 'high')", name=op.f('ck_alert_severity')),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'snoozed', 'resolved')", name=op.f('ck_alert_status')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_alert_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user.id'], name=op.f('fk_alert_acknowledged_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    op.create_index('ix_alert_account_status', 'alert', ['account_id', 'status'], unique=False)
    op.create_index('ix_alert_status_opened', 'alert', ['status', 'opened_at'], unique=False)
    op.create_index('uq_alert_dedupe_key_unresolved', 'alert', ['dedupe_key'], unique=True, postgresql_where=sa.text("status <> 'resolved'"))
    op.create_table('contact',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source_id', sa.String(), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=True),
    sa.Column('role', sa.String(), nullable=True),
    sa.Column('is_primary', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IS NULL OR role IN ('champion', 'executive_sponsor', 'decision_maker', 'admin', 'user')", name=op.f('ck_contact_role')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_contact_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact')),
    sa.UniqueConstraint('source_id', name=op.f('uq_contact_source_id'))
    )
    op.create_index(op.f('ix_contact_account_id'), 'contact', ['account_id'], unique=False)
    op.create_index('ix_contact_email_lower', 'contact', [sa.literal_column('lower(email)')], unique=False)
    op.create_table('health_snapshot',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=False),
    sa.Column('usage_score', sa.Float(), nullable=True),
    sa.Column('support_score', sa.Float(), nullable=True),
    sa.Column('sentiment_score', sa.Float(), nullable=True),
    sa.Column('relationship_score', sa.Float(), nullable=True),
    sa.Column('commercial_score', sa.Float(), nullable=True),
    sa.Column('usage_axis', sa.Float(), nullable=True),
    sa.Column('health_axis', sa.Float(), nullable=True),
    sa.Column('health_score', sa.Float(), nullable=True),
    sa.Column('band', sa.String(), nullable=True),
    sa.Column('quadrant', sa.String(), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('components', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("band IS NULL OR band IN ('healthy', 'watch', 'at_risk')", name=op.f('ck_health_snapshot_band')),
    sa.CheckConstraint("quadrant IS NULL OR quadrant IN ('champions', 'frustrated_power_users', 'relationship_dependent', 'churn_risk')", name=op.f('ck_health_snapshot_quadrant')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_health_snapshot_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['config_version'], ['scoring_config.version'], name=op.f('fk_health_snapshot_config_version_scoring_config')),
    sa.PrimaryKeyConstraint('account_id', 'as_of', name=op.f('pk_health_snapshot'))
    )
    op.create_index('ix_health_snapshot_as_of', 'health_snapshot', ['as_of'], unique=False)
    op.create_table('invoice',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('source_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'open', 'paid', 'void', 'uncollectible')", name=op.f('ck_invoice_status')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_invoice_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_invoice_source_source_id'))
    )
    op.create_index(op.f('ix_invoice_account_id'), 'invoice', ['account_id'], unique=False)
    op.create_index('ix_invoice_unpaid_by_account', 'invoice', ['account_id', 'due_at'], unique=False, postgresql_where=sa.text("paid_at IS NULL AND status IN ('open', 'uncollectible')"))
    op.create_table('note',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_note_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_note_author_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    op.create_index('ix_note_account_created', 'note', ['account_id', 'created_at'], unique=False)
    op.create_table('quadrant_move',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('moved_on', sa.Date(), nullable=False),
    sa.Column('from_quadrant', sa.String(), nullable=True),
    sa.Column('to_quadrant', sa.String(), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("from_quadrant IS NULL OR from_quadrant IN ('champions', 'frustrated_power_users', 'relationship_dependent', 'churn_risk')", name=op.f('ck_quadrant_move_from_quadrant')),
    sa.CheckConstraint("to_quadrant IN ('champions', 'frustrated_power_users', 'relationship_dependent', 'churn_risk')", name=op.f('ck_quadrant_move_to_quadrant')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_quadrant_move_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quadrant_move')),
    sa.UniqueConstraint('account_id', 'moved_on', name=op.f('uq_quadrant_move_account_id_moved_on'))
    )
    op.create_index(op.f('ix_quadrant_move_moved_on'), 'quadrant_move', ['moved_on'], unique=False)
    op.create_table('renewal',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('renewal_date', sa.Date(), nullable=False),
    sa.Column('arr_up_for_renewal', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('forecast', sa.String(), nullable=True),
    sa.Column('suggested_forecast', sa.String(), nullable=True),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_notes', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("forecast IS NULL OR forecast IN ('commit', 'upside', 'risk', 'churn')", name=op.f('ck_renewal_forecast')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('renewed', 'expanded', 'contracted', 'churned')", name=op.f('ck_renewal_outcome')),
    sa.CheckConstraint("suggested_forecast IS NULL OR suggested_forecast IN ('commit', 'upside', 'risk', 'churn')", name=op.f('ck_renewal_suggested_forecast')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_renewal_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal')),
    sa.UniqueConstraint('account_id', 'renewal_date', name=op.f('uq_renewal_account_id_renewal_date'))
    )
    op.create_index(op.f('ix_renewal_account_id'), 'renewal', ['account_id'], unique=False)
    op.create_index(op.f('ix_renewal_renewal_date'), 'renewal', ['renewal_date'], unique=False)
    op.create_table('scoring_run',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=True),
    sa.Column('total_shards', sa.Integer(), nullable=False),
    sa.Column('done_shards', sa.Integer(), nullable=False),
    sa.Column('accounts_total', sa.Integer(), nullable=False),
    sa.Column('snapshots_written', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(), nullable=True),
    sa.Column('requested_by', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('daily', 'incremental', 'backfill')", name=op.f('ck_scoring_run_kind')),
    sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name=op.f('ck_scoring_run_status')),
    sa.ForeignKeyConstraint(['config_version'], ['scoring_config.version'], name=op.f('fk_scoring_run_config_version_scoring_config')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_run'))
    )
    op.create_table('subscription_line',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('source_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('product', sa.String(), nullable=False),
    sa.Column('plan', sa.String(), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('unit_amount', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('interval', sa.String(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('cancellation_reason', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("interval IN ('month', 'year')", name=op.f('ck_subscription_line_interval')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_subscription_line_dates_ordered')),
    sa.CheckConstraint('quantity >= 0 AND unit_amount >= 0', name=op.f('ck_subscription_line_non_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_subscription_line_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_line')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_subscription_line_source_source_id'))
    )
    op.create_index('ix_subscription_line_account_start', 'subscription_line', ['account_id', 'start_date'], unique=False)
    op.create_table('ticket',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('sla_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('csat', sa.SmallInteger(), nullable=True),
    sa.Column('product_area', sa.String(), nullable=True),
    sa.Column('subject', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'pending', 'solved', 'closed')", name=op.f('ck_ticket_status')),
    sa.CheckConstraint('csat IS NULL OR csat BETWEEN 1 AND 5', name=op.f('ck_ticket_csat')),
    sa.CheckConstraint('priority BETWEEN 1 AND 4', name=op.f('ck_ticket_priority')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_ticket_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('source_id', name=op.f('uq_ticket_source_id'))
    )
    op.create_index('ix_ticket_account_opened', 'ticket', ['account_id', 'opened_at'], unique=False)
    op.create_index('ix_ticket_open_by_account', 'ticket', ['account_id'], unique=False, postgresql_where=sa.text("status IN ('open', 'pending')"))
    op.create_table('touchpoint',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('csm_id', sa.Uuid(), nullable=True),
    sa.Column('csm_email', sa.String(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sentiment', sa.String(), nullable=True),
    sa.Column('summary', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('call', 'email', 'meeting', 'qbr', 'note')", name=op.f('ck_touchpoint_kind')),
    sa.CheckConstraint("sentiment IS NULL OR sentiment IN ('negative', 'neutral', 'positive')", name=op.f('ck_touchpoint_sentiment')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_touchpoint_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['csm_id'], ['user.id'], name=op.f('fk_touchpoint_csm_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touchpoint')),
    sa.UniqueConstraint('source_id', name=op.f('uq_touchpoint_source_id'))
    )
    op.create_index('ix_touchpoint_account_occurred', 'touchpoint', ['account_id', 'occurred_at'], unique=False)
    op.create_table('unmatched_record',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('account_key_type', sa.String(), nullable=False),
    sa.Column('account_key', sa.String(), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_account_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['resolved_account_id'], ['account.id'], name=op.f('fk_unmatched_record_resolved_account_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unmatched_record')),
    sa.UniqueConstraint('kind', 'item_id', name=op.f('uq_unmatched_record_kind_item_id'))
    )
    op.create_index('ix_unmatched_record_pending_key', 'unmatched_record', ['account_key_type', 'account_key'], unique=False, postgresql_where=sa.text('resolved_at IS NULL'))
    op.create_table('usage_daily',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('feature_id', sa.SmallInteger(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('active_users', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Float(), nullable=False),
    sa.Column('api_calls', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_usage_daily_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['feature_id'], ['feature.id'], name=op.f('fk_usage_daily_feature_id_feature')),
    sa.PrimaryKeyConstraint('account_id', 'day', 'feature_id', name=op.f('pk_usage_daily'))
    )
    op.create_index('ix_usage_daily_day', 'usage_daily', ['day'], unique=False)
    op.create_table('usage_event',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('user_hash', sa.BigInteger(), nullable=True),
    sa.Column('event', sa.String(), nullable=False),
    sa.Column('feature_id', sa.SmallInteger(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('properties', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_usage_event_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['feature_id'], ['feature.id'], name=op.f('fk_usage_event_feature_id_feature')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_usage_event'))
    )
    op.create_index('ix_usage_event_account_occurred', 'usage_event', ['account_id', 'occurred_at'], unique=False)
    op.create_index(op.f('ix_usage_event_occurred_at'), 'usage_event', ['occurred_at'], unique=False)
    op.create_table('usage_user_activity',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('user_hash', sa.BigInteger(), nullable=False),
    sa.Column('active_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_usage_user_activity_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'month', 'user_hash', name=op.f('pk_usage_user_activity'))
    )
    op.create_table('playbook_run',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('playbook_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.Column('started_by_id', sa.Uuid(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('health_at_start', sa.Float(), nullable=True),
    sa.Column('quadrant_at_start', sa.String(), nullable=True),
    sa.Column('email_draft', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.CheckConstraint("status IN ('active', 'completed', 'cancelled')", name=op.f('ck_playbook_run_status')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_playbook_run_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_playbook_run_alert_id_alert'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['playbook_id'], ['playbook.id'], name=op.f('fk_playbook_run_playbook_id_playbook'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_playbook_run_started_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook_run'))
    )
    op.create_index(op.f('ix_playbook_run_account_id'), 'playbook_run', ['account_id'], unique=False)
    op.create_index(op.f('ix_playbook_run_playbook_id'), 'playbook_run', ['playbook_id'], unique=False)
    op.create_table('product_feedback',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('product_area', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_product_feedback_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_product_feedback_ticket_id_ticket'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_feedback'))
    )
    op.create_index(op.f('ix_product_feedback_account_id'), 'product_feedback', ['account_id'], unique=False)
    op.create_table('scoring_run_shard',
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('shard_no', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('account_bucket', sa.Integer(), nullable=False),
    sa.Column('bucket_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('snapshots_written', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name=op.f('ck_scoring_run_shard_status')),
    sa.ForeignKeyConstraint(['run_id'], ['scoring_run.id'], name=op.f('fk_scoring_run_shard_run_id_scoring_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'shard_no', name=op.f('pk_scoring_run_shard'))
    )
    op.create_table('survey_response',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('source_id', sa.String(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('contact_email', sa.String(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind = 'csat' AND score BETWEEN 1 AND 5)", name=op.f('ck_survey_response_score_range')),
    sa.CheckConstraint("kind IN ('nps', 'csat')", name=op.f('ck_survey_response_kind')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_survey_response_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_survey_response_contact_id_contact'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('source_id', name=op.f('uq_survey_response_source_id'))
    )
    op.create_index('ix_survey_response_account_responded', 'survey_response', ['account_id', 'responded_at'], unique=False)
    op.create_table('task',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('playbook_run_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name=op.f('ck_task_status')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_task_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_task_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user.id'], name=op.f('fk_task_completed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_task_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['playbook_run_id'], ['playbook_run.id'], name=op.f('fk_task_playbook_run_id_playbook_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    op.create_index(op.f('ix_task_account_id'), 'task', ['account_id'], unique=False)
    op.create_index('ix_task_assignee_status_due', 'task', ['assignee_id', 'status', 'due_date'], unique=False)
    op.create_index(op.f('ix_task_playbook_run_id'), 'task', ['playbook_run_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_task_playbook_run_id'), table_name='task')
    op.drop_index('ix_task_assignee_status_due', table_name='task')
    op.drop_index(op.f('ix_task_account_id'), table_name='task')
    op.drop_table('task')
    op.drop_index('ix_survey_response_account_responded', table_name='survey_response')
    op.drop_table('survey_response')
    op.drop_table('scoring_run_shard')
    op.drop_index(op.f('ix_product_feedback_account_id'), table_name='product_feedback')
    op.drop_table('product_feedback')
    op.drop_index(op.f('ix_playbook_run_playbook_id'), table_name='playbook_run')
    op.drop_index(op.f('ix_playbook_run_account_id'), table_name='playbook_run')
    op.drop_table('playbook_run')
    op.drop_table('usage_user_activity')
    op.drop_index(op.f('ix_usage_event_occurred_at'), table_name='usage_event')
    op.drop_index('ix_usage_event_account_occurred', table_name='usage_event')
    op.drop_table('usage_event')
    op.drop_index('ix_usage_daily_day', table_name='usage_daily')
    op.drop_table('usage_daily')
    op.drop_index('ix_unmatched_record_pending_key', table_name='unmatched_record', postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_table('unmatched_record')
    op.drop_index('ix_touchpoint_account_occurred', table_name='touchpoint')
    op.drop_table('touchpoint')
    op.drop_index('ix_ticket_open_by_account', table_name='ticket', postgresql_where=sa.text("status IN ('open', 'pending')"))
    op.drop_index('ix_ticket_account_opened', table_name='ticket')
    op.drop_table('ticket')
    op.drop_index('ix_subscription_line_account_start', table_name='subscription_line')
    op.drop_table('subscription_line')
    op.drop_table('scoring_run')
    op.drop_index(op.f('ix_renewal_renewal_date'), table_name='renewal')
    op.drop_index(op.f('ix_renewal_account_id'), table_name='renewal')
    op.drop_table('renewal')
    op.drop_index(op.f('ix_quadrant_move_moved_on'), table_name='quadrant_move')
    op.drop_table('quadrant_move')
    op.drop_index('ix_note_account_created', table_name='note')
    op.drop_table('note')
    op.drop_index('ix_invoice_unpaid_by_account', table_name='invoice', postgresql_where=sa.text("paid_at IS NULL AND status IN ('open', 'uncollectible')"))
    op.drop_index(op.f('ix_invoice_account_id'), table_name='invoice')
    op.drop_table('invoice')
    op.drop_index('ix_health_snapshot_as_of', table_name='health_snapshot')
    op.drop_table('health_snapshot')
    op.drop_index('ix_contact_email_lower', table_name='contact')
    op.drop_index(op.f('ix_contact_account_id'), table_name='contact')
    op.drop_table('contact')
    op.drop_index('uq_alert_dedupe_key_unresolved', table_name='alert', postgresql_where=sa.text("status <> 'resolved'"))
    op.drop_index('ix_alert_status_opened', table_name='alert')
    op.drop_index('ix_alert_account_status', table_name='alert')
    op.drop_table('alert')
    op.drop_index(op.f('ix_account_alias_account_id'), table_name='account_alias')
    op.drop_table('account_alias')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
    op.drop_index('uq_scoring_config_single_active', table_name='scoring_config', postgresql_where=sa.text('is_active'))
    op.drop_table('scoring_config')
    op.drop_index('uq_saved_view_owner_name', table_name='saved_view')
    op.drop_table('saved_view')
    op.drop_index('ix_delivery_status_next_attempt', table_name='delivery')
    op.drop_table('delivery')
    op.drop_table('data_source')
    op.drop_table('api_key')
    op.drop_index(op.f('ix_account_segment'), table_name='account')
    op.drop_index(op.f('ix_account_renewal_date'), table_name='account')
    op.drop_index(op.f('ix_account_plan'), table_name='account')
    op.drop_index(op.f('ix_account_owner_id'), table_name='account')
    op.drop_index('ix_account_name_lower', table_name='account')
    op.drop_index('ix_account_current_arr', table_name='account')
    op.drop_table('account')
    op.drop_index('uq_user_email_lower', table_name='user')
    op.drop_table('user')
    op.drop_table('playbook')
    op.drop_table('notification_channel')
    op.drop_table('job_outbox')
    op.drop_table('feature')
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
    op.drop_table('audit_log')
