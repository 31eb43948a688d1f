"""PostgreSQL goes down under load: 503 with Retry-After, no hang, no 500; back within seconds.

A real gunicorn (2 workers) serves a scratch database while three loops call it: intake writes,
profile reads and /readyz. The PostgreSQL cluster is stopped (`pg_ctlcluster ... stop -m fast`)
and started again. Every answer must be a 2xx or a 503 envelope with Retry-After, in less than
the configured connect timeout plus a margin; during the outage /readyz fails and /healthz
does not; after the restart writes succeed again within seconds; every write that was answered
2xx is in the database afterwards. The cluster is always started again, even if the test fails.

It needs PostgreSQL and pg_ctlcluster, run as root or postgres (CI runs it). The database is
GOUDENPOORT_OUTAGE_DATABASE_URL if set (point it at a cluster of its own when others share
the server), else GOUDENPOORT_TEST_DATABASE_URL; the cluster is the one listening on its port.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from goudenpoort.config import ROOT
from goudenpoort.db import get_db, session_scope
from models import Candidate, Skill, TaxonomyRelease
from tests.factories import auth_headers, create_account, create_candidate
from tests.reliability.scratch import drop_scratch, migrated_app, scratch_url

pytestmark = pytest.mark.outage

CONNECT_TIMEOUT = 2  # GOUDENPOORT_DATABASE_CONNECT_TIMEOUT of the server under test
RETRY_AFTER = 3
MARGIN = 3.0  # seconds of slack on top of the connect timeout before an answer counts as a hang
RECOVERY_LIMIT = 10.0  # seconds after the restart within which writes must succeed again


@dataclass
class Cluster:
    """A PostgreSQL cluster as pg_lsclusters names it."""

    version: str
    name: str
    port: int

    def ctl(self, action: str, *extra: str) -> None:
        """Run pg_ctlcluster for this cluster."""
        subprocess.run(["pg_ctlcluster", self.version, self.name, action, *extra],
                       check=True, capture_output=True, timeout=60)

    def online(self) -> bool:
        """Tell whether the cluster is running."""
        out = subprocess.run(["pg_lsclusters", "-h", self.version, self.name],
                             capture_output=True, text=True, check=True).stdout.split()
        return len(out) >= 4 and out[3] == "online"


def outage_url() -> str:
    """Return the database URL the outage test may take down, or skip saying why not."""
    url = os.environ.get("GOUDENPOORT_OUTAGE_DATABASE_URL") or os.environ.get(
        "GOUDENPOORT_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("database outage test needs PostgreSQL: set GOUDENPOORT_TEST_DATABASE_URL "
                    "(or GOUDENPOORT_OUTAGE_DATABASE_URL)")
    return url


def find_cluster(url: str) -> Cluster:
    """Return the local cluster serving the URL, or skip saying why it cannot be controlled."""
    if not shutil.which("pg_ctlcluster") or not shutil.which("pg_lsclusters"):
        pytest.skip("database outage test needs pg_ctlcluster and pg_lsclusters "
                    "(Debian/Ubuntu postgresql-common) to stop and start PostgreSQL")
    parsed = make_url(url)
    if parsed.host not in {"127.0.0.1", "localhost", None}:
        pytest.skip(f"database outage test stops a local cluster; {parsed.host} is not local")
    if os.geteuid() != 0 and os.environ.get("USER") != "postgres":
        pytest.skip("database outage test must run as root or postgres to use pg_ctlcluster")
    port = parsed.port or 5432
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True,
                             check=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2] == str(port):
            return Cluster(fields[0], fields[1], port)
    pytest.skip(f"no local PostgreSQL cluster listens on port {port} (pg_lsclusters)")


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    """One request of a loop and what came back."""

    kind: str
    started: float
    elapsed: float
    status: int  # 0: no HTTP answer at all (connection error or client timeout)
    retry_after: str | None
    body: Any


class Caller:
    """Loops sending requests to the server and recording every answer."""

    def __init__(self, port: int, headers: dict[str, str], candidate_id: str) -> None:
        self.port = port
        self.headers = headers
        self.candidate_id = candidate_id
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def request(self, kind: str, method: str, path: str, body: Any = None) -> Answer:
        """Send one request on a fresh connection; record the answer."""
        started = time.monotonic()
        status, retry_after, payload = 0, None, None
        connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                timeout=CONNECT_TIMEOUT + MARGIN + 5)
        try:
            headers = {**self.headers, "Content-Type": "application/json"}
            connection.request(method, path, body=json.dumps(body) if body else None,
                               headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status, retry_after = response.status, response.getheader("Retry-After")
            payload = json.loads(raw) if raw else None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            payload = repr(exc)
        finally:
            connection.close()
        answer = Answer(kind, started, time.monotonic() - started, status, retry_after, payload)
        with self.lock:
            self.answers.append(answer)
        return answer

    def loop(self, kind: str) -> None:
        """Call one kind of request until told to stop."""
        n = 0
        while not self.stop.is_set():
            n += 1
            if kind == "write":
                self.request(kind, "POST", "/api/v1/candidates", {
                    "kind": "starter", "given_name": f"Outage{n}", "family_name": "Test"})
            elif kind == "read":
                self.request(kind, "GET", f"/api/v1/candidates/{self.candidate_id}")
            elif kind == "ready":
                self.request(kind, "GET", "/readyz")
            else:
                self.request(kind, "GET", "/healthz")
            time.sleep(0.05)

    def between(self, start: float, end: float, kind: str | None = None) -> list[Answer]:
        """Return the answers to requests sent and answered within [start, end)."""
        with self.lock:
            return [a for a in self.answers if start <= a.started and a.started + a.elapsed < end
                    and (kind is None or a.kind == kind)]


def wait_until(predicate: Any, limit: float) -> float:
    """Poll until predicate() is true; return the seconds it took (fail after `limit`)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not reached within {limit} s")


@pytest.fixture
def cluster_and_url(tmp_path: Path) -> Iterator[tuple[Cluster, str]]:
    """The cluster to stop and a scratch database on it, dropped afterwards."""
    base = outage_url()
    cluster = find_cluster(base)
    if not cluster.online():
        pytest.skip(f"cluster {cluster.version}/{cluster.name} is not running")
    url = scratch_url(base, "outage", tmp_path)
    try:
        yield cluster, url
    finally:
        if not cluster.online():
            cluster.ctl("start")
        drop_scratch(url)


def seed(url: str) -> tuple[dict[str, str], str]:
    """Migrate the scratch database; create an adviser, a profile and a ready taxonomy."""
    app = migrated_app(url)
    with session_scope(app) as session:
        # /readyz wants a loaded taxonomy; one release row and one skill stand in for it.
        session.add(TaxonomyRelease(name="ESCO", version="outage-test", digest="0" * 64))
        session.add(Skill(uri="http://data.europa.eu/esco/skill/outage-test", kind="skill",
                          label_en="welding"))
        adviser = create_account(session, role="adviser")
        candidate = create_candidate(session, adviser=adviser)
        headers = auth_headers(session, adviser)
        candidate_id = str(candidate.id)
    get_db(app).engine.dispose()
    return headers, candidate_id


def start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn with 2 workers on the scratch database; wait until it answers."""
    env = {
        **os.environ,
        "GOUDENPOORT_DATABASE_URL": url,
        "GOUDENPOORT_DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "GOUDENPOORT_DATABASE_POOL_TIMEOUT": str(CONNECT_TIMEOUT),
        "GOUDENPOORT_RETRY_AFTER_SECONDS": str(RETRY_AFTER),
        "GOUDENPOORT_RATELIMIT_ENABLED": "false",
        "GOUDENPOORT_INSTANCE_PATH": str(log.parent / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "30", "--graceful-timeout", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def up() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            assert server.poll() is None, log.read_text()
            return False

    wait_until(up, 20)
    return server


def test_database_outage_gives_503_and_recovers(cluster_and_url: tuple[Cluster, str],
                                                tmp_path: Path) -> None:
    cluster, url = cluster_and_url
    headers, candidate_id = seed(url)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_server(url, port, log)
    caller = Caller(port, headers, candidate_id)
    loops = [threading.Thread(target=caller.loop, args=(kind,), daemon=True)
             for kind in ("write", "write", "read", "ready", "health")]
    try:
        for thread in loops:
            thread.start()
        time.sleep(2)
        stop_begun = time.monotonic()
        cluster.ctl("stop", "-m", "fast")
        down = time.monotonic()
        time.sleep(4)
        start_begun = time.monotonic()
        cluster.ctl("start")
        started = time.monotonic()
        recovery = wait_until(lambda: any(
            a.status == 201 for a in caller.between(started, time.monotonic(), "write")),
            RECOVERY_LIMIT)
        time.sleep(2)
    finally:
        caller.stop.set()
        for thread in loops:
            thread.join(timeout=CONNECT_TIMEOUT + MARGIN + 10)
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        if not cluster.online():
            cluster.ctl("start")

    answers = caller.answers
    # Never a hang, never a dropped connection, never anything but success or a 503.
    assert all(a.status != 0 for a in answers), [a for a in answers if a.status == 0][:3]
    slow = [a for a in answers if a.elapsed > CONNECT_TIMEOUT + MARGIN]
    assert not slow, slow[:3]
    assert {a.status for a in answers} <= {200, 201, 503}, {a.status for a in answers}
    for answer in answers:
        if answer.status == 503:
            assert answer.retry_after is not None and int(answer.retry_after) > 0
            if answer.kind != "ready":
                assert answer.body["error"]["code"] == "database_unavailable"
    # Before: all good. During the outage: every database request 503, /readyz too.
    before = caller.between(0, stop_begun)
    assert before and all(a.status < 300 for a in before), [
        a for a in before if a.status >= 300][:3]
    during = caller.between(down, start_begun)
    assert {a.kind for a in during} == {"write", "read", "ready", "health"}
    assert all(a.status == 503 for a in during if a.kind != "health")
    assert all(a.status == 200 for a in during if a.kind == "health")
    # After: back within seconds, and staying back.
    assert recovery < RECOVERY_LIMIT
    settled = caller.between(started + recovery + 1, time.monotonic())
    assert settled and all(a.status < 300 for a in settled), [
        a for a in settled if a.status >= 300][:3]
    # The log holds no traceback, and every acknowledged write survived.
    output = log.read_text()
    assert "Traceback" not in output and '"level": "ERROR"' not in output, output[-2000:]
    created = {a.body["id"] for a in answers if a.kind == "write" and a.status == 201}
    assert created
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = set(connection.scalars(select(Candidate.id)).all())
    finally:
        engine.dispose()
    assert {uuid.UUID(i) for i in created} <= stored
    print(f"\n{len(answers)} requests, {sum(a.status == 503 for a in answers)} answered 503, "
          f"{len(created)} writes acknowledged, recovered {recovery:.2f} s after restart")
