"""Engine and request-scoped session; a write request commits once at the end or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

EXTENSION = "goudenpoort.db"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let readers and one writer work side by side."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.isolation_level = None  # autocommit driver; _sqlite_begin opens transactions


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _sqlite_begin(connection: Any) -> None:
    """Open the transaction ourselves so savepoints nest inside it.

    A request that may write takes SQLite's write lock up front (BEGIN IMMEDIATE), waiting up
    to the busy timeout for another writer to finish. A deferred transaction that reads first
    and then writes after another writer committed fails at once with SQLITE_BUSY (its snapshot
    is stale), which no timeout can wait out: concurrent PATCHes would get 503, not 412. Signed-in
    reads may write too (the audit log of who read a profile); public reads stay deferred.
    """
    write = has_request_context() and (
        request.method in WRITE_METHODS or "Authorization" in request.headers)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def compared_in_migrations(obj: Any, name: str | None, type_: str, reflected: bool,
                           compare_to: Any) -> bool:
    """Tell autogenerate what to compare: all but the optional trigram search indexes."""
    # Migration 0007 adds them only where pg_trgm exists; the models do not describe them.
    return not (type_ == "index" and reflected and (name or "").endswith("_trgm"))


def make_engine(
    url: str,
    *,
    connect_timeout: int = 5,
    pool_timeout: int = 5,
    statement_timeout_ms: int = 15000,
) -> Engine:
    """Create an engine whose failures surface quickly instead of hanging a worker."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": connect_timeout},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite opens transactions only before DML, so a SAVEPOINT issued first became the
        # outermost transaction and its RELEASE committed for real (tests leaked rows past the
        # rolled-back outer transaction). SQLAlchemy's documented recipe: we emit BEGIN.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        # Parameters are personal data (names, e-mail addresses): keep them out of the text of
        # database errors, which end up in logs and tracebacks.
        hide_parameters=True,
        pool_pre_ping=True,  # a restarted PostgreSQL leaves dead pooled connections behind
        pool_timeout=pool_timeout,
        pool_size=5,
        max_overflow=5,
        connect_args={
            "connect_timeout": connect_timeout,
            "options": f"-c statement_timeout={statement_timeout_ms}",
        },
    )


class Database:
    """The engine and session factory of one app."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessionmaker: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False, autoflush=True
        )

    @property
    def dialect(self) -> str:
        """Return the dialect name (`sqlite` or `postgresql`)."""
        return self.engine.dialect.name

    def ping(self) -> None:
        """Run a trivial query; raises when the database is unreachable."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))


def database_url(app: Flask) -> str:
    """Return the configured database URL, defaulting to SQLite in the instance folder."""
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{app.instance_path}/goudenpoort.db"


def init_app(app: Flask) -> Database:
    """Attach a Database to the app and close the request session when the request ends."""
    database = Database(
        make_engine(
            database_url(app),
            connect_timeout=app.config["DATABASE_CONNECT_TIMEOUT"],
            pool_timeout=app.config["DATABASE_POOL_TIMEOUT"],
            statement_timeout_ms=app.config["DATABASE_STATEMENT_TIMEOUT_MS"],
        )
    )
    app.extensions[EXTENSION] = database

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()  # no-op after commit; undoes anything left by a failure
            session.close()

    return database


def get_db(app: Flask | None = None) -> Database:
    """Return the Database of the given or current app."""
    return (app or current_app).extensions[EXTENSION]


def get_session() -> Session:
    """Return this request's (or CLI command's) session, creating it on first use."""
    session = g.get("db_session")
    if session is None:
        session = get_db().sessionmaker()
        g.db_session = session
    return session


def finish_request(success: bool) -> None:
    """Commit the request's session if the request succeeded, else roll it back."""
    session: Session | None = g.get("db_session")
    if session is None:
        return
    if success:
        session.commit()
    else:
        session.rollback()


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """Yield a session for CLI work: commit once at the end, roll back on any exception."""
    session = get_db(app).sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
