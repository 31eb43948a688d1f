"""De Gouden Poort backend: the application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from goudenpoort.config import Config, settings_from


def create_app(config: type[Config] | Config | None = None, **overrides: Any) -> Flask:
    """Create the Flask app: configuration, database, blueprints and CLI; no I/O."""
    instance = os.environ.get("GOUDENPOORT_INSTANCE_PATH")
    app = Flask(
        __name__,
        # Flask wants it absolute; a relative one (`instance`) means from where we started.
        instance_path=os.path.abspath(instance) if instance else None,
        instance_relative_config=True,
    )
    app.config.update(settings_from(config or Config))
    app.config.update(overrides)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    os.makedirs(app.instance_path, exist_ok=True)

    from goudenpoort import db, logs, ratelimit
    from goudenpoort.cli import register_cli
    from goudenpoort.http import register_http

    logs.init_app(app)
    db.init_app(app)
    register_http(app)
    ratelimit.init_app(app)
    register_cli(app)
    return app
