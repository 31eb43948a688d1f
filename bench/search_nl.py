"""Measure Dutch skill search: top-1 and top-5 over queries a Dutch adviser types.

Run from the repository root (no database needed):

    python bench/search_nl.py [--queries bench/data/search_nl_queries.csv] [--misses]

The skill label index is built in-process from the repository's data files, the same way the
search service builds it from the database: every label of the compact ESCO copy (data/esco,
English and the partial official Dutch set, skill groups included), then the project's Dutch
labels (data/labels) layered on top by the importer's own rules. Each query is run twice in
one go: on that full label set ("ESCO + project") and on the ESCO labels alone ("ESCO only").
A query counts as a hit at k if any of its acceptable skills (chosen by reading the English
ESCO labels; see the file's acceptable_labels_en column) is among the first k results.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from goudenpoort.matching.label_search import LabelEntry, LabelIndex  # noqa: E402
from goudenpoort.taxonomy.dutch_labels import layer, read_project_file  # noqa: E402
from goudenpoort.taxonomy.files import open_release, split  # noqa: E402

K = 5


def esco_entries(directory: Path) -> tuple[list[LabelEntry], dict[str, list[tuple[str, str]]]]:
    """Return every skill label of the release in import order, and its Dutch labels by skill."""
    release = open_release(directory)
    entries: list[LabelEntry] = []
    dutch: dict[str, list[tuple[str, str]]] = {}
    for row in release.read("skills.csv.gz"):
        uri = row["uri"]
        seen: set[tuple[str, str, str]] = set()  # the importer drops repeated (lang, kind, label)
        for lang in ("en", "nl"):
            labels = [("preferred", row[f"label_{lang}"])] if row[f"label_{lang}"] else []
            labels += [("alt", label) for label in split(row[f"alt_{lang}"])]
            labels += [("hidden", label) for label in split(row.get(f"hidden_{lang}", ""))]
            for kind, label in labels:
                if (lang, kind, label) not in seen:
                    seen.add((lang, kind, label))
                    entries.append(LabelEntry(uri, label, lang, kind))
                    if lang == "nl":
                        dutch.setdefault(uri, []).append((kind, label))
    return entries, dutch


def project_entries(path: Path, dutch: dict[str, list[tuple[str, str]]]) -> list[LabelEntry]:
    """Return the project labels as the importer stores them (official labels win)."""
    _, rows, _ = layer(dutch, {}, read_project_file(path))
    return [LabelEntry(r["skill_uri"], r["label"], r["lang"], r["kind"]) for r in rows]


def searcher(index: LabelIndex):  # type: ignore[no-untyped-def]
    """Return query -> ranked URIs, passing the query language if the engine takes one."""
    params = inspect.signature(index.search).parameters
    extra = {name: "nl" for name in ("lang", "query_lang", "prefer_lang") if name in params}

    def run(query: str) -> list[str]:
        return [hit.uri for hit in index.search(query, limit=K, **extra)]

    return run


def evaluate(name: str, entries: list[LabelEntry], queries: list[dict[str, str]]
             ) -> dict[str, Any]:
    """Build one index, run every query, return the figures and the misses."""
    started = time.perf_counter()
    index = LabelIndex(entries)
    built = time.perf_counter() - started
    run = searcher(index)
    per_category: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    latencies, misses = [], []
    for q in queries:
        t0 = time.perf_counter()
        ranked = run(q["query"])
        latencies.append(time.perf_counter() - t0)
        good = set(q["acceptable_uris"].split("|"))
        top1 = bool(ranked) and ranked[0] in good
        top5 = any(uri in good for uri in ranked[:K])
        per_category[q["category"]].append((top1, top5))
        per_category["all"].append((top1, top5))
        if not top5:
            misses.append((q["query"], q["acceptable_labels_en"], ranked[:3]))
    dutch = {entry.uri for entry in entries if entry.lang == "nl"}
    # A miss is a label gap if no acceptable skill has any Dutch label in this label set;
    # otherwise the engine did not connect the Dutch words to a Dutch label that exists.
    gaps = sum(1 for q in queries if q["query"] in {m[0] for m in misses}
               and not set(q["acceptable_uris"].split("|")) & dutch)
    return {"gaps": gaps,"name": name, "labels": len(entries), "built": built, "per": per_category,
            "latency_ms": 1000 * statistics.mean(latencies),
            "p95_ms": 1000 * sorted(latencies)[int(0.95 * (len(latencies) - 1))],
            "misses": misses}


def main() -> None:
    """Parse arguments, run both label sets, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path,
                        default=ROOT / "bench" / "data" / "search_nl_queries.csv")
    parser.add_argument("--esco", type=Path, default=ROOT / "data" / "esco")
    parser.add_argument("--labels", type=Path,
                        default=ROOT / "data" / "labels" / "skills_nl_project.csv")
    parser.add_argument("--misses", action="store_true", help="list the top-5 misses")
    args = parser.parse_args()
    with open(args.queries, encoding="utf-8", newline="") as handle:
        queries = list(csv.DictReader(handle))
    esco, dutch = esco_entries(args.esco)
    ours = project_entries(args.labels, dutch)
    runs = [evaluate("ESCO + project", esco + ours, queries), evaluate("ESCO only", esco, queries)]

    names = {e.uri: e.label for e in esco if e.lang == "en" and e.kind == "preferred"}
    print(f"{len(queries)} Dutch queries, {len({q['category'] for q in queries})} categories; "
          f"hit = an acceptable skill in the top 1 / top {K}")
    categories = ["all", *sorted({q["category"] for q in queries})]
    header = f"{'category':12} {'n':>4}" + "".join(
        f" | {run['name']:>16} top-1  top-5" for run in runs)
    print(header)
    for category in categories:
        line = f"{category:12} {len(runs[0]['per'][category]):>4}"
        for run in runs:
            results = run["per"][category]
            top1 = sum(a for a, _ in results) / len(results)
            top5 = sum(b for _, b in results) / len(results)
            line += f" | {'':>16} {top1:5.3f}  {top5:5.3f}"
        print(line)
    for run in runs:
        print(f"{run['name']}: {run['labels']} labels, index built in {run['built']:.1f} s, "
              f"query mean {run['latency_ms']:.1f} ms, p95 {run['p95_ms']:.1f} ms; "
              f"top-{K} misses {len(run['misses'])}, of which {run['gaps']} have no Dutch "
              "label on any acceptable skill")
    if args.misses:
        for run in runs:
            print(f"\ntop-{K} misses, {run['name']} ({len(run['misses'])}):")
            for query, wanted, got in run["misses"]:
                print(f"  {query!r}: wanted {wanted}; got {[names.get(u, u) for u in got]}")


if __name__ == "__main__":
    main()
