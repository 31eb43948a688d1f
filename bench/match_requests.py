"""Time the match endpoints on the demo dataset through the Flask test client.

Run after `make setup` (or `flask db upgrade && flask taxonomy import && flask demo load &&
flask index build`) with the same instance folder:
    PYTHONPATH=. GOUDENPOORT_INSTANCE_PATH=instance python bench/match_requests.py
Prints the index load time and p50/p95 per endpoint over every demo candidate (admin token),
all three candidate-side lists and both reverse lists, limit 20, Dutch labels.
"""

from __future__ import annotations

import statistics
import time

from sqlalchemy import select

from goudenpoort.db import session_scope
from goudenpoort.index_registry import registry
from goudenpoort.services.tokens import issue_token
from models import Account, Candidate, TrainingRoute, Vacancy
from wsgi import app


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Print the figures."""
    with app.app_context(), session_scope() as session:
        admin = session.scalars(select(Account).where(Account.role == "admin")).first()
        if admin is None:
            raise SystemExit("no admin account: run `flask demo load` first")
        token, _ = issue_token(session, account=admin)
        candidates = [str(i) for i in session.scalars(select(Candidate.id))]
        routes = [str(i) for i in session.scalars(
            select(TrainingRoute.id).where(TrainingRoute.deleted_at.is_(None)).limit(50))]
        vacancies = [str(i) for i in session.scalars(
            select(Vacancy.id).where(Vacancy.deleted_at.is_(None)).limit(50))]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    client.get("/readyz")  # loads (or builds) the index
    print(f"index ready in {time.perf_counter() - started:.2f} s: "
          f"{registry(app).state.info()['items']} items, "  # type: ignore[union-attr]
          f"{registry(app).state.info()['candidates']} candidates")  # type: ignore[union-attr]
    cases = {f"candidates/{{id}}/matches/{kind}": [f"/api/v1/candidates/{c}/matches/{kind}"
                                                   for c in candidates]
             for kind in ("routes", "employers", "occupations")}
    cases["routes/{id}/matches/candidates"] = [f"/api/v1/routes/{r}/matches/candidates"
                                               for r in routes]
    cases["vacancies/{id}/matches/candidates"] = [f"/api/v1/vacancies/{v}/matches/candidates"
                                                  for v in vacancies]
    for name, urls in cases.items():
        times = []
        for url in urls:
            begin = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.get_json())
        print(f"{name:38} n={len(times):3}  p50 {statistics.median(times):6.1f} ms  "
              f"p95 {percentile(times, 0.95):6.1f} ms")


if __name__ == "__main__":
    main()
