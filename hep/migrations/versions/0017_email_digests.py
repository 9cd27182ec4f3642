"""email digests: the local times a patient's email reminders are mailed together, and
whether new-message notices come by email too

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 09:00:00

Data: patients who chose email reminders get them at 08:00 and 18:00 until they pick other
times; message notices by email start off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'email_digest_times',
                sa.String(length=24),
                server_default='08:00,18:00',
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column('email_notices', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.drop_column('email_notices')
        batch_op.drop_column('email_digest_times')
