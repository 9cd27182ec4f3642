"""conversation between visits: weekly check-ins and when they are asked, questionnaires,
measure plans and their answers, messages and how far each reader has read

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('message_reads',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('reader_id', sa.Uuid(), nullable=False),
    sa.Column('last_read_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_message_reads_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reader_id'], ['users.id'], name=op.f('fk_message_reads_reader_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id', 'reader_id', name=op.f('pk_message_reads'))
    )
    op.create_table('messages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('from_patient', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_messages_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('author_id', 'client_id', name='uq_messages_author_client')
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_author_id_created_at', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_messages_patient_id_id', ['patient_id', 'id'], unique=False)
        batch_op.create_index('ix_messages_to_notify', ['created_at'], unique=False, sqlite_where=sa.text('notified_at IS NULL'), postgresql_where=sa.text('notified_at IS NULL'))
    op.create_table('questionnaires',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_questionnaires_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaires'))
    )
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.create_index('ix_questionnaires_owner_id', ['owner_id'], unique=False)
    op.create_table('weekly_reviews',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('week_end', sa.Date(), nullable=False),
    sa.Column('sessions_planned', sa.Integer(), nullable=False),
    sa.Column('sessions_logged', sa.Float(), nullable=False),
    sa.Column('sessions_done', sa.Integer(), nullable=False),
    sa.Column('habits_planned', sa.Integer(), nullable=False),
    sa.Column('habits_logged', sa.Integer(), nullable=False),
    sa.Column('habits_met', sa.Integer(), nullable=False),
    sa.Column('barriers', sa.JSON(), nullable=False),
    sa.Column('barrier_note', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_weekly_reviews_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_reviews')),
    sa.UniqueConstraint('owner_id', 'week_end', name='uq_weekly_reviews_week')
    )
    op.create_table('measure_plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('instrument', sa.String(length=8), nullable=False),
    sa.Column('questionnaire_id', sa.Uuid(), nullable=True),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('first_due', sa.Date(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_measure_plans_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_measure_plans_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_measure_plans_questionnaire_id_questionnaires'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_plans'))
    )
    with op.batch_alter_table('measure_plans', schema=None) as batch_op:
        batch_op.create_index('ix_measure_plans_patient_id', ['patient_id'], unique=False)
        batch_op.create_index('ix_measure_plans_questionnaire_id', ['questionnaire_id'], unique=False)
    op.create_table('measure_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_measure_responses_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['measure_plans.id'], name=op.f('fk_measure_responses_plan_id_measure_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_responses')),
    sa.UniqueConstraint('plan_id', 'due_on', name='uq_measure_responses_slot')
    )
    with op.batch_alter_table('measure_responses', schema=None) as batch_op:
        batch_op.create_index('ix_measure_responses_patient_id_answered_on', ['patient_id', 'answered_on'], unique=False)
    op.create_table('weekly_review_schedules',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('time', sa.String(length=5), nullable=False),
    sa.Column('reminder_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminders.id'], name=op.f('fk_weekly_review_schedules_reminder_id_reminders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_weekly_review_schedules_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_weekly_review_schedules'))
    )


def downgrade() -> None:
    op.drop_table('weekly_review_schedules')
    with op.batch_alter_table('measure_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_responses_patient_id_answered_on')
    op.drop_table('measure_responses')
    with op.batch_alter_table('measure_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_plans_questionnaire_id')
        batch_op.drop_index('ix_measure_plans_patient_id')
    op.drop_table('measure_plans')
    op.drop_table('weekly_reviews')
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaires_owner_id')
    op.drop_table('questionnaires')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_to_notify', sqlite_where=sa.text('notified_at IS NULL'), postgresql_where=sa.text('notified_at IS NULL'))
        batch_op.drop_index('ix_messages_patient_id_id')
        batch_op.drop_index('ix_messages_author_id_created_at')
    op.drop_table('messages')
    op.drop_table('message_reads')
