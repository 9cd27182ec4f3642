"""media: therapists' photos and videos on exercises and on patients' program items

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('media',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('thumbnail_type', sa.String(length=40), nullable=False),
    sa.Column('thumbnail_size', sa.Integer(), nullable=False),
    sa.Column('poster', sa.String(length=8), nullable=True),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('exercise_id', sa.Uuid(), nullable=True),
    sa.Column('program_id', sa.Uuid(), nullable=True),
    sa.Column('item_key', sa.Uuid(), nullable=True),
    sa.Column('uploaded_by', sa.Uuid(), nullable=True),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_media_exercise_id_exercises'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_media_program_id_programs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_media_uploaded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media'))
    )
    op.create_index('ix_media_exercise_id', 'media', ['exercise_id'], unique=False)
    op.create_index('ix_media_program_id', 'media', ['program_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_media_program_id', table_name='media')
    op.drop_index('ix_media_exercise_id', table_name='media')
    op.drop_table('media')
