"""Time GET requests one at a time through the Flask test client: wall p50 and CPU per request.

Run against a filled database and its instance folder, e.g. the load test's:
    GOUDENPOORT_DATABASE_URL=postgresql+psycopg://u:p@127.0.0.1:5432/goudenpoort_bench \\
    GOUDENPOORT_INSTANCE_PATH=/tmp/goudenpoort-load PYTHONPATH=. python bench/request_costs.py
    … python bench/request_costs.py /api/v1/regions "/api/v1/skills?q=lassen"   # other paths

It shows the floor of this stack (routing, token check, rate limit, envelope, JSON log line)
next to real requests, with an adviser's token. CPU is this process's (the app's own work);
the wall time adds the database's. The access log is silenced so printing does not count.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time

from sqlalchemy import select

from goudenpoort.db import session_scope
from goudenpoort.services.tokens import issue_token
from models import Account
from wsgi import app

PATHS = ["/readyz", "/api/v1/regions", "/api/v1/skills?q=lassen",
         "/api/v1/occupations?q=elektricien", "/api/v1/candidates?limit=20"]
ROUNDS = 200
WARM = 10


def main(paths: list[str]) -> None:
    """Print wall p50 and mean CPU per request for each path."""
    logging.disable(logging.INFO)
    with app.app_context(), session_scope() as session:
        adviser = session.scalars(select(Account).where(Account.role == "adviser")).first()
        if adviser is None:
            raise SystemExit("no adviser account: run `flask demo load` first")
        token, _ = issue_token(session, account=adviser)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    print(f"{'path':40} {'status':>6} {'wall p50':>9} {'cpu mean':>9}")
    for path in paths:
        for _ in range(WARM):
            client.get(path, headers=headers)
        wall, cpu = [], []
        status = 0
        for _ in range(ROUNDS):
            started, used = time.perf_counter(), time.process_time()
            status = client.get(path, headers=headers).status_code
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        print(f"{path:40} {status:>6} {statistics.median(wall):>6.1f} ms "
              f"{statistics.mean(cpu):>6.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1:] or PATHS)
