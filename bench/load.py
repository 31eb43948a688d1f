"""Load test: gunicorn (2 workers) on PostgreSQL, a mix of intake writes, searches and match reads.

    python bench/load.py --database-url postgresql+psycopg://u:p@127.0.0.1:5432/goudenpoort_bench

1. Set-up (skipped with --skip-setup): `flask db upgrade`, `flask taxonomy import`,
   `flask demo load` and `flask demo generate --routes 100000` (when the command exists).
2. gunicorn with the project's gunicorn.conf.py (preloaded app, warm-up, 2 workers) on a free
   loopback port; the per-caller rate limit is raised so the generator is not throttled.
3. An open-loop generator sends requests at a fixed rate (default 200/s) for a fixed time
   (default 60 s) from a bounded pool of threads, one new connection per request (gunicorn's
   sync workers close each connection): latency includes any queueing in the server.
4. It prints, per kind of request, the count, errors (status >= 400 or no answer), requests/s
   and p50/p90/p99/max latency (from sending to the last byte). If the server cannot keep up,
   requests that could not even be sent within 5 s of their planned time are skipped and
   counted, so the run stays bounded; the achieved requests/s then shows the real capacity.
   On Linux it also prints the CPU seconds gunicorn (master and workers), the generator and
   the local PostgreSQL processes used during the load, so it shows which one is the limit,
   and that CPU per request sent with the cores the offered rate would need.

The mix: `write` (POST a new intake profile with four skills taken from the demo profiles, or
PATCH one with its ETag), `search` (skill and occupation search, route list filtered by text and
region), and `match` (every GET endpoint of the OpenAPI document whose path has "match" in it
and only a {candidate_id} parameter). Match reads go to profiles that can be ranked: demo
profiles probed at start-up to return ranked items, and the profiles this run created (which
carry skills, so every write also updates the match indexes). Without that, most reads would
be for skill-less profiles and answer "not enough data" cheaply; the report counts any such
answers so a lenient run shows. When
the API has no match endpoints yet, `match` is reported as absent and its share goes to
`read` (GET an intake profile), so the total rate stays the same. `--mix write=1` (or any
`kind=share,...`) changes the shares, e.g. to measure what one kind costs alone.
Bounded on purpose: at most 1000 requests/s, 600 s and 64 threads, and only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SEARCH_TERMS = ["lassen", "elektricien", "welding", "installatie", "loodgieter", "cnc",
                "monteur", "onderhoud", "veiligheid", "solderen", "heftruck", "pijpfitter",
                "plumber", "elektrotechniek", "metselen", "warmtepomp"]
REGIONS = ["zwolle", "twente", "achterhoek", "veluwe-stedendriehoek", "midden-gelderland",
           "rijk-van-nijmegen", "foodvalley", "flevoland"]
SHARES = {"write": 0.2, "search": 0.4, "match": 0.4}
MAX_LAG = 5.0  # seconds a planned request may wait for a client thread before it is skipped


def parse_mix(text: str) -> dict[str, float]:
    """Parse `kind=share,...` (kinds write, search, match; shares >= 0, not all 0)."""
    shares: dict[str, float] = {}
    for part in text.split(","):
        kind, _, share = part.partition("=")
        if kind.strip() not in SHARES:
            raise argparse.ArgumentTypeError(f"unknown kind {kind!r}; kinds: {', '.join(SHARES)}")
        try:
            shares[kind.strip()] = float(share)
        except ValueError:
            raise argparse.ArgumentTypeError(f"share of {kind} is not a number") from None
    if not all(math.isfinite(v) and v >= 0 for v in shares.values()) or not any(
            shares.values()):
        raise argparse.ArgumentTypeError("shares are finite, >= 0 and not all 0")
    return shares


def flask(args: list[str], env: dict[str, str]) -> str:
    """Run a flask CLI command of the project; return its output."""
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def setup(env: dict[str, str], routes: int) -> None:
    """Migrate, import the taxonomy, load the demo and generate routes."""
    for command in (["db", "upgrade"], ["taxonomy", "import"], ["demo", "load"]):
        started = time.perf_counter()
        flask(command, env)
        print(f"setup: flask {' '.join(command)} ({time.perf_counter() - started:.0f} s)")
    if routes and "generate" in flask(["demo", "--help"], env):
        started = time.perf_counter()
        flask(["demo", "generate", "--routes", str(routes)], env)
        print(f"setup: flask demo generate --routes {routes} "
              f"({time.perf_counter() - started:.0f} s)")


def tokens(env: dict[str, str], role: str) -> list[str]:
    """Issue fresh tokens for the demo accounts of a role."""
    lines = flask(["demo", "tokens", "--role", role, "--days", "1"], env).splitlines()
    return [line.split()[-1] for line in lines if line.startswith(role)]


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def call(port: int, method: str, path: str, headers: dict[str, str], body: Any = None,
         timeout: float = 30) -> tuple[int, dict[str, str], Any]:
    """Send one request on a new connection; return status (0: no answer), headers, JSON."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = json.dumps(body) if body is not None else None
        connection.request(method, path, body=data,
                           headers={**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    except (OSError, http.client.HTTPException, ValueError):
        return 0, {}, None
    finally:
        connection.close()


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn with the project's configuration; wait until /readyz answers 200."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env={**env, "GOUDENPOORT_BIND": f"{HOST}:{port}", "GOUDENPOORT_WORKERS": "2"},
        stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        if call(port, "GET", "/readyz", {}, timeout=2)[0] == 200:
            return server
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not become ready within 300 s")


@dataclass
class Profiles:
    """Intake profiles this run created, with the ETag last seen (for PATCH)."""

    etags: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, rng: random.Random) -> tuple[str, str] | None:
        """Take a profile out of the pool (so no two threads PATCH it at once)."""
        with self.lock:
            if not self.etags:
                return None
            key = rng.choice(list(self.etags))
            return key, self.etags.pop(key)

    def put(self, candidate_id: str, etag: str) -> None:
        """Return a profile to the pool with its current ETag."""
        with self.lock:
            self.etags[candidate_id] = etag


class Mix:
    """The requests of the load test, chosen at random by kind."""

    def __init__(self, port: int, adviser: str, match_paths: list[str], seed_ids: list[str],
                 skills: list[str] | None = None, shares: dict[str, float] | None = None):
        self.port = port
        self.shares = shares or SHARES
        self.headers = {"Authorization": f"Bearer {adviser}"}
        self.match_paths = match_paths
        self.seed_ids = seed_ids
        self.skills = skills or []
        self.profiles = Profiles()
        self.counter = itertools.count()
        self.unranked = 0  # match answers that said "not enough data"
        self.unranked_lock = threading.Lock()

    def kinds(self) -> dict[str, float]:
        """Return the share of each kind; `read` stands in for `match` when there is none."""
        shares = {k: v for k, v in self.shares.items() if v > 0}
        if self.match_paths or "match" not in shares:
            return shares
        return {("read" if k == "match" else k): v for k, v in shares.items()}

    def write(self, rng: random.Random) -> int:
        """Create a profile, or correct one with If-Match (half and half)."""
        picked = self.profiles.pick(rng) if rng.random() < 0.5 else None
        if picked is None:
            n = next(self.counter)
            skills = rng.sample(self.skills, min(4, len(self.skills)))
            status, headers, body = call(self.port, "POST", "/api/v1/candidates", self.headers, {
                "kind": rng.choice(["starter", "switcher", "newcomer"]),
                "given_name": f"Load{n}", "family_name": "Test",
                "region": rng.choice(REGIONS), "max_travel_km": rng.choice([10, 25, 50]),
                "skills": [{"uri": uri, "level": rng.randint(1, 4), "source": "adviser"}
                           for uri in skills]})
            if status == 201:
                self.profiles.put(body["id"], headers.get("ETag", '"1"'))
            return status
        candidate_id, etag = picked
        status, headers, _ = call(self.port, "PATCH", f"/api/v1/candidates/{candidate_id}",
                                  {**self.headers, "If-Match": etag},
                                  {"max_travel_km": rng.choice([10, 25, 40, 60])})
        self.profiles.put(candidate_id, headers.get("ETag", etag) if status == 200 else etag)
        return status

    def search(self, rng: random.Random) -> int:
        """Search skills, occupations or routes by a word."""
        term = rng.choice(SEARCH_TERMS)
        which = rng.random()
        if which < 0.4:
            path = f"/api/v1/skills?q={term}&limit=10"
        elif which < 0.7:
            path = f"/api/v1/occupations?q={term}&limit=10"
        else:
            path = f"/api/v1/routes?q={term}&region={rng.choice(REGIONS)}&limit=20"
        return call(self.port, "GET", path, self.headers)[0]

    def candidate_id(self, rng: random.Random) -> str:
        """Return an existing profile id: a rankable demo profile or one this run created."""
        with self.profiles.lock:
            created = list(self.profiles.etags)
        if created and (not self.seed_ids or rng.random() < 0.5):
            return rng.choice(created)
        return rng.choice(self.seed_ids)

    def match(self, rng: random.Random) -> int:
        """Ask a match endpoint for one profile."""
        path = rng.choice(self.match_paths).replace("{candidate_id}", self.candidate_id(rng))
        status, _, body = call(self.port, "GET", path, self.headers)
        if isinstance(body, dict) and body.get("not_enough_data"):
            with self.unranked_lock:
                self.unranked += 1
        return status

    def read(self, rng: random.Random) -> int:
        """Read one intake profile."""
        return call(self.port, "GET", f"/api/v1/candidates/{self.candidate_id(rng)}",
                    self.headers)[0]


def rankable_profiles(port: int, headers: dict[str, str], match_paths: list[str],
                      wanted: int = 100, scanned: int = 2000) -> tuple[list[str], list[str]]:
    """Return up to `wanted` profile ids whose matches rank items, and the skills they hold.

    Pages through the caller's profiles (at most `scanned`), keeping those with skills whose
    first match endpoint answers with ranked items.
    """
    ids: list[str] = []
    skills: set[str] = set()
    cursor: str | None = None
    seen = 0
    while len(ids) < wanted and seen < scanned:
        query = "limit=100" + (f"&cursor={cursor}" if cursor else "")
        _, _, listing = call(port, "GET", f"/api/v1/candidates?{query}", headers)
        listing = listing or {}
        for item in listing.get("items", []):
            seen += 1
            _, _, profile = call(port, "GET", f"/api/v1/candidates/{item['id']}", headers)
            held = [s["uri"] for s in (profile or {}).get("skills", [])]
            if not held:
                continue
            if match_paths:
                path = match_paths[0].replace("{candidate_id}", item["id"])
                _, _, answer = call(port, "GET", f"{path}?limit=1", headers)
                if not (answer or {}).get("items"):
                    continue
            ids.append(item["id"])
            skills.update(held)
            if len(ids) >= wanted:
                break
        cursor = listing.get("next_cursor")
        if not cursor:
            break
    return ids, sorted(skills)


def discover_match_paths(port: int) -> list[str]:
    """Return GET paths of the API with "match" in them and only a {candidate_id} parameter."""
    _, _, document = call(port, "GET", "/api/v1/openapi.json", {})
    found = []
    for path, item in (document or {}).get("paths", {}).items():
        if "get" in item and "match" in path and re.findall(r"{(\w+)}", path) == [
                "candidate_id"]:
            found.append(path)
    return sorted(found)


def run(mix: Mix, rate: float, duration: float, threads: int, seed: int
        ) -> tuple[dict[str, list[tuple[float, int]]], float]:
    """Send requests at `rate` per second for `duration` seconds; return latencies by kind."""
    kinds = mix.kinds()
    names, weights = list(kinds), list(kinds.values())
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    lock = threading.Lock()
    rng = random.Random(seed)
    plan = [(i / rate, rng.choices(names, weights)[0], rng.random()) for i in
            range(int(rate * duration))]
    lag: list[float] = []
    dropped: dict[str, int] = defaultdict(int)

    def send(kind: str, scheduled: float, started_at: float, salt: float) -> None:
        begun = time.perf_counter()
        late = begun - (started_at + scheduled)
        lag.append(late)
        if late > MAX_LAG:  # the server fell behind: skip it, so the run stays bounded in time
            with lock:
                dropped[kind] += 1
            return
        status = getattr(mix, kind)(random.Random(salt))
        elapsed = time.perf_counter() - begun
        with lock:
            results[kind].append((elapsed, status))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        started_at = time.perf_counter()
        for scheduled, kind, salt in plan:
            delay = started_at + scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, kind, scheduled, started_at, salt)
        # the executor waits for the requests still in flight
    wall = time.perf_counter() - started_at
    late = sorted(lag)[int(len(lag) * 0.99)] if lag else 0.0
    print(f"generator: p99 start lag {late * 1000:.1f} ms (how late requests left the client); "
          f"not sent, over {MAX_LAG:.0f} s late: {sum(dropped.values())} {dict(dropped)}")
    return results, wall


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of the values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def report(results: dict[str, list[tuple[float, int]]], wall: float) -> int:
    """Print the table of figures; return the number of errors."""
    print(f"\n{'kind':8} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
          f"{'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    total_errors = 0
    everything: list[tuple[float, int]] = []
    for kind in sorted(results):
        rows = results[kind]
        everything += rows
        total_errors += print_row(kind, rows, wall)
    print_row("all", everything, wall)
    statuses = defaultdict(int)
    for _, status in everything:
        statuses[status] += 1
    print(f"statuses: {dict(sorted(statuses.items()))}")
    return total_errors


def print_row(kind: str, rows: list[tuple[float, int]], wall: float) -> int:
    """Print one line of the table; return its error count."""
    latencies = [elapsed * 1000 for elapsed, _ in rows]
    errors = sum(1 for _, status in rows if status == 0 or status >= 400)
    print(f"{kind:8} {len(rows):>8} {errors:>6} {len(rows) / wall:>7.1f} "
          f"{percentile(latencies, 0.5):>7.1f} {percentile(latencies, 0.9):>7.1f} "
          f"{percentile(latencies, 0.99):>7.1f} {max(latencies):>7.1f}")
    return errors


def _cpu_of(pid: str) -> float:
    """Return the CPU seconds (user + system) a process has used, 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_split(master: int) -> dict[str, float] | None:
    """Return CPU seconds used so far by gunicorn (master and workers), this generator and the
    local PostgreSQL processes (Linux /proc only; None elsewhere), to show who is the limit."""
    if not Path("/proc/self/stat").exists():
        return None
    children = Path(f"/proc/{master}/task/{master}/children")
    workers = children.read_text().split() if children.exists() else []
    postgres = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()
                and _comm(p.name).startswith("postgres")]
    return {"gunicorn": sum(_cpu_of(p) for p in [str(master), *workers]),
            "generator": time.process_time(),
            "postgres": sum(_cpu_of(p) for p in postgres)}


def capacity(spent: dict[str, float], answered: int, rate: float) -> str:
    """Say what one request sent cost in CPU and how many cores the offered rate needs.

    Measured at a rate the machine keeps up with, this is the honest capacity figure: the
    cores a rate needs at 100 % busy, before any headroom a low p99 needs.
    """
    if answered == 0:
        return "cpu per request: no requests sent"
    per = {k: v / answered * 1000 for k, v in spent.items()}
    cores = sum(per.values()) / 1000 * rate
    return ("cpu per request: " + ", ".join(f"{k} {v:.1f} ms" for k, v in per.items())
            + f"; {rate:.0f} requests/s of this mix needs {cores:.1f} cores at 100 % busy "
            f"(this machine: {os.cpu_count()})")


def _comm(pid: str) -> str:
    """Return a process's command name ('' if it is gone)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def machine() -> str:
    """Describe the machine the figures were measured on."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
            f"{platform.system()}")


def main() -> int:
    """Parse arguments, set up, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("GOUDENPOORT_BENCH_DATABASE_URL"),
                        required=not os.environ.get("GOUDENPOORT_BENCH_DATABASE_URL"),
                        help="PostgreSQL database to fill and serve (or GOUDENPOORT_BENCH_..)")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--threads", type=int, default=48, help="client threads (max 64)")
    parser.add_argument("--routes", type=int, default=100_000,
                        help="generated routes (flask demo generate), 0 for none")
    parser.add_argument("--skip-setup", action="store_true",
                        help="the database is filled (only `flask db upgrade` runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mix", type=parse_mix, default=dict(SHARES),
                        help="shares by kind, e.g. write=1 to measure writes alone "
                             "(default write=0.2,search=0.4,match=0.4)")
    args = parser.parse_args()
    if not 0 < args.rate <= 1000 or not 0 < args.duration <= 600 or not 0 < args.threads <= 64:
        parser.error("bounded: rate in (0, 1000], duration in (0, 600], threads in (0, 64]")

    instance = Path(os.environ.get("GOUDENPOORT_INSTANCE_PATH", "/tmp/goudenpoort-load"))
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FLASK_APP": "wsgi", "PYTHONPATH": str(ROOT),
           "GOUDENPOORT_DATABASE_URL": args.database_url,
           "GOUDENPOORT_INSTANCE_PATH": str(instance),
           # The generator is one caller at 200 requests/s: keep the limiter in the path, but
           # above the rate (the default 600/minute is for people, not for this test).
           "GOUDENPOORT_RATELIMIT_PER_CALLER": "1000000 per minute"}
    if args.skip_setup:
        flask(["db", "upgrade"], env)  # new migrations still apply
    else:
        setup(env, args.routes)
    adviser = tokens(env, "adviser")[0]
    port = free_port()
    log = instance / "gunicorn-load.log"
    started = time.perf_counter()
    server = start_server(env, port, log)
    print(f"gunicorn ready on {HOST}:{port} in {time.perf_counter() - started:.1f} s "
          f"(2 workers); log: {log}")
    try:
        headers = {"Authorization": f"Bearer {adviser}"}
        match_paths = discover_match_paths(port)
        seed_ids, skills = rankable_profiles(port, headers, match_paths)
        mix = Mix(port, adviser, match_paths, seed_ids, skills, args.mix)
        if not seed_ids:  # a first profile, so reads have something to read
            mix.write(random.Random(0))
            mix.seed_ids = list(mix.profiles.etags)
        print(f"match endpoints: {match_paths or 'none in this API yet (reads stand in)'}")
        print(f"match reads go to {len(seed_ids)} rankable demo profiles and the profiles "
              f"this run creates (each with 4 of {len(skills)} skills from the demo profiles)")
        print(f"load: {args.rate:.0f} requests/s for {args.duration:.0f} s, mix "
              f"{mix.kinds()}, {args.threads} client threads")
        before = cpu_split(server.pid)
        results, wall = run(mix, args.rate, args.duration, args.threads, args.seed)
        after = cpu_split(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    errors = report(results, wall)
    if before and after:
        spent = {k: after[k] - before[k] for k in before}
        print(f"cpu during the load ({wall:.0f} s x {os.cpu_count()} cores): " + ", ".join(
            f"{k} {v:.0f} s" for k, v in spent.items()))
        print(capacity(spent, sum(len(rows) for rows in results.values()), args.rate))
    if mix.match_paths:
        print(f"match answers with not_enough_data: {mix.unranked}")
    output = log.read_text()
    tracebacks = output.count("Traceback")
    logged_errors = output.count('"level": "ERROR"')
    print(f"server log: {tracebacks} tracebacks, {logged_errors} logged errors")
    print(f"machine: {machine()}; database: {args.database_url.split('@')[-1]}")
    return 1 if errors or tracebacks or logged_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
