"""Probes, the OpenAPI document and the self-hosted docs."""

from __future__ import annotations

from typing import Any


def test_healthz_and_readyz(client: Any) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["status"] == "ready"
    assert body["taxonomy"]["release"] == "ESCO 1.1.1"
    assert body["taxonomy"]["skills"] == 14536


def test_openapi_document_is_3_1_and_lists_the_api(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/skills" in spec["paths"]
    assert "/api/v1/regions" in spec["paths"]
    assert "Error" in spec["components"]["schemas"]


def test_docs_are_served_without_a_cdn(client: Any) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    bundle = client.get("/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.get_data()) > 100_000
