"""The match change log: every write to an indexed profile, route, vacancy or employer.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 03:41:13.485193
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('match_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=255), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("op IN ('upsert', 'remove')", name=op.f('ck_match_changes_op')),
    sa.CheckConstraint("side IN ('candidate', 'route', 'vacancy', 'employer')", name=op.f('ck_match_changes_side')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_changes'))
    )
    with op.batch_alter_table('match_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_changes_at'), ['at'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('match_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_changes_at'))

    op.drop_table('match_changes')
