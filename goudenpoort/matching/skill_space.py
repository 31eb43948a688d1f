"""The skill vocabulary, the ESCO-structure propagation matrix P and the level kernel."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from goudenpoort.matching import weights
from goudenpoort.matching.profiles import SkillGraph

# How a candidate's skill relates to a skill an item needs, strongest first.
GENERIC_REUSE = ("transversal", "cross-sector")  # ESCO reuse levels that spread little
RELATIONS = ("exact", "narrower", "broader", "related", "sibling")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of a plain or gzipped CSV file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_skill_graph(broader_csv: str | Path, relations_csv: str | Path,
                     skills_csv: str | Path | None = None, release: str = "") -> SkillGraph:
    """Read the ESCO skill graph from our compact CSV files (uri,broader_uri / uri,related_uri,
    relation_type / uri,kind,reuse_level)."""
    broader = tuple((row["uri"], row["broader_uri"]) for row in _rows(Path(broader_csv)))
    related = tuple(
        (row["uri"], row["related_uri"], row["relation_type"] == "essential")
        for row in _rows(Path(relations_csv))
    )
    groups: set[str] = set()
    generic: set[str] = set()
    if skills_csv is not None:
        for row in _rows(Path(skills_csv)):
            if row["kind"] == "group":
                groups.add(row["uri"])
            elif row.get("reuse_level") in GENERIC_REUSE:
                generic.add(row["uri"])
    return SkillGraph(broader=broader, related=related, groups=frozenset(groups),
                      generic=frozenset(generic), release=release)


def level_kernel() -> np.ndarray:
    """Return K[l-1, m-1]: how well a candidate at level l fits a need at level m."""
    levels = np.arange(1, weights.LEVELS + 1)
    short = np.maximum(0, levels[None, :] - levels[:, None])
    above = np.maximum(0, levels[:, None] - levels[None, :])
    kernel = 1.0 - weights.UNDER_PENALTY * short - weights.OVER_PENALTY * above
    return np.maximum(weights.LEVEL_FLOOR, kernel).astype(np.float32)


class SkillSpace:
    """Skills (and groups) as indices, their ESCO neighbours and the propagation matrix."""

    def __init__(self, vocabulary: Iterable[str], broader: np.ndarray, related: np.ndarray,
                 is_group: np.ndarray, is_generic: np.ndarray | None = None,
                 release: str = "") -> None:
        """Build from index arrays: broader (k, 2) [narrower, broader], related (k, 3)
        [a, b, essential] and boolean group and generic-skill masks over the vocabulary."""
        self.vocabulary = list(vocabulary)
        self.index = {uri: i for i, uri in enumerate(self.vocabulary)}
        self.broader = np.asarray(broader, dtype=np.int32).reshape(-1, 2)
        self.related = np.asarray(related, dtype=np.int32).reshape(-1, 3)
        self.is_group = np.asarray(is_group, dtype=bool)
        self.is_generic = np.zeros(len(self.vocabulary), dtype=bool) if is_generic is None \
            else np.asarray(is_generic, dtype=bool)
        self.release = release
        self.parents: dict[int, set[int]] = defaultdict(set)
        self.children: dict[int, set[int]] = defaultdict(set)
        self.relatives: dict[int, set[int]] = defaultdict(set)
        for child, parent in self.broader.tolist():
            self.parents[child].add(parent)
            self.children[parent].add(child)
        for a, b, _ in self.related.tolist():
            self.relatives[a].add(b)
            self.relatives[b].add(a)
        self.propagation = self._propagation()
        self.kernel = level_kernel()

    @classmethod
    def from_graph(cls, graph: SkillGraph, extra: Iterable[str] = ()) -> SkillSpace:
        """Index every URI of the graph (and any extra skill URIs), sorted for determinism."""
        uris: set[str] = set(extra) | set(graph.groups)
        for child, parent in graph.broader:
            uris.update((child, parent))
        for a, b, _ in graph.related:
            uris.update((a, b))
        vocabulary = sorted(uris)
        index = {uri: i for i, uri in enumerate(vocabulary)}
        broader = np.array([(index[c], index[p]) for c, p in graph.broader], dtype=np.int32)
        related = np.array([(index[a], index[b], int(e)) for a, b, e in graph.related],
                           dtype=np.int32)
        is_group = np.array([uri in graph.groups for uri in vocabulary], dtype=bool)
        is_generic = np.array([uri in graph.generic for uri in vocabulary], dtype=bool)
        return cls(vocabulary, broader, related, is_group, is_generic, graph.release)

    @property
    def size(self) -> int:
        """Return the number of skills (and groups) in the vocabulary."""
        return len(self.vocabulary)

    def _propagation(self) -> sp.csr_matrix:
        """Build P (skills x skills): identity plus part of each skill's weight on neighbours."""
        edges: dict[int, dict[int, float]] = defaultdict(dict)

        def add(source: int, target: int, weight: float) -> None:
            if self.is_generic[source] or self.is_generic[target]:
                weight *= weights.GENERIC_SPREAD
            if weight > 0 and source != target and weight > edges[source].get(target, 0.0):
                edges[source][target] = weight

        for child, parent in self.broader.tolist():
            weight = weights.GROUP_WEIGHT if self.is_group[parent] else \
                weights.BROADER_SKILL_WEIGHT
            add(child, parent, weight)
        for a, b, essential in self.related.tolist():
            weight = weights.RELATED_ESSENTIAL_WEIGHT if essential else \
                weights.RELATED_OPTIONAL_WEIGHT
            add(a, b, weight)
            add(b, a, weight)
        rows, cols, vals = list(range(self.size)), list(range(self.size)), [1.0] * self.size
        for source in sorted(edges):
            # Strongest neighbours first, then by index: deterministic and bounded fan-out.
            best = sorted(edges[source].items(), key=lambda kv: (-kv[1], kv[0]))
            for target, weight in best[: weights.MAX_NEIGHBOURS]:
                rows.append(source)
                cols.append(target)
                vals.append(weight)
        shape = (self.size, self.size)
        return sp.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=shape)

    def relation(self, have: int, need: int) -> str | None:
        """Name how a skill someone has relates to a needed skill (None: not close)."""
        if have == need:
            return "exact"
        if have in self.children[need]:
            return "narrower"  # the candidate has a more specific skill than asked
        if have in self.parents[need]:
            return "broader"
        if have in self.relatives[need]:
            return "related"
        shared = self.parents[have] & self.parents[need]
        if any(not self.is_group[p] for p in shared):
            return "sibling"  # both specialise the same broader skill
        return None

    def reach(self, have: Iterable[int]) -> dict[int, tuple[int, int]]:
        """Return, for every skill close to one in `have`, (RELATIONS position, held skill) of
        the closest held skill, the lowest URI among equally close ones.

        The same answer as the smallest (relation(h, need), URI) over `have` for each need, from
        one walk over the neighbourhoods of the skills held (a few hundred entries) instead of
        one relation test per (need, skill held) pair.
        """
        out: dict[int, tuple[int, int]] = {}

        def offer(need: int, rank: int, skill: int) -> None:
            found = out.get(need)
            if found is None or rank < found[0]:  # held skills come by URI: first one wins
                out[need] = (rank, skill)

        for held in sorted(set(have), key=self.vocabulary.__getitem__):
            offer(held, 0, held)
            parents = self.parents.get(held, ())
            for parent in parents:
                offer(parent, 1, held)  # held is narrower than the need
            for child in self.children.get(held, ()):
                offer(child, 2, held)  # held is broader than the need
            for relative in self.relatives.get(held, ()):
                offer(relative, 3, held)
            for parent in parents:
                if not self.is_group[parent]:
                    for sibling in self.children.get(parent, ()):
                        offer(sibling, 4, held)  # both specialise the same broader skill
        return out
