"""Measure the label search: latency and typo/word-order quality beside a naive baseline.

Run from the repository root:

    PYTHONPATH=. .venv/bin/python bench/search.py [--labels 2000] [--seed 7]

Labels come straight from the shipped taxonomy copy (`data/esco/skills.csv.gz`, checked
against its manifest), exactly the rows `flask taxonomy import` loads as skill labels: the
preferred, alternative and hidden labels of every skill and skill group in English and Dutch.
No database is needed. The process is pinned to one core with one BLAS/OpenMP thread.
"""

from __future__ import annotations

import os

# One core, one thread: set before numpy/scipy load their BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {0})

import argparse  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import string  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from goudenpoort.matching.label_search import LabelEntry, LabelIndex, normalise  # noqa: E402
from goudenpoort.taxonomy.files import open_release, split  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data" / "esco"
Search = Callable[[str, int], list[str]]


def read_skill_labels(directory: Path = DATA) -> list[LabelEntry]:
    """Read every skill label (en/nl; preferred, alt, hidden) as the importer stores them."""
    seen: set[tuple[str, str, str, str]] = set()
    entries = []
    for row in open_release(directory).read("skills.csv.gz"):
        for lang in ("en", "nl"):
            labels = [("preferred", row[f"label_{lang}"])] if row[f"label_{lang}"] else []
            labels += [("alt", alt) for alt in split(row[f"alt_{lang}"])]
            labels += [("hidden", h) for h in split(row.get(f"hidden_{lang}", ""))]
            for kind, label in labels:
                key = (row["uri"], lang, kind, label)
                if key not in seen:
                    seen.add(key)
                    entries.append(LabelEntry(row["uri"], label, lang, kind))
    return entries


class Baseline:
    """The naive baseline: character 3-5-gram TF-IDF cosine over all labels, nothing else."""

    def __init__(self, entries: Sequence[LabelEntry]) -> None:
        """Fit the vectorizer on every label."""
        self.uris = [entry.uri for entry in entries]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                          dtype=np.float32)
        self.matrix_t = self.vectorizer.fit_transform([e.label for e in entries]).T.tocsr()

    def search(self, query: str, limit: int) -> list[str]:
        """Return the URIs of the best `limit` concepts (each concept's best label)."""
        scores = (self.vectorizer.transform([query]) @ self.matrix_t).toarray().ravel()
        take = min(limit * 20, scores.size)
        top = np.argpartition(-scores, take - 1)[:take]
        order = top[np.lexsort((top, -scores[top]))]
        found: list[str] = []
        for index in order:
            if scores[index] <= 0:
                break
            uri = self.uris[index]
            if uri not in found:
                found.append(uri)
                if len(found) == limit:
                    break
        return found


# -- perturbations -------------------------------------------------------------------------

LETTERS = string.ascii_lowercase


def typo(text: str, rng: random.Random) -> str:
    """Apply one random insert, delete, adjacent swap or replace."""
    for _ in range(20):
        position = rng.randrange(len(text))
        operation = rng.choice(("insert", "delete", "swap", "replace"))
        if operation == "insert":
            out = text[:position] + rng.choice(LETTERS) + text[position:]
        elif operation == "delete":
            out = text[:position] + text[position + 1 :]
        elif operation == "swap" and position < len(text) - 1:
            out = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
        else:
            out = text[:position] + rng.choice(LETTERS) + text[position + 1 :]
        if out != text and out.strip():
            return out
    return text


def reorder(text: str, rng: random.Random) -> str:
    """Shuffle the words of a multi-word label into a different order."""
    words = text.split()
    for _ in range(20):
        shuffled = words[:]
        rng.shuffle(shuffled)
        if shuffled != words:
            return " ".join(shuffled)
    return " ".join(reversed(words))


def first_two_words(text: str) -> str:
    """Keep only the first two words."""
    return " ".join(text.split()[:2])


# -- measuring -----------------------------------------------------------------------------

def evaluate(search: Search, cases: Sequence[tuple[str, set[str]]], k: int
             ) -> tuple[float, float, list[float], list[float]]:
    """Return top-1 and top-k accuracy and the per-query wall and CPU times (seconds)."""
    top1 = topk = 0
    latencies, cpu_times = [], []
    for query, owners in cases:
        start, cpu_start = time.perf_counter(), time.process_time()
        found = search(query, k)
        latencies.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        top1 += bool(found[:1]) and found[0] in owners
        topk += any(uri in owners for uri in found[:k])
    return top1 / len(cases), topk / len(cases), latencies, cpu_times


def build_cases(entries: Sequence[LabelEntry], count: int, seed: int
                ) -> dict[str, list[tuple[str, set[str]]]]:
    """Sample labels and perturb them; each case carries every concept owning that label."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        owners[normalise(entry.label)].add(entry.uri)
    rng = random.Random(seed)
    # Labels under five characters are codes and abbreviations; one typo leaves nothing.
    pool = [entry for entry in entries if len(entry.label) >= 5]
    sample = rng.sample(pool, count)
    sets: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for entry in sample:
        label, who = entry.label, owners[normalise(entry.label)]
        sets["one typo"].append((typo(label, rng), who))
        sets["two typos"].append((typo(typo(label, rng), rng), who))
        if len(label.split()) >= 2:
            sets["words reordered"].append((reorder(label, rng), who))
        if len(label.split()) >= 3:
            sets["first two words"].append((first_two_words(label), who))
            sets["all three at once"].append((typo(typo(reorder(first_two_words(label), rng),
                                                         rng), rng), who))
    return sets


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile in milliseconds."""
    return float(np.percentile(np.asarray(values) * 1000.0, q))


def main() -> None:
    """Build both indexes, run every query set, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=2000, help="labels to sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lang", choices=["nl", "en", "none"], default="nl",
                        help="preferred label language, as the API's `lang` (default nl)")
    args = parser.parse_args()

    entries = read_skill_labels()
    start = time.perf_counter()
    index = LabelIndex(entries)
    build_engine = time.perf_counter() - start
    start = time.perf_counter()
    baseline = Baseline(entries)
    build_baseline = time.perf_counter() - start
    cases = build_cases(entries, args.labels, args.seed)

    prefer = None if args.lang == "none" else args.lang

    def engine(query: str, limit: int) -> list[str]:
        return [hit.uri for hit in index.search(query, limit=limit, prefer_lang=prefer)]

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    print(f"labels: {len(entries)} skill labels, {len({e.uri for e in entries})} concepts; "
          f"sample {args.labels}, seed {args.seed}, engine lang={args.lang}")
    print(f"machine: {cpu}, Python {platform.python_version()}, pinned to 1 core")
    print(f"index build: engine {build_engine:.1f} s, baseline {build_baseline:.1f} s")
    print()
    print(f"{'query set':<20}{'n':>6}  {'engine top-1':>12}{'top-5':>8}  "
          f"{'baseline top-1':>14}{'top-5':>8}")
    times: dict[str, list[float]] = defaultdict(list)
    for name, group in cases.items():
        e1, e5, e_wall, e_cpu = evaluate(engine, group, 5)
        b1, b5, b_wall, b_cpu = evaluate(baseline.search, group, 5)
        times["engine wall"] += e_wall
        times["engine cpu"] += e_cpu
        times["baseline wall"] += b_wall
        times["baseline cpu"] += b_cpu
        print(f"{name:<20}{len(group):>6}  {e1:>12.3f}{e5:>8.3f}  {b1:>14.3f}{b5:>8.3f}")
    print()
    # Wall time is what a caller waits; CPU time is what the search costs, and stays honest
    # when other processes share the core.
    print(f"latency over {len(times['engine wall'])} queries, limit 5 (ms):")
    for name, values in times.items():
        print(f"  {name:<14} p50 {percentile(values, 50):6.2f}   p95 {percentile(values, 95):6.2f}"
              f"   max {max(values) * 1000:6.1f}")


if __name__ == "__main__":
    main()
