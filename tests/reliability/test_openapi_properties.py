"""schemathesis over every documented operation, for every role: the API keeps its contract.

Each operation gets generated requests (schema-valid ones and, separately, schema-invalid ones)
sent in-process through WSGI, signed in as each of the five roles or not at all. Path ids are
sometimes swapped for ids of real records so requests reach the code behind the 404. Checks:
no 5xx, status codes and bodies conform to the documented schemas, schema-invalid input is
refused with a 4xx, and every error is the envelope `{"error": {"code", "message", ...}}`.
Every generated request runs inside a savepoint that is rolled back, so examples do not see
each other's writes (an erased profile or a revoked token would hide the rest of the API).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Connection

from tests.reliability.spec import label, openapi_document, operations
from tests.reliability.world import ROLES, World, aim_at_known_records

# Examples per operation and mode; GOUDENPOORT_SCHEMATHESIS_EXAMPLES raises it (the slow run).
EXAMPLES = int(os.environ.get("GOUDENPOORT_SCHEMATHESIS_EXAMPLES", "25"))
SLOW_EXAMPLES = 100
# Each role twice, no token at all once: most requests should get past the sign-in.
CALLERS = (*ROLES, *ROLES, None)


def check_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx body is exactly the error envelope."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the envelope: {body!r}"
    error = body["error"]
    assert isinstance(error, dict), f"error is not an object: {error!r}"
    assert set(error) <= {"code", "message", "details"}, f"unexpected keys: {sorted(error)}"
    assert isinstance(error.get("code"), str) and error["code"], "error.code must be a string"
    assert isinstance(error.get("message"), str) and error["message"], "error.message missing"
    if "details" in error:
        assert isinstance(error["details"], dict), "error.details must be an object"
    if response.status_code in {429, 503}:
        assert "Retry-After" in response.headers, "429/503 without Retry-After"
    return None


POSITIVE_CHECKS = [status_code_conformance, content_type_conformance,
                   response_schema_conformance, check_error_envelope]
NEGATIVE_CHECKS = [*POSITIVE_CHECKS, negative_data_rejection]


def run_operation(schema: Any, app: Flask, connection: Connection, world: World,
                  operation: tuple[str, str], examples: int) -> None:
    """Throw generated requests at one operation in both modes and validate every answer."""
    method, path = operation
    api_operation = schema[path][method]
    for mode, checks in ((GenerationMode.POSITIVE, POSITIVE_CHECKS),
                         (GenerationMode.NEGATIVE, NEGATIVE_CHECKS)):
        probe = make_probe(api_operation.as_strategy(generation_mode=mode), checks, connection,
                           world, examples, aim=mode is GenerationMode.POSITIVE)
        try:
            probe()
        except Unsatisfiable:
            # Nothing to make invalid: no query, no body, only path strings (e.g. /regions).
            if mode is not GenerationMode.NEGATIVE:
                raise


def make_probe(strategy: Any, checks: list[Any], connection: Connection, world: World,
               examples: int, *, aim: bool) -> Any:
    """Return a hypothesis test sending each generated case as one caller and checking it.

    Schema-invalid cases are sent as generated (aim=False): swapping in a real id or a valid
    token would make them valid, and the check would then expect a refusal for nothing.
    """

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy, caller=st.sampled_from(CALLERS), data=st.data())
    def probe(case: Any, caller: str | None, data: st.DataObject) -> None:
        headers = dict(world.headers[caller]) if caller else {}
        if aim:
            aim_at_known_records(case, world, data)
        elif "Authorization" in (case.headers or {}):
            headers = {}  # the generated (invalid) Authorization header is the point
        savepoint = connection.begin_nested()
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)
        finally:
            savepoint.rollback()

    return probe


@pytest.mark.parametrize("operation", operations(), ids=label)
def test_operation_keeps_its_contract(schema: Any, app: Flask, connection: Connection,
                                      world: World, operation: tuple[str, str]) -> None:
    run_operation(schema, app, connection, world, operation, EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("operation", operations(), ids=label)
def test_operation_keeps_its_contract_thoroughly(schema: Any, app: Flask, connection: Connection,
                                                 world: World,
                                                 operation: tuple[str, str]) -> None:
    run_operation(schema, app, connection, world, operation, SLOW_EXAMPLES)


def test_every_operation_is_covered() -> None:
    # The parametrisation above is built from the document; make sure it is not empty and that
    # every operation is authenticated or explicitly public.
    document = openapi_document()
    assert len(operations()) >= 20
    assert set(document["components"]["responses"]) >= {"DEFAULT_ERROR"}

