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
