"""library programs habits check-ins

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:37:59.413324
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hep.db

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exercises',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('regions', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('equipment', sa.String(length=200), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=True),
    sa.Column('hold_seconds', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('rest_seconds', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('times_per_day', sa.Integer(), nullable=False),
    sa.Column('instructions', sa.JSON(), nullable=False),
    sa.Column('cautions', sa.JSON(), nullable=False),
    sa.Column('media_url', sa.Text(), nullable=True),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_exercises_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercises')),
    sa.UniqueConstraint('slug', name=op.f('uq_exercises_slug'))
    )
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.create_index('ix_exercises_owner_id_category', ['owner_id', 'category'], unique=False)

    op.create_table('habits',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('suggested_by', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=True),
    sa.Column('unit', sa.String(length=24), nullable=False),
    sa.Column('weekdays', sa.Integer(), nullable=False),
    sa.Column('per_week', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', hep.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_habits_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['suggested_by'], ['users.id'], name=op.f('fk_habits_suggested_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_habits'))
    )
    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.create_index('ix_habits_owner_id', ['owner_id'], unique=False)

    op.create_table('pain_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('regions', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_pain_entries_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pain_entries')),
    sa.UniqueConstraint('owner_id', 'local_date', name='uq_pain_entries_day')
    )
    op.create_table('program_templates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_program_templates_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_templates'))
    )
    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.create_index('ix_program_templates_owner_id', ['owner_id'], unique=False)

    op.create_table('programs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('therapist_id', sa.Uuid(), nullable=True),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', hep.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_programs_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['users.id'], name=op.f('fk_programs_therapist_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs'))
    )
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index('ix_programs_patient_id', ['patient_id'], unique=False)

    op.create_table('check_ins',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.Uuid(), nullable=True),
    sa.Column('habit_id', sa.Uuid(), nullable=True),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('skip_reason', sa.String(length=16), nullable=True),
    sa.Column('pain', sa.Integer(), nullable=True),
    sa.Column('difficulty', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', hep.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['habit_id'], ['habits.id'], name=op.f('fk_check_ins_habit_id_habits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_check_ins_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
    sa.UniqueConstraint('owner_id', 'client_id', name='uq_check_ins_owner_client')
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_check_ins_owner_id_local_date', ['owner_id', 'local_date'], unique=False)

    op.create_table('program_versions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('change_note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_program_versions_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_versions_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_versions')),
    sa.UniqueConstraint('program_id', 'version', name='uq_program_versions_pv')
    )
    op.create_table('check_in_edits',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('check_in_id', sa.Uuid(), nullable=False),
    sa.Column('editor_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], name=op.f('fk_check_in_edits_check_in_id_check_ins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_check_in_edits_editor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_edits'))
    )
    with op.batch_alter_table('check_in_edits', schema=None) as batch_op:
        batch_op.create_index('ix_check_in_edits_check_in_id', ['check_in_id'], unique=False)

    op.create_table('program_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.Uuid(), nullable=False),
    sa.Column('exercise_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=True),
    sa.Column('hold_seconds', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('rest_seconds', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('load_note', sa.String(length=120), nullable=False),
    sa.Column('times_per_day', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_program_items_exercise_id_exercises'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['program_versions.id'], name=op.f('fk_program_items_version_id_program_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_items'))
    )
    with op.batch_alter_table('program_items', schema=None) as batch_op:
        batch_op.create_index('ix_program_items_item_key', ['item_key'], unique=False)
        batch_op.create_index('ix_program_items_version_id', ['version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('program_items', schema=None) as batch_op:
        batch_op.drop_index('ix_program_items_version_id')
        batch_op.drop_index('ix_program_items_item_key')

    op.drop_table('program_items')
    with op.batch_alter_table('check_in_edits', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_edits_check_in_id')

    op.drop_table('check_in_edits')
    op.drop_table('program_versions')
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_check_ins_owner_id_local_date')

    op.drop_table('check_ins')
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_index('ix_programs_patient_id')

    op.drop_table('programs')
    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_program_templates_owner_id')

    op.drop_table('program_templates')
    op.drop_table('pain_entries')
    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.drop_index('ix_habits_owner_id')

    op.drop_table('habits')
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index('ix_exercises_owner_id_category')

    op.drop_table('exercises')
