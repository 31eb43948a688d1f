"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

import models
from goudenpoort.cli import alembic_config
from goudenpoort.db import get_db


def test_upgrade_head_matches_the_models(app: Flask) -> None:
    """The test database was built by `upgrade head` on an empty database: no diff remains."""
    with get_db(app).engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, models.Base.metadata)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head
    assert diff == []


def test_one_head_only() -> None:
    """Revisions form a single line (merged branches would need a merge revision)."""
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
