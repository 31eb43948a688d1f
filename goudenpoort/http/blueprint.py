"""The Blueprint every resource uses: strict JSON, unknown query and body fields are an error."""

from __future__ import annotations

import flask_smorest

from goudenpoort.http.parser import StrictParser


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest Blueprint with the strict parser (see `goudenpoort.http.parser`)."""

    ARGUMENTS_PARSER = StrictParser()
