"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import inspect, text

import models
from goudenpoort.cli import alembic_config
from goudenpoort.db import compared_in_migrations, get_db


def test_upgrade_head_matches_the_models(app: Flask) -> None:
    """The test database was built by `upgrade head` on an empty database: no diff remains."""
    with get_db(app).engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True,
                              "include_object": compared_in_migrations}
        )
        diff = compare_metadata(context, models.Base.metadata)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head
    assert diff == []


def test_one_head_only() -> None:
    """Revisions form a single line (merged branches would need a merge revision)."""
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_title_search_has_a_trigram_index_on_postgresql(app: Flask) -> None:
    """On PostgreSQL (where pg_trgm is installed in CI) the title searches have GIN indexes."""
    engine = get_db(app).engine
    if engine.dialect.name != "postgresql":
        # SQLite has no trigram indexes: revision 0007 must have created nothing there.
        names = {i["name"] for i in inspect(engine).get_indexes("training_routes")}
        assert not any(n.endswith("_trgm") for n in names)
        return
    with engine.connect() as connection:
        found = dict(connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_trgm'")).all())
    assert set(found) == {"ix_training_routes_title_trgm", "ix_vacancies_title_trgm"}
    assert all("gin_trgm_ops" in d and "lower" in d for d in found.values())
