"""Configuration classes; every setting can be overridden by a `GOUDENPOORT_<NAME>` variable."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "GOUDENPOORT_"


class Config:
    """Production-safe defaults; SQLite in the instance folder so a newcomer can start at once."""

    # None means: SQLite file `goudenpoort.db` in the Flask instance folder.
    DATABASE_URL: str | None = None
    DATABASE_CONNECT_TIMEOUT: int = 5  # seconds before an unreachable database gives 503
    DATABASE_POOL_TIMEOUT: int = 5
    DATABASE_STATEMENT_TIMEOUT_MS: int = 15000  # PostgreSQL only: no request hangs forever
    RETRY_AFTER_SECONDS: int = 5  # Retry-After on 503
    MAX_CONTENT_LENGTH: int = 1 * 1024 * 1024  # JSON bodies; bulk imports have their own limit
    MAX_IMPORT_LENGTH: int = 20 * 1024 * 1024
    TAXONOMY_DIR: str = str(ROOT / "data" / "esco")
    REGIONS_FILE: str = str(ROOT / "data" / "regions" / "arbeidsmarktregios.csv")
    PROJECT_LABELS_FILE: str = str(ROOT / "data" / "labels" / "skills_nl_project.csv")
    PROJECT_OCCUPATION_LABELS_FILE: str = str(
        ROOT / "data" / "labels" / "occupations_nl_project.csv")
    INDEX_DIR: str | None = None  # None means: `index/` in the instance folder
    SEARCH_MAX_QUERY_LENGTH: int = 200
    # Seconds a worker's label copies (the search index, the labels match answers name) are
    # used before it checks the label tables for an import again (one count over the labels:
    # about 14 ms on PostgreSQL); 0 checks every time.
    SEARCH_INDEX_RECHECK_SECONDS: float = 2.0
    JSON_LOGS: bool = True
    TESTING: bool = False

    # Rate limits (flask-limiter syntax). Memory storage counts per gunicorn worker; set
    # RATELIMIT_STORAGE_URI to e.g. redis://… to share the counts between workers and hosts.
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_PER_CALLER: str = "600 per minute"
    RATELIMIT_AUTH_FAILURES: str = "20 per 5 minutes"
    RATELIMIT_STORAGE_URI: str = "memory://"
    # CORS is closed unless origins are listed (JSON list, e.g. '["https://portal.example.nl"]').
    CORS_ORIGINS: list = []

    # flask-smorest / OpenAPI
    API_TITLE: str = "De Gouden Poort API"
    API_VERSION: str = "v1"
    OPENAPI_VERSION: str = "3.1.0"
    OPENAPI_URL_PREFIX: str = "/"
    OPENAPI_JSON_PATH: str = "api/v1/openapi.json"
    OPENAPI_REDOC_PATH: str | None = None
    OPENAPI_SWAGGER_UI_PATH: str | None = None  # /docs is served by our own blueprint, no CDN
    JSON_SORT_KEYS: bool = False


class TestConfig(Config):
    """Settings for the test suite; the database comes from GOUDENPOORT_TEST_DATABASE_URL."""

    TESTING: bool = True
    JSON_LOGS: bool = False
    RATELIMIT_ENABLED: bool = False  # tests of the limits enable them on their own app
    DATABASE_CONNECT_TIMEOUT: int = 2
    SEARCH_INDEX_RECHECK_SECONDS: float = 0.0  # a test's label change shows at once


def _coerce(raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the setting's default."""
    if isinstance(default, bool):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list | dict):
        return json.loads(raw)
    return raw


def settings_from(config: type[Config] | Config, environ: dict[str, str] | None = None) -> dict:
    """Return the upper-case settings of a config class with GOUDENPOORT_ overrides applied."""
    environ = dict(os.environ if environ is None else environ)
    settings = {name: getattr(config, name) for name in dir(config) if name.isupper()}
    for key, raw in environ.items():
        if not key.startswith(PREFIX) or key == f"{PREFIX}TEST_DATABASE_URL":
            continue
        name = key.removeprefix(PREFIX)
        try:
            settings[name] = _coerce(raw, settings.get(name))
        except ValueError as exc:
            raise RuntimeError(f"{key}: {exc}") from exc
    return settings
