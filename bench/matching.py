"""Measure the matching index on one core: build time, memory, query latency, vs. scikit-learn.

Items are synthetic routes and vacancies (half each) from goudenpoort.demo.synthetic, the
queries synthetic candidates; the ESCO-structure weighting is on. The same queries also go
through sklearn.neighbors.NearestNeighbors(metric="cosine", algorithm="brute") fitted on the
same item matrix, and the ratio of the two is reported.

    PYTHONPATH=. python bench/matching.py [--sizes 10000,100000,1000000] [--queries 200]
"""

from __future__ import annotations

import os

# One core, one thread: set before numpy is imported anywhere.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goudenpoort.demo import synthetic  # noqa: E402
from goudenpoort.matching.index import MatchIndex  # noqa: E402
from goudenpoort.matching.profiles import Item  # noqa: E402
from goudenpoort.matching.skill_space import SkillSpace  # noqa: E402
from goudenpoort.matching.vectorizer import SkillVectorizer  # noqa: E402

K = 20


def items(esco: synthetic.Esco, n: int, seed: int) -> Iterator[Item]:
    """Yield n items: routes and vacancies, alternating."""
    routes = synthetic.routes(esco, n - n // 2, seed)
    vacancies = synthetic.vacancies(esco, n // 2, seed)
    for i in range(n):
        yield next(routes) if i % 2 == 0 or i // 2 >= n // 2 else next(vacancies)


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile in milliseconds."""
    return float(np.percentile(np.array(values) * 1000.0, q))


def cpu_name() -> str:
    """Return the CPU model name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(esco: synthetic.Esco, space: SkillSpace, n: int, queries: int, seed: int,
        baseline: bool) -> dict[str, float]:
    """Build an index of n items, time the queries, and the baseline on the same queries."""
    gc.collect()
    started = time.perf_counter()
    index = MatchIndex.build(SkillVectorizer(space), items(esco, n, seed), fit=True)
    build = time.perf_counter() - started
    candidates = list(synthetic.candidates(esco, queries, seed + 100))
    total, rank_only, ours_top = [], [], []
    for candidate in candidates:
        t0 = time.perf_counter()
        query = index.query_for(candidate)
        t1 = time.perf_counter()
        ranked = index.rank(query, K)
        t2 = time.perf_counter()
        total.append(t2 - t0)
        rank_only.append(t2 - t1)
        ours_top.append([r.id for r in ranked])
    result = {
        "n": n, "build_s": build, "bytes_per_item": index.nbytes() / n,
        "nnz_per_item": index.arrays()["postings_data"].size / n,
        "p50_ms": percentile(total, 50), "p95_ms": percentile(total, 95),
        "rank_p50_ms": percentile(rank_only, 50), "rank_p95_ms": percentile(rank_only, 95),
    }
    if baseline:
        rows = index._main.postings.T.tocsr()
        ids = index._main.ids
        nn = NearestNeighbors(n_neighbors=K, metric="cosine", algorithm="brute").fit(rows)
        times, overlap = [], []
        for candidate, ours in zip(candidates, ours_top, strict=True):
            query = index.query_for(candidate)
            t0 = time.perf_counter()
            _, found = nn.kneighbors(query, K)
            times.append(time.perf_counter() - t0)
            theirs = {ids[i].decode() for i in found[0]}
            overlap.append(len(theirs & set(ours)) / K)
        result.update(base_p50_ms=percentile(times, 50), base_p95_ms=percentile(times, 95),
                      top_overlap=float(np.mean(overlap)))
        result["ratio_p50"] = result["base_p50_ms"] / result["p50_ms"]
        result["ratio_p95"] = result["base_p95_ms"] / result["p95_ms"]
        del nn, rows
    del index
    return result


def main() -> None:
    """Run the benchmark at each size and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    esco = synthetic.load_esco()
    space = SkillSpace.from_graph(esco.graph, extra=esco.skill_kinds)
    print(f"machine: {cpu_name()}, pinned to CPU {sorted(os.sched_getaffinity(0))}, "
          f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
          f"numpy {np.__version__}; {args.queries} queries, top {K}, ESCO structure on")
    print(f"{'items':>9} {'build s':>8} {'B/item':>7} {'nnz/it':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'rank p95':>8} {'sk p50':>8} {'sk p95':>8} {'x p50':>6} {'x p95':>6} {'top20=':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(esco, space, size, args.queries, args.seed, not args.no_baseline)
        base = (f"{r['base_p50_ms']:8.1f} {r['base_p95_ms']:8.1f} {r['ratio_p50']:6.1f} "
                f"{r['ratio_p95']:6.1f} {r['top_overlap']:6.2f}") if "base_p50_ms" in r else ""
        print(f"{size:9d} {r['build_s']:8.1f} {r['bytes_per_item']:7.0f} "
              f"{r['nnz_per_item']:6.1f} {r['p50_ms']:7.2f} {r['p95_ms']:7.2f} "
              f"{r['rank_p95_ms']:8.2f} {base}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
