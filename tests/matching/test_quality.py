"""Regression guard for ranking quality: a fixed-seed slice of bench/quality.py."""

from __future__ import annotations

from bench.quality import evaluate
from goudenpoort.demo.synthetic import load_esco


def test_structure_beats_exact_ids_and_never_loses_much() -> None:
    results = evaluate(load_esco(), seed=3, limit=150)
    for target in ("routes", "vacancies"):
        table = results[target]
        # (b) related skills only: the ESCO structure must clearly beat exact-id overlap
        assert table["b-ours"]["mrr@10"] >= table["b-naive"]["mrr@10"] + 0.10, table
        assert table["b-ours"]["recall@10"] >= 0.9, table
        # (a) and (c): at worst a hair below the naive baseline (full run: within 0.01)
        for difficulty in ("a", "c"):
            assert table[f"{difficulty}-ours"]["mrr@10"] >= \
                table[f"{difficulty}-naive"]["mrr@10"] - 0.03, (difficulty, table)
        assert table["a-ours"]["recall@10"] >= 0.95, table


def test_full_run_meets_the_issue_goals() -> None:
    # All 937 technical occupations, the seed the README reports (about 8 s).
    results = evaluate(load_esco(), seed=7)
    for target in ("routes", "vacancies"):
        table = results[target]
        assert table["b-ours"]["mrr@10"] >= table["b-naive"]["mrr@10"] + 0.15, table
    for difficulty in ("a", "b", "c"):
        vacancies = results["vacancies"]
        assert vacancies[f"{difficulty}-ours"]["mrr@10"] >= \
            vacancies[f"{difficulty}-naive"]["mrr@10"], (difficulty, vacancies)
        # Routes list only essential skills, so on (a) and (c) exact ids already say it all:
        # the model may trail by a few queries in 937, never by more (README: Matching).
        routes = results["routes"]
        assert routes[f"{difficulty}-ours"]["mrr@10"] >= \
            routes[f"{difficulty}-naive"]["mrr@10"] - 0.003, (difficulty, routes)
