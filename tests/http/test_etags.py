"""The one If-Match rule: parsing the header, and its single OpenAPI description."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from goudenpoort.errors import PreconditionFailed, PreconditionRequired
from goudenpoort.http.etags import IF_MATCH_PARAMETER, if_match_versions, require_if_match

# Every write that needs If-Match; an operation added without the header doc fails here.
REQUIRED = {
    ("patch", "/api/v1/accounts/{account_id}"),
    ("patch", "/api/v1/organisations/{organisation_id}"),
    ("patch", "/api/v1/candidates/{candidate_id}"),
    ("delete", "/api/v1/candidates/{candidate_id}"),
    ("patch", "/api/v1/routes/{route_id}"),
    ("delete", "/api/v1/routes/{route_id}"),
    ("patch", "/api/v1/vacancies/{vacancy_id}"),
    ("delete", "/api/v1/vacancies/{vacancy_id}"),
    ("put", "/api/v1/employers/{employer_id}"),
}


@pytest.mark.parametrize(("header", "versions"), [
    ('"3"', {3}),
    ('"3", "4"', {3, 4}),
    (' "3" , W/"4", "x"', {3}),  # weak and non-numeric tags never match; the rest still count
])
def test_if_match_versions_names_the_strong_numeric_tags(
    app: Flask, header: str, versions: set[int]
) -> None:
    with app.test_request_context(headers={"If-Match": header}):
        assert if_match_versions() == versions


@pytest.mark.parametrize("header", [None, "", "  ", "*", " * "])
def test_a_missing_header_or_star_is_428(app: Flask, header: str | None) -> None:
    headers = {} if header is None else {"If-Match": header}
    with app.test_request_context(headers=headers):
        with pytest.raises(PreconditionRequired):
            if_match_versions()
        with pytest.raises(PreconditionRequired):
            require_if_match(1)


@pytest.mark.parametrize("header", ['W/"1"', '"2"', "1", '"one"', '"1'])
def test_weak_stale_or_malformed_tags_are_412(app: Flask, header: str) -> None:
    with app.test_request_context(headers={"If-Match": header}), \
            pytest.raises(PreconditionFailed):
        require_if_match(1)


def test_require_if_match_returns_the_version_seen(app: Flask) -> None:
    with app.test_request_context(headers={"If-Match": '"0", "5"'}):
        assert require_if_match(5) == 5
        assert require_if_match(0) == 0


def test_every_if_match_write_documents_the_one_shared_header(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (method, path): [p for p in operation.get("parameters", []) if p["name"] == "If-Match"]
        for path, item in spec["paths"].items()
        for method, operation in item.items() if isinstance(operation, dict)
    }
    for key in REQUIRED:
        assert documented[key] == [IF_MATCH_PARAMETER], key
    required_elsewhere = {key for key, params in documented.items()
                          if any(p["required"] for p in params)}
    assert required_elsewhere == REQUIRED
