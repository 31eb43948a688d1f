"""Many writers at once: the ETag rules hold, no update is lost, nothing deadlocks.

Each thread has its own test client, so requests run truly in parallel against a scratch
database with committed data. On PostgreSQL this is the production setting: the version check
is part of the UPDATE (`WHERE version = :seen`), so of N writers holding the same ETag exactly
one wins and the others get 412. On SQLite, writers are serialised by the database lock (busy
timeout 5 s); the same assertions hold, with less real overlap.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from goudenpoort.db import get_db, session_scope
from models import TrainingRoute
from tests.factories import auth_headers, create_account, create_candidate
from tests.reliability.scratch import drop_scratch, migrated_app, scratch_url

WRITERS = 8
ROUNDS = 6
INCREMENTS = 5
TIMEOUT = 120  # seconds for a whole scenario: far beyond what it needs, short of a hang


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a scratch database of its own, with committed data."""
    url = scratch_url(database_url, "concurrency", tmp_path_factory.mktemp("concurrency"))
    app = migrated_app(url)
    yield app
    get_db(app).engine.dispose()
    drop_scratch(url)


@pytest.fixture
def profile(live: Flask) -> tuple[str, dict[str, str]]:
    """Create an adviser and an intake profile (committed); return its URL and headers."""
    with session_scope(live) as session:
        adviser = create_account(session, role="adviser")
        candidate = create_candidate(session, adviser=adviser, given_name="Start")
        headers = auth_headers(session, adviser)
        url = f"/api/v1/candidates/{candidate.id}"
    return url, headers


def in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..count-1) in threads released at the same moment; re-raise any error."""
    barrier = threading.Barrier(count)

    def start(index: int) -> Any:
        barrier.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(start, index) for index in range(count)]
        return [future.result(timeout=TIMEOUT) for future in futures]


def test_one_writer_wins_per_version(live: Flask, profile: tuple[str, dict[str, str]]) -> None:
    url, headers = profile
    winners: list[str] = []
    for round_ in range(ROUNDS):
        version = live.test_client().get(url, headers=headers).get_json()["version"]

        def patch(index: int, version: int = version, round_: int = round_) -> tuple[int, str]:
            name = f"W{index}R{round_}"
            body = {"given_name": name, "languages": [{"code": "nl", "cefr": "B1"},
                                                      {"code": "en", "cefr": "A2"}][: index % 3]}
            response = live.test_client().patch(url, json=body, headers={
                **headers, "If-Match": f'"{version}"'})
            if response.status_code >= 400:
                assert set(response.get_json()) == {"error"}
            return response.status_code, name

        results = in_parallel(WRITERS, patch)
        statuses = Counter(status for status, _ in results)
        assert statuses == {200: 1, 412: WRITERS - 1}, statuses
        winners.append(next(name for status, name in results if status == 200))

    final = live.test_client().get(url, headers=headers).get_json()
    assert final["version"] == 1 + ROUNDS
    assert final["given_name"] == winners[-1]
    history = live.test_client().get(f"{url}/history?field=given_name&limit=100",
                                     headers=headers).get_json()["items"]
    names = [item["changes"]["given_name"]["new"] for item in history]
    assert names == ["Start", *winners]  # every accepted write, in order, and nothing else
    assert [item["version"] for item in history] == list(range(1, ROUNDS + 2))


def test_no_update_is_lost_under_contention(live: Flask,
                                            profile: tuple[str, dict[str, str]]) -> None:
    url, headers = profile
    conflicts = Counter()
    lock = threading.Lock()

    def append_tokens(index: int) -> int:
        client = live.test_client()
        done = 0
        while done < INCREMENTS:  # read-modify-write, retrying on 412 as a client should
            current = client.get(url, headers=headers)
            assert current.status_code == 200, current.get_data()
            notes = current.get_json()["notes"] or ""
            response = client.patch(url, json={"notes": f"{notes}[{index}.{done}]"},
                                    headers={**headers, "If-Match": current.headers["ETag"]})
            if response.status_code == 200:
                done += 1
            else:
                assert response.status_code == 412, response.get_data()
                with lock:
                    conflicts[index] += 1
        return done

    assert in_parallel(WRITERS, append_tokens) == [INCREMENTS] * WRITERS
    final = live.test_client().get(url, headers=headers).get_json()
    tokens = [f"[{i}.{k}]" for i in range(WRITERS) for k in range(INCREMENTS)]
    assert sorted(final["notes"].replace("][", "]\n[").split("\n")) == sorted(tokens)
    assert final["version"] == 1 + WRITERS * INCREMENTS
    assert sum(conflicts.values()) > 0  # the writers really did collide


def test_concurrent_imports_of_one_file_write_each_row_once(live: Flask) -> None:
    with session_scope(live) as session:
        provider = create_account(session, role="provider")
        headers = auth_headers(session, provider)
        provider_id = provider.organisation_id
    rows = [{"external_id": f"R-{n:04d}", "title": f"Lasser MIG/MAG {n}", "level": "mbo-2",
             "mode": "e-learning"} for n in range(300)]
    body = json.dumps(rows)

    def upload(_index: int) -> tuple[int, dict[str, Any]]:
        response = live.test_client().post("/api/v1/routes/import", data=body, headers={
            **headers, "Content-Type": "application/json"})
        return response.status_code, response.get_json()

    results = in_parallel(4, upload)
    assert [status for status, _ in results] == [200] * 4, results
    assert sorted(report["created"] for _, report in results) == [0, 0, 0, len(rows)]
    assert all(report["created"] + report["unchanged"] == len(rows) for _, report in results)
    with session_scope(live) as session:
        ids = session.scalars(select(TrainingRoute.external_id).where(
            TrainingRoute.provider_id == provider_id)).all()
        assert sorted(ids) == sorted(row["external_id"] for row in rows)
        assert session.scalar(select(func.count(func.distinct(TrainingRoute.id))).where(
            TrainingRoute.provider_id == provider_id)) == len(rows)


def test_unknown_profile_is_404_for_every_writer(live: Flask,
                                                 profile: tuple[str, dict[str, str]]) -> None:
    _, headers = profile
    url = f"/api/v1/candidates/{uuid.uuid4()}"

    def patch(_index: int) -> int:
        return live.test_client().patch(url, json={"notes": "x"}, headers={
            **headers, "If-Match": '"1"'}).status_code

    assert in_parallel(WRITERS, patch) == [404] * WRITERS
