"""Trigram indexes for the title search of routes and vacancies (PostgreSQL with pg_trgm only).

`?q=` filters on `lower(title) LIKE '%word%'`, which no b-tree can serve: at 100k routes a rare
word scanned tens of thousands of rows (330 ms); a GIN trigram index answers it in about 1 ms.
The indexes are an accelerator, not part of the model: where pg_trgm is not installed, or on
SQLite, this revision does nothing and search works as before, only slower. Autogenerate
ignores them (`goudenpoort.db.compared_in_migrations`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_training_routes_title_trgm": "training_routes",
           "ix_vacancies_title_trgm": "vacancies"}


def _trigrams_available() -> bool:
    """Tell whether pg_trgm is installed or may be installed by this user."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    installed = bind.execute(sa.text(
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if installed:
        return True
    # pg_trgm is a trusted extension: a user with CREATE on the database may install it.
    return bool(bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm' "
        "AND has_database_privilege(current_database(), 'CREATE')")).first())


def upgrade() -> None:
    """Apply this revision."""
    if not _trigrams_available():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                   "USING gin (lower(title) gin_trgm_ops)")


def downgrade() -> None:
    """Revert this revision (the extension stays: other objects may use it)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
