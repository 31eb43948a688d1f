"""Human API docs at /docs: Swagger UI served from the app itself (no CDN)."""

from __future__ import annotations

from flask_swagger_ui import get_swaggerui_blueprint

blp = get_swaggerui_blueprint(
    "/docs",
    "/api/v1/openapi.json",
    config={"app_name": "De Gouden Poort API", "deepLinking": True},
    blueprint_name="docs",
)
