"""adherence snapshots and the version they are computed from

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hep.db

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stats_version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('adherence_snapshots',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('basis', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('valid_until', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('computed_at', hep.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('percent_7_days', sa.Float(), nullable=True),
    sa.Column('percent_prev_7_days', sa.Float(), nullable=True),
    sa.Column('pain_trend', sa.String(length=8), nullable=False),
    sa.Column('last_activity_at', hep.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('document', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_adherence_snapshots_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_adherence_snapshots'))
    )


def downgrade() -> None:
    op.drop_table('adherence_snapshots')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('stats_version')
