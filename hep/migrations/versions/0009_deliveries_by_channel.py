"""deliveries by channel: a delivery goes to an address on a channel (push, email)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:00:00

Data: every delivery so far was a web push; its subscription becomes its address (null stays
null: the subscription was removed), in batches on PostgreSQL. The answer's code column is no
longer HTTP only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BATCH = 10_000


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _fill_addresses_in_batches() -> None:
    """PostgreSQL: copy each delivery's subscription into its address BATCH rows a
    transaction, walking the primary key, so a big table is never held (or its every row
    rewritten) in one transaction while hep goes on reading it."""
    bind = op.get_bind()
    deliveries = sa.table('deliveries', sa.column('id', sa.Uuid()))
    last = None
    with op.get_context().autocommit_block():
        while True:
            query = sa.select(deliveries.c.id).order_by(deliveries.c.id).limit(BATCH)
            if last is not None:
                query = query.where(deliveries.c.id > last)
            ids = bind.execute(query).scalars().all()
            if not ids:
                return
            bind.execute(
                sa.text(
                    'UPDATE deliveries SET address_id = subscription_id '
                    'WHERE id >= :first AND id <= :last'
                ),
                {'first': ids[0], 'last': ids[-1]},
            )
            last = ids[-1]


def upgrade() -> None:
    # on PostgreSQL the batches below commit as they go: a run stopped among them left these
    # columns behind, and runs again from here
    added = _postgresql() and 'address_id' in {
        c['name'] for c in sa.inspect(op.get_bind()).get_columns('deliveries')
    }
    if not added:
        with op.batch_alter_table('deliveries', schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('channel', sa.String(length=8), nullable=False, server_default='push')
            )
            batch_op.add_column(sa.Column('address_id', sa.Uuid(), nullable=True))
            batch_op.alter_column('http_status', new_column_name='status_code')
    if _postgresql():
        _fill_addresses_in_batches()
    else:  # SQLite copies the whole table below anyway (a batch migration rebuilds it)
        op.execute('UPDATE deliveries SET address_id = subscription_id')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('channel', server_default=None)
        batch_op.drop_constraint('uq_deliveries_once', type_='unique')
        batch_op.drop_constraint(
            'fk_deliveries_subscription_id_push_subscriptions', type_='foreignkey'
        )
        batch_op.drop_column('subscription_id')
        batch_op.create_unique_constraint(
            'uq_deliveries_once', ['occurrence_id', 'channel', 'address_id']
        )


def downgrade() -> None:
    # only pushes can be told in the old shape
    op.execute("DELETE FROM deliveries WHERE channel <> 'push'")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_deliveries_once', type_='unique')
        batch_op.add_column(sa.Column('subscription_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('status_code', new_column_name='http_status')
    # addresses whose subscription is gone would break the foreign key: null, as before
    op.execute(
        'UPDATE deliveries SET subscription_id = address_id WHERE address_id IN '
        '(SELECT id FROM push_subscriptions)'
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('address_id')
        batch_op.drop_column('channel')
        batch_op.create_foreign_key(
            batch_op.f('fk_deliveries_subscription_id_push_subscriptions'),
            'push_subscriptions',
            ['subscription_id'],
            ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_unique_constraint(
            'uq_deliveries_once', ['occurrence_id', 'subscription_id']
        )
