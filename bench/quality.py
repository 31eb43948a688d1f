"""Measure ranking quality on ESCO technical occupations, beside a naive TF-IDF baseline.

One route and one vacancy per technical occupation (937). A route teaches its occupation's
essential skills (level 3); a vacancy requires them (essential, level 3) and lists its optional
skills (optional, level 2). For each occupation a candidate is made at three difficulties:

  a  half of the essential skills, plus 20% (of that number, at least one) unrelated skills
  b  every essential skill that has an ESCO relative (its broader skill, a narrower one, a
     sibling under the same broader skill, or an ESCO related skill) replaced by a random such
     relative that the occupation itself does not list: exact-id overlap cannot see it
  c  a career switcher: the essential skills of a non-technical past occupation (warehouse,
     retail, hospitality, cleaning) plus the target skills that occupation also lists,
     topped up with target essential skills to three (the few a switcher has picked up)

The target is the route/vacancy of that occupation. Reported: recall@1, recall@10 and MRR@10,
ours and the naive baseline (binary skill bags, TF-IDF, cosine) computed in the same run,
and the paired count: on how many queries ours ranks the target higher or lower than the
baseline, and of the lower ones on how many the evidence was even (the item ours put first
holds every skill of the candidate that the target holds, so exact ids cannot tell them apart).
Candidates claim every skill at level 3, the level the items ask for essential skills: this
benchmark measures skill identity; level handling is covered by tests/matching.

    PYTHONPATH=. python bench/quality.py [--seed 7] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goudenpoort.demo.synthetic import Esco, Occupation, load_esco
from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.profiles import Candidate, Item, SkillClaim, SkillNeed
from goudenpoort.matching.skill_space import SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer

DIFFICULTIES = ("a", "b", "c")
PAST_WORDS = ("warehouse", "shop assistant", "sales assistant", "cashier", "waiter", "bartender",
              "kitchen assistant", "cleaner", "housekeeper", "shelf filler")


def past_pool(esco: Esco) -> list[Occupation]:
    """Return the non-technical occupations a switcher may come from."""
    return [o for _, o in sorted(esco.occupations.items())
            if not o.technical and o.essential
            and any(word in o.label for word in PAST_WORDS)]


def relatives(space: SkillSpace, uri: str) -> list[str]:
    """Return the skill-level ESCO relatives of a skill (no groups), sorted."""
    i = space.index.get(uri)
    if i is None:
        return []
    found: set[int] = set()
    for parent in space.parents[i]:
        if not space.is_group[parent]:
            found.add(parent)
            found.update(c for c in space.children[parent] if not space.is_group[c])
    found.update(c for c in space.children[i] if not space.is_group[c])
    found.update(space.relatives[i])
    found.discard(i)
    return sorted(space.vocabulary[j] for j in found)


def make_items(occupations: Sequence[Occupation]) -> tuple[list[Item], list[Item]]:
    """Build one route and one vacancy per occupation, with the occupation URI as id."""
    routes = [Item(id=o.uri, kind="route", title=o.label,
                   needs=tuple(SkillNeed(s, 3, True) for s in o.essential))
              for o in occupations]
    vacancies = [Item(id=o.uri, kind="vacancy", title=o.label,
                      needs=tuple([SkillNeed(s, 3, True) for s in o.essential]
                                  + [SkillNeed(s, 2, False) for s in o.optional]))
                 for o in occupations]
    return routes, vacancies


def make_cases(esco: Esco, space: SkillSpace, occupations: Sequence[Occupation],
               seed: int) -> dict[str, list[tuple[list[str], str]]]:
    """Build (skills, target uri) per occupation at each difficulty."""
    rng = np.random.default_rng(seed)
    every = sorted({s for o in esco.technical for s in o.essential + o.optional})
    pool = past_pool(esco)
    cases: dict[str, list[tuple[list[str], str]]] = {d: [] for d in DIFFICULTIES}
    for occupation in occupations:
        own = set(occupation.essential) | set(occupation.optional)
        essential = list(occupation.essential)
        # a: half the essential skills plus 20% unrelated ones
        half = [essential[i] for i in sorted(rng.permutation(len(essential))
                                             [: max(1, len(essential) // 2)])]
        noise: list[str] = []
        while len(noise) < max(1, round(0.2 * len(half))):
            pick = every[int(rng.integers(len(every)))]
            if pick not in own and pick not in noise:
                noise.append(pick)
        cases["a"].append((half + noise, occupation.uri))
        # b: related skills instead of the exact ones
        replaced = []
        for skill in essential:
            options = [r for r in relatives(space, skill) if r not in own]
            replaced.append(options[int(rng.integers(len(options)))] if options else skill)
        cases["b"].append((sorted(set(replaced)), occupation.uri))
        # c: a career switcher from a non-technical occupation
        past = pool[int(rng.integers(len(pool)))]
        shared = sorted(own & (set(past.essential) | set(past.optional)))
        extra = [s for s in rng.permutation(essential).tolist() if s not in shared]
        shared += extra[: max(0, 3 - len(shared))]
        cases["c"].append((sorted(set(past.essential) | set(shared)), occupation.uri))
    return cases


def metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    """Return recall@1, recall@10 and MRR@10 of 1-based ranks (None: not in the top 10)."""
    n = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@10": sum(1 for r in ranks if r is not None and r <= 10) / n,
        "mrr@10": sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
    }


class Baseline:
    """Binary skill bags, TF-IDF, cosine: what exact-id matching sees."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.ids = [item.id for item in items]
        vocabulary = sorted({n.uri for item in items for n in item.needs})
        self.column = {uri: j for j, uri in enumerate(vocabulary)}
        self.tfidf = TfidfTransformer()
        self.matrix = self.tfidf.fit_transform(self._bags([[n.uri for n in item.needs]
                                                           for item in items]))
        self.order = np.argsort(np.argsort(np.array(self.ids)))  # id rank: the tie-break

    def _bags(self, rows: Sequence[Sequence[str]]) -> sp.csr_matrix:
        data, cols, indptr = [], [], [0]
        for row in rows:
            js = sorted({self.column[u] for u in row if u in self.column})
            cols += js
            data += [1.0] * len(js)
            indptr.append(len(cols))
        return sp.csr_matrix((data, cols, indptr), shape=(len(rows), len(self.column)))

    def rank(self, skills: Sequence[str], k: int = 10) -> list[str]:
        scores = (self.tfidf.transform(self._bags([skills])) @ self.matrix.T).toarray().ravel()
        scores = np.round(scores, 6)
        order = np.lexsort((self.order, -scores))
        return [self.ids[i] for i in order[:k] if scores[i] > 0]


def paired(ours: Sequence[int | None], naive: Sequence[int | None],
           even: Sequence[bool]) -> dict[str, float]:
    """Count the queries where ours ranks the target higher / lower than the baseline, and
    of the lower ones those where the evidence was even (`even`: see `evidence_even`)."""
    mine = [1.0 / r if r is not None and r <= 10 else 0.0 for r in ours]
    theirs = [1.0 / r if r is not None and r <= 10 else 0.0 for r in naive]
    pairs = list(zip(mine, theirs, even, strict=True))
    return {"better": float(sum(a > b for a, b, _ in pairs)),
            "worse": float(sum(a < b for a, b, _ in pairs)),
            "worse_even": float(sum(a < b and e for a, b, e in pairs))}


def evidence_even(skills: Sequence[str], target: Item, first: Item | None) -> bool:
    """Tell whether the item ranked first holds every one of the candidate's skills that the
    target holds: then exact ids cannot tell the two apart, and either order is defensible."""
    if first is None or first.id == target.id:
        return False
    have = set(skills)
    return have & {n.uri for n in target.needs} <= {n.uri for n in first.needs}


def rank_of(target: str, ranked: Sequence[str]) -> int | None:
    """Return the 1-based rank of the target, or None."""
    return ranked.index(target) + 1 if target in ranked else None


def evaluate(esco: Esco, *, seed: int = 7, limit: int | None = None,
             space: SkillSpace | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Return {"routes"|"vacancies": {"a-ours"|"a-naive"|...: metrics}}."""
    occupations = esco.technical
    if limit is not None:
        picked = np.random.default_rng(seed).permutation(len(occupations))[:limit]
        occupations = [occupations[i] for i in sorted(picked)]
    space = space or SkillSpace.from_graph(esco.graph, extra=esco.skill_kinds)
    routes, vacancies = make_items(occupations)
    cases = make_cases(esco, space, occupations, seed)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, items in (("routes", routes), ("vacancies", vacancies)):
        index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
        baseline = Baseline(items)
        by_id = {item.id: item for item in items}
        results[name] = {}
        for difficulty in DIFFICULTIES:
            ours, naive, even = [], [], []
            for i, (skills, target) in enumerate(cases[difficulty]):
                candidate = Candidate(id=f"c{i}", claims=tuple(SkillClaim(s, 3) for s in skills))
                ranked = [r.id for r in index.rank(index.query_for(candidate), 10)]
                ours.append(rank_of(target, ranked))
                naive.append(rank_of(target, baseline.rank(skills)))
                even.append(evidence_even(skills, by_id[target],
                                          by_id[ranked[0]] if ranked else None))
            results[name][f"{difficulty}-ours"] = metrics(ours)
            results[name][f"{difficulty}-naive"] = metrics(naive)
            results[name][f"{difficulty}-paired"] = paired(ours, naive, even)
    return results


def main() -> None:
    """Run the quality benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None, help="occupations (default: all)")
    args = parser.parse_args()
    started = time.perf_counter()
    esco = load_esco()
    results = evaluate(esco, seed=args.seed, limit=args.limit)
    n = args.limit or len(esco.technical)
    print(f"quality on {n} technical occupations, seed {args.seed}, ESCO {esco.release}")
    print(f"{'target':10} {'diff':4} {'model':6} {'recall@1':>9} {'recall@10':>10} {'MRR@10':>7}")
    for name, table in results.items():
        for difficulty in DIFFICULTIES:
            for model in ("ours", "naive"):
                m = table[f"{difficulty}-{model}"]
                print(f"{name:10} {difficulty:4} {model:6} {m['recall@1']:9.3f} "
                      f"{m['recall@10']:10.3f} {m['mrr@10']:7.3f}")
            gain = table[f"{difficulty}-ours"]["mrr@10"] - table[f"{difficulty}-naive"]["mrr@10"]
            pair = table[f"{difficulty}-paired"]
            print(f"{'':10} {difficulty:4} {'gain':6} {'':9} {'':10} {gain:+7.3f}   "
                  f"(ours higher on {pair['better']:.0f} queries, lower on {pair['worse']:.0f}; "
                  f"of those, evidence even on {pair['worse_even']:.0f})")
    print(f"took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
