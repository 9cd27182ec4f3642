"""pain-aware care: pauses of the whole account, acknowledgements of attention alerts, the
thresholds behind the attention list (clinic defaults, patient overrides), progression and
regression proposals; program items kept in a flare-up or a busy week and their steps; the
snapshot's reasons (snapshots of an older format are stale, so none is read empty)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('acknowledgements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('therapist_id', sa.Uuid(), nullable=True),
    sa.Column('therapist_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_acknowledgements_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['users.id'], name=op.f('fk_acknowledgements_therapist_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgements'))
    )
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.create_index('ix_acknowledgements_patient_id_at', ['patient_id', 'at'], unique=False)

    op.create_table('clinic_care_rules',
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('pain_advice', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_care_rules_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_clinic_care_rules_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('clinic_id', name=op.f('pk_clinic_care_rules'))
    )
    op.create_table('patient_care_rules',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('auto_progress', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('auto_regress', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_patient_care_rules_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_patient_care_rules_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_patient_care_rules'))
    )
    op.create_table('pauses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_pauses_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_pauses_started_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pauses'))
    )
    with op.batch_alter_table('pauses', schema=None) as batch_op:
        batch_op.create_index('ix_pauses_patient_id_first_day', ['patient_id', 'first_day'], unique=False)

    op.create_table('step_proposals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('from_version', sa.Integer(), nullable=False),
    sa.Column('step', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('decided_by_name', sa.String(length=120), nullable=False),
    sa.Column('applied_version', sa.Integer(), nullable=True),
    sa.Column('auto', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_step_proposals_decided_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_step_proposals_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_step_proposals_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_proposals'))
    )
    with op.batch_alter_table('step_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_step_proposals_patient_id_created_at', ['patient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_step_proposals_program_id', ['program_id'], unique=False)
        batch_op.create_index('uq_step_proposals_open', ['program_id', 'item_key'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    with op.batch_alter_table('adherence_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pause_mode', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('not_logging_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pain_rising_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('adherence_falling_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('low_adherence_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('high_pain_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('exercise_pain_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('too_hard_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pain_skips_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unreachable_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flare_up_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('step_back_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('progress_ready_since', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('program_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_in_flare', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('minimum_dose', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('next_step', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('previous_step', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('step_rules', sa.JSON(), nullable=True))

    with op.batch_alter_table('program_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pain_advice', sa.Text(), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('program_versions', schema=None) as batch_op:
        batch_op.drop_column('pain_advice')

    with op.batch_alter_table('program_items', schema=None) as batch_op:
        batch_op.drop_column('step_rules')
        batch_op.drop_column('previous_step')
        batch_op.drop_column('next_step')
        batch_op.drop_column('minimum_dose')
        batch_op.drop_column('keep_in_flare')

    with op.batch_alter_table('adherence_snapshots', schema=None) as batch_op:
        batch_op.drop_column('progress_ready_since')
        batch_op.drop_column('step_back_since')
        batch_op.drop_column('flare_up_since')
        batch_op.drop_column('unreachable_since')
        batch_op.drop_column('pain_skips_since')
        batch_op.drop_column('too_hard_since')
        batch_op.drop_column('exercise_pain_since')
        batch_op.drop_column('high_pain_since')
        batch_op.drop_column('low_adherence_since')
        batch_op.drop_column('adherence_falling_since')
        batch_op.drop_column('pain_rising_since')
        batch_op.drop_column('not_logging_since')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('pause_mode')
        batch_op.drop_column('format')

    with op.batch_alter_table('step_proposals', schema=None) as batch_op:
        batch_op.drop_index('uq_step_proposals_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_step_proposals_program_id')
        batch_op.drop_index('ix_step_proposals_patient_id_created_at')

    op.drop_table('step_proposals')
    with op.batch_alter_table('pauses', schema=None) as batch_op:
        batch_op.drop_index('ix_pauses_patient_id_first_day')

    op.drop_table('pauses')
    op.drop_table('patient_care_rules')
    op.drop_table('clinic_care_rules')
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_index('ix_acknowledgements_patient_id_at')

    op.drop_table('acknowledgements')
