"""clinics, care teams with a lead and a history, link requests, discharges, shared and
versioned templates, sign-in links, the audit log

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

Data: every therapist gets a clinic of their own (named after them) and is its admin; their
care links and open invites move under it; each patient's earliest link becomes the lead.
Each template's notes and items become its version 1.
"""

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the tables as this revision leaves them, for the data steps (never the models: they move on)
_users = sa.table(
    'users',
    sa.column('id', sa.Uuid()),
    sa.column('name', sa.String()),
    sa.column('role', sa.String()),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
_clinics = sa.table(
    'clinics',
    sa.column('id', sa.Uuid()),
    sa.column('name', sa.String()),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
_members = sa.table(
    'clinic_members',
    sa.column('clinic_id', sa.Uuid()),
    sa.column('user_id', sa.Uuid()),
    sa.column('role', sa.String()),
    sa.column('joined_at', sa.DateTime(timezone=True)),
)
_links = sa.table(
    'care_links',
    sa.column('id', sa.Uuid()),
    sa.column('therapist_id', sa.Uuid()),
    sa.column('patient_id', sa.Uuid()),
    sa.column('clinic_id', sa.Uuid()),
    sa.column('is_lead', sa.Boolean()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('ended_at', sa.DateTime(timezone=True)),
)
_invites = sa.table(
    'invites',
    sa.column('therapist_id', sa.Uuid()),
    sa.column('clinic_id', sa.Uuid()),
    sa.column('kind', sa.String()),
)
_templates = sa.table(
    'program_templates',
    sa.column('id', sa.Uuid()),
    sa.column('owner_id', sa.Uuid()),
    sa.column('notes', sa.Text()),
    sa.column('items', sa.JSON()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
    sa.column('current_version', sa.Integer()),
)
_template_versions = sa.table(
    'program_template_versions',
    sa.column('id', sa.Uuid()),
    sa.column('template_id', sa.Uuid()),
    sa.column('version', sa.Integer()),
    sa.column('notes', sa.Text()),
    sa.column('items', sa.JSON()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('created_by', sa.Uuid()),
    sa.column('change_note', sa.String()),
)

_APPEND_ONLY_PG = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
_APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]


def _active(column: str) -> sa.TextClause:
    return sa.text(f'{column} IS NULL')


def upgrade() -> None:
    op.create_table('clinics',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics'))
    )
    op.create_table('clinic_members',
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'therapist', name='clinicrole', native_enum=False, length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_members_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clinic_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clinic_id', 'user_id', name=op.f('pk_clinic_members'))
    )
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.create_index('ix_clinic_members_user_id', ['user_id'], unique=False)

    op.create_table('clinic_invites',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('admin', 'therapist', name='clinicrole', native_enum=False, length=16), nullable=False),
    sa.Column('invited_by', sa.Uuid(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.Uuid(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_invites_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by'], ['users.id'], name=op.f('fk_clinic_invites_invited_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], name=op.f('fk_clinic_invites_used_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_invites')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_clinic_invites_code_hash'))
    )
    with op.batch_alter_table('clinic_invites', schema=None) as batch_op:
        batch_op.create_index('ix_clinic_invites_clinic_id', ['clinic_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('subject_name', sa.String(length=120), nullable=False),
    sa.Column('clinic_id', sa.Uuid(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_clinic_id_at', ['clinic_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_actor_id', ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_log_subject_id', ['subject_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(_APPEND_ONLY_PG)
    else:
        for statement in _APPEND_ONLY_SQLITE:
            op.execute(statement)

    op.create_table('sign_in_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('issued_by', sa.Uuid(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_sign_in_links_issued_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_links')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_sign_in_links_code_hash'))
    )
    with op.batch_alter_table('sign_in_links', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_links_user_id', ['user_id'], unique=False)

    op.create_table('discharges',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('discharged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('discharged_by', sa.Uuid(), nullable=True),
    sa.Column('discharged_by_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('ended_programs', sa.JSON(), nullable=False),
    sa.Column('readmitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('readmitted_by', sa.Uuid(), nullable=True),
    sa.Column('readmitted_by_name', sa.String(length=120), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['discharged_by'], ['users.id'], name=op.f('fk_discharges_discharged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_discharges_patient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['readmitted_by'], ['users.id'], name=op.f('fk_discharges_readmitted_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discharges'))
    )
    with op.batch_alter_table('discharges', schema=None) as batch_op:
        batch_op.create_index('uq_discharges_open', ['patient_id'], unique=True, sqlite_where=_active('readmitted_at'), postgresql_where=_active('readmitted_at'))
        batch_op.create_index('ix_discharges_patient_id_discharged_at', ['patient_id', 'discharged_at'], unique=False)

    # care links: a clinic, a lead, and an end instead of a deletion
    with op.batch_alter_table('care_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinic_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('is_lead', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('added_by', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_by', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.String(length=24), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_care_links_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_care_links_added_by_users'), 'users', ['added_by'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_care_links_ended_by_users'), 'users', ['ended_by'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint('uq_care_links_pair', type_='unique')
        batch_op.create_index('uq_care_links_active_pair', ['therapist_id', 'patient_id'], unique=True, sqlite_where=_active('ended_at'), postgresql_where=_active('ended_at'))
        batch_op.create_index('uq_care_links_one_lead', ['patient_id'], unique=True, sqlite_where=sa.text('is_lead AND ended_at IS NULL'), postgresql_where=sa.text('is_lead AND ended_at IS NULL'))
        batch_op.create_index('ix_care_links_clinic_id_patient_id', ['clinic_id', 'patient_id'], unique=False)

    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=8), server_default='account', nullable=False))
        batch_op.add_column(sa.Column('clinic_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invites_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinic_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exercises_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_exercises_clinic_id', ['clinic_id'], unique=False)

    op.create_table('program_template_versions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('change_note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_program_template_versions_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['program_templates.id'], name=op.f('fk_program_template_versions_template_id_program_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_template_versions')),
    sa.UniqueConstraint('template_id', 'version', name='uq_program_template_versions_tv')
    )
    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinic_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('current_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_program_templates_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_program_templates_clinic_id', ['clinic_id'], unique=False)

    _move_data()

    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.alter_column('current_version', server_default=None)
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('owner_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.drop_column('items')
        batch_op.drop_column('notes')


def _move_data() -> None:
    bind = op.get_bind()
    therapists = bind.execute(
        sa.select(_users.c.id, _users.c.name, _users.c.created_at).where(
            _users.c.role == 'therapist'
        )
    ).all()
    clinic_of: dict[uuid.UUID, uuid.UUID] = {}
    now = dt.datetime.now(dt.UTC)
    for therapist in therapists:
        clinic_of[therapist.id] = uuid.uuid4()
    if therapists:
        op.bulk_insert(_clinics, [
            {'id': clinic_of[t.id], 'name': t.name, 'created_at': t.created_at or now}
            for t in therapists
        ])
        op.bulk_insert(_members, [
            {'clinic_id': clinic_of[t.id], 'user_id': t.id, 'role': 'admin',
             'joined_at': t.created_at or now}
            for t in therapists
        ])
    for therapist_id, clinic_id in clinic_of.items():
        bind.execute(_links.update().where(_links.c.therapist_id == therapist_id)
                     .values(clinic_id=clinic_id))
        bind.execute(_invites.update().where(_invites.c.therapist_id == therapist_id)
                     .values(clinic_id=clinic_id))
    # each patient's earliest link leads
    leads: dict[uuid.UUID, uuid.UUID] = {}
    for link in bind.execute(
        sa.select(_links.c.id, _links.c.patient_id).order_by(
            _links.c.patient_id, _links.c.created_at, _links.c.id
        )
    ):
        leads.setdefault(link.patient_id, link.id)
    lead_ids = list(leads.values())
    for start in range(0, len(lead_ids), 500):
        bind.execute(_links.update().where(_links.c.id.in_(lead_ids[start:start + 500]))
                     .values(is_lead=True))

    templates = bind.execute(
        sa.select(_templates.c.id, _templates.c.owner_id, _templates.c.notes,
                  _templates.c['items'], _templates.c.created_at)
    ).all()
    if templates:
        op.bulk_insert(_template_versions, [
            {'id': uuid.uuid4(), 'template_id': t.id, 'version': 1, 'notes': t.notes or '',
             'items': t._mapping['items'] or [], 'created_at': t.created_at, 'created_by': t.owner_id,
             'change_note': ''}
            for t in templates
        ])
    bind.execute(_templates.update().values(updated_at=_templates.c.created_at))


def downgrade() -> None:
    bind = op.get_bind()
    # templates: the current version's notes and items go back on the template; templates
    # without an author (kept by a clinic) cannot exist before this revision
    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('items', sa.JSON(), nullable=True))
    bind.execute(_templates.delete().where(_templates.c.owner_id.is_(None)))
    current = bind.execute(
        sa.select(_template_versions.c.template_id, _template_versions.c.notes,
                  _template_versions.c['items'])
        .join(_templates, sa.and_(_templates.c.id == _template_versions.c.template_id,
                                  _templates.c.current_version == _template_versions.c.version))
    ).all()
    for row in current:
        bind.execute(_templates.update().where(_templates.c.id == row.template_id)
                     .values(notes=row.notes, items=row._mapping['items']))
    with op.batch_alter_table('program_templates', schema=None) as batch_op:
        batch_op.alter_column('items', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('notes', server_default=None)
        batch_op.alter_column('owner_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_index('ix_program_templates_clinic_id')
        batch_op.drop_constraint(batch_op.f('fk_program_templates_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('current_version')
        batch_op.drop_column('clinic_id')
    op.drop_table('program_template_versions')

    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index('ix_exercises_clinic_id')
        batch_op.drop_constraint(batch_op.f('fk_exercises_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('clinic_id')

    # a link request read as an account invite would set the password of someone's account
    bind.execute(sa.text("DELETE FROM invites WHERE kind <> 'account'"))
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invites_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_column('declined_at')
        batch_op.drop_column('name')
        batch_op.drop_column('clinic_id')
        batch_op.drop_column('kind')

    # the team's history has no place before this revision: only active links stay
    bind.execute(_links.delete().where(_links.c.ended_at.is_not(None)))
    with op.batch_alter_table('care_links', schema=None) as batch_op:
        batch_op.drop_index('ix_care_links_clinic_id_patient_id')
        batch_op.drop_index('uq_care_links_one_lead')
        batch_op.drop_index('uq_care_links_active_pair')
        batch_op.create_unique_constraint('uq_care_links_pair', ['therapist_id', 'patient_id'])
        batch_op.drop_constraint(batch_op.f('fk_care_links_ended_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_care_links_added_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_care_links_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_by')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('added_by')
        batch_op.drop_column('is_lead')
        batch_op.drop_column('clinic_id')

    with op.batch_alter_table('discharges', schema=None) as batch_op:
        batch_op.drop_index('ix_discharges_patient_id_discharged_at')
        batch_op.drop_index('uq_discharges_open')
    op.drop_table('discharges')
    with op.batch_alter_table('sign_in_links', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_links_user_id')
    op.drop_table('sign_in_links')
    if bind.dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_log_append_only ON audit_log')
        op.execute('DROP FUNCTION audit_log_append_only()')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject_id')
        batch_op.drop_index('ix_audit_log_actor_id')
        batch_op.drop_index('ix_audit_log_clinic_id_at')
        batch_op.drop_index('ix_audit_log_at')
    op.drop_table('audit_log')
    with op.batch_alter_table('clinic_invites', schema=None) as batch_op:
        batch_op.drop_index('ix_clinic_invites_clinic_id')
    op.drop_table('clinic_invites')
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.drop_index('ix_clinic_members_user_id')
    op.drop_table('clinic_members')
    op.drop_table('clinics')
