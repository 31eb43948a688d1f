"""Fixtures of the reliability tests: a seeded world and the app's OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import PIPE_WELDER
from tests.reliability.spec import OPENAPI_PATH
from tests.reliability.world import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    """Seed the world inside the test's transaction.

    Flushed, not committed: requests share the test's connection and see the rows. On SQLite
    (pysqlite begins transactions lazily) releasing the session's outermost savepoint would
    commit for real and leak the rows into later tests.
    """
    world = build_world(session)
    world.known["ref"].append(PIPE_WELDER)
    return world


@pytest.fixture(scope="session")
def schema(app: Flask) -> Any:
    """Load the OpenAPI document from the running app, as schemathesis sees it."""
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, app)
