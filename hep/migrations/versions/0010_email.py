"""email: verified addresses, verifications, the outbox of account mail, email reminder and
attention alert settings, attention alerts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00

Data: addresses hep already holds are not verified (nothing proved them); their owners verify
them before hep sends them reminders or digests.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_bounced_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_reminders', sa.String(length=8), server_default='off', nullable=False))
        batch_op.add_column(sa.Column('alert_push', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('alert_email', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('alert_time', sa.String(length=5), server_default='08:00', nullable=False))
        batch_op.add_column(sa.Column('alert_digest_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('email_verifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_verifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verifications')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_email_verifications_code_hash'))
    )
    with op.batch_alter_table('email_verifications', schema=None) as batch_op:
        batch_op.create_index('ix_email_verifications_user_id', ['user_id'], unique=False)
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('smtp_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=120), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outgoing_mail_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mail_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outgoing_mail_user_id', ['user_id'], unique=False)
    op.create_table('attention_alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('therapist_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=24), nullable=False),
    sa.Column('noted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pushed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_attention_alerts_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['users.id'], name=op.f('fk_attention_alerts_therapist_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attention_alerts'))
    )
    with op.batch_alter_table('attention_alerts', schema=None) as batch_op:
        batch_op.create_index('uq_attention_alerts_open', ['therapist_id', 'patient_id', 'reason'], unique=True, sqlite_where=sa.text('cleared_at IS NULL'), postgresql_where=sa.text('cleared_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('attention_alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_attention_alerts_open', sqlite_where=sa.text('cleared_at IS NULL'), postgresql_where=sa.text('cleared_at IS NULL'))
    op.drop_table('attention_alerts')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mail_user_id')
        batch_op.drop_index('ix_outgoing_mail_status_next_attempt_at')
    op.drop_table('outgoing_mail')
    with op.batch_alter_table('email_verifications', schema=None) as batch_op:
        batch_op.drop_index('ix_email_verifications_user_id')
    op.drop_table('email_verifications')
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.drop_column('alert_digest_at')
        batch_op.drop_column('alert_time')
        batch_op.drop_column('alert_email')
        batch_op.drop_column('alert_push')
        batch_op.drop_column('email_reminders')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_bounced_at')
        batch_op.drop_column('email_verified_at')
