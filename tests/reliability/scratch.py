"""Scratch databases for tests that need committed data: live servers, threads, outages.

The shared test database runs every test inside a rolled-back transaction, which one
connection cannot share with many threads or another process. These tests get a database of
their own instead (`<test database>_<name>` on PostgreSQL, a file on SQLite), migrated to
head, with the labour-market regions loaded (organisations refer to them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from goudenpoort import create_app
from goudenpoort.config import TestConfig
from goudenpoort.db import get_db, normalise_url, session_scope
from goudenpoort.taxonomy.importer import read_regions
from models import Region


def scratch_url(base_url: str, name: str, directory: Path) -> str:
    """Create an empty database next to the test database and return its URL."""
    if not base_url.startswith("postgresql"):
        return f"sqlite:///{directory / f'{name}.db'}"
    base = make_url(normalise_url(base_url))
    database = f"{base.database}_{name}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


def drop_scratch(url: str) -> None:
    """Drop a scratch PostgreSQL database (SQLite files go with the temporary folder)."""
    if not url.startswith("postgresql"):
        return
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def migrated_app(url: str, **overrides: Any) -> Flask:
    """Create an app on the scratch database, migrated to head, regions loaded."""
    from alembic import command

    from goudenpoort.cli import alembic_config

    app = create_app(TestConfig, DATABASE_URL=url, **overrides)
    with app.app_context():
        cfg = alembic_config()
        with get_db(app).engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        with session_scope(app) as session:
            session.execute(insert(Region), read_regions(app.config["REGIONS_FILE"]))
    return app
