"""operations: scheduler heartbeats (readiness) and the indexes retention prunes by

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

On PostgreSQL the indexes are built CONCURRENTLY (outside the migration's transaction), so a
large table keeps taking writes while its index is built; SQLite builds them in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_reminder_occurrences_decided_at', 'reminder_occurrences', 'decided_at'),
    ('ix_deliveries_created_at', 'deliveries', 'created_at'),
    ('ix_auth_sessions_expires_at', 'auth_sessions', 'expires_at'),
    ('ix_login_failures_at', 'login_failures', 'at'),
    ('ix_access_log_at', 'access_log', 'at'),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade() -> None:
    op.create_table('scheduler_heartbeats',
    sa.Column('process', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('process', name=op.f('pk_scheduler_heartbeats'))
    )
    if _postgresql():
        with op.get_context().autocommit_block():
            for name, table, column in INDEXES:
                op.create_index(name, table, [column], postgresql_concurrently=True, if_not_exists=True)
        return
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table('scheduler_heartbeats')
