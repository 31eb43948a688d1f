"""The gunicorn target."""

from goudenpoort import create_app

app = create_app()
