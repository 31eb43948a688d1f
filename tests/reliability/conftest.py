"""Fixtures of the reliability tests: a seeded world and the app's OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from sqlalchemy import Connection

from goudenpoort.db import get_db
from tests.factories import PIPE_WELDER
from tests.reliability.spec import OPENAPI_PATH
from tests.reliability.world import World, build_world


@pytest.fixture
def world(app: Flask, connection: Connection) -> World:
    """Seed the world inside the test's transaction."""
    session = get_db(app).sessionmaker()
    try:
        world = build_world(session)
        world.known["ref"].append(PIPE_WELDER)
        session.commit()  # releases the session's savepoint; the outer transaction remains
        return world
    finally:
        session.close()


@pytest.fixture(scope="session")
def schema(app: Flask) -> Any:
    """Load the OpenAPI document from the running app, as schemathesis sees it."""
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, app)
