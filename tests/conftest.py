"""Shared fixtures: one database per run (built by the migrations), one savepoint per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from goudenpoort import create_app
from goudenpoort.config import TestConfig
from goudenpoort.db import get_db, make_engine, session_scope

TEST_DATABASE_URL = os.environ.get("GOUDENPOORT_TEST_DATABASE_URL")


def reset_database(url: str) -> None:
    """Empty a PostgreSQL test database (SQLite test files are new each run)."""
    if not url.startswith("postgresql"):
        return
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the test database URL: PostgreSQL if configured, else a fresh SQLite file."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Create the app on a database migrated to head with the real ESCO taxonomy loaded."""
    from alembic import command

    from goudenpoort.cli import alembic_config
    from goudenpoort.taxonomy.dutch_labels import read_project_file, read_project_occupations
    from goudenpoort.taxonomy.files import open_release
    from goudenpoort.taxonomy.importer import import_release

    reset_database(database_url)
    instance = tmp_path_factory.mktemp("instance")
    os.environ["GOUDENPOORT_INSTANCE_PATH"] = str(instance)
    application = create_app(TestConfig, DATABASE_URL=database_url,
                             INDEX_DIR=str(Path(instance) / "index"))
    with application.app_context():
        cfg = alembic_config()
        with get_db().engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        with session_scope() as session:
            # As `flask taxonomy import` does: ESCO plus the project's Dutch labels.
            import_release(
                session, open_release(application.config["TAXONOMY_DIR"]),
                application.config["REGIONS_FILE"],
                project_labels=read_project_file(application.config["PROJECT_LABELS_FILE"]),
                project_occupation_labels=read_project_occupations(
                    application.config["PROJECT_OCCUPATION_LABELS_FILE"]),
            )
    yield application
    get_db(application).engine.dispose()


@pytest.fixture
def connection(app: Flask) -> Iterator[Connection]:
    """Run the test inside an outer transaction that is rolled back afterwards."""
    database = get_db(app)
    original = dict(database.sessionmaker.kw)
    conn = database.engine.connect()
    outer = conn.begin()
    # Every session of this test (request sessions included) joins the outer transaction and
    # turns its own commit into a savepoint release: SQLAlchemy's external-transaction recipe.
    database.sessionmaker.configure(bind=conn, join_transaction_mode="create_savepoint")
    try:
        yield conn
    finally:
        database.sessionmaker.kw.clear()
        database.sessionmaker.kw.update(original)
        outer.rollback()
        conn.close()


@pytest.fixture
def session(app: Flask, connection: Connection) -> Iterator[Session]:
    """A session for service-level tests, inside the test's transaction.

    No app context is held open: a test client request then pushes its own, so `g` (the
    request's session and signed-in account) does not leak from one request into the next.
    """
    db_session = get_db(app).sessionmaker()
    try:
        yield db_session
    finally:
        db_session.close()


@pytest.fixture
def client(app: Flask, connection: Connection) -> FlaskClient:
    """A test client whose requests all run inside the test's transaction."""
    return app.test_client()
