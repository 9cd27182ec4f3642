"""index for last activity

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:49:49.287828
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hep.db

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_check_ins_owner_id_updated_at', ['owner_id', 'updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_check_ins_owner_id_updated_at')

