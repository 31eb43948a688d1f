"""Dutch label layer: which loader owns a skill label, and where a skill's label_nl is from.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:35:53.919571
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('skill_labels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='release', nullable=False))
        batch_op.create_index(batch_op.f('ix_skill_labels_source'), ['source'], unique=False)

    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_nl_origin', sa.String(length=16), nullable=True))

    # Rows loaded before this revision: project labels belong to the project loader, and every
    # existing label_nl came from the ESCO release.
    op.execute("UPDATE skill_labels SET source = 'project' WHERE origin = 'project'")
    op.execute("UPDATE skills SET label_nl_origin = 'esco' WHERE label_nl IS NOT NULL")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_column('label_nl_origin')

    with op.batch_alter_table('skill_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_labels_source'))
        batch_op.drop_column('source')
