"""The Blueprint every resource uses: unknown query and body fields are an error, never ignored."""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest Blueprint whose parser lets each schema's `unknown = RAISE` apply."""

    # webargs excludes unknown query parameters by default; a typo in a filter must be a 422.
    ARGUMENTS_PARSER = FlaskParser(unknown=None)
