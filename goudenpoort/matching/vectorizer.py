"""Turn profiles into weighted sparse vectors over (skill, level) features.

A feature is one skill at one level: column `skill * LEVELS + (level - 1)`, in two channels.
A row is built from the profile weights (essential/optional/claim); the exact channel weighs
them by inverse document frequency (scikit-learn's TfidfTransformer, fitted on the skills the
items list); the propagated channel first applies the ESCO propagation P (each skill lends
part of its weight to its broader skill, its group and its related skills). Each channel is
L2-normalised, scaled so the dot product mixes the two cosines by STRUCTURE_SHARE, tiny entries
are pruned and the row renormalised. The level kernel is applied to the query only, so the
stored matrix keeps one column per (skill, level) and a query touches only its postings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from goudenpoort.matching import weights
from goudenpoort.matching.profiles import Candidate, Item
from goudenpoort.matching.skill_space import SkillSpace

Profile = Item | Candidate
L = weights.LEVELS


def entries(profile: Profile, *, with_past: bool = False) -> list[tuple[str, int, float]]:
    """List (uri, level, weight) of a profile before any weighting by rarity or structure."""
    if isinstance(profile, Item):
        return [
            (need.uri, need.level or weights.DEFAULT_LEVEL,
             weights.ESSENTIAL_WEIGHT if need.essential else weights.OPTIONAL_WEIGHT)
            for need in profile.needs
        ]
    out = [(claim.uri, claim.level or weights.DEFAULT_LEVEL, weights.CLAIM_WEIGHT)
           for claim in profile.claims]
    if with_past:
        have = {claim.uri for claim in profile.claims}
        for past in profile.past:
            for need in past.needs:
                if need.uri in have:
                    continue
                have.add(need.uri)
                weight = weights.PAST_ESSENTIAL_WEIGHT if need.essential else \
                    weights.PAST_OPTIONAL_WEIGHT
                out.append((need.uri, need.level or weights.DEFAULT_LEVEL, weight))
    return out


class SkillVectorizer:
    """The fitted vectorizer: a skill space plus inverse document frequencies."""

    def __init__(self, space: SkillSpace, idf: np.ndarray | None = None) -> None:
        """Wrap a skill space; `idf` of a previous fit, or None (all ones until `fit`)."""
        self.space = space
        size = space.size
        self.idf = np.ones(size) if idf is None else np.asarray(idf, dtype=np.float64)
        eye = sp.identity(L, format="csr")
        self.p4 = sp.kron(space.propagation, eye, format="csr")
        self.collapse = sp.kron(sp.identity(size, format="csr"),
                                np.ones((L, 1)), format="csr")
        kernel = sp.csr_matrix(space.kernel.astype(np.float64))
        # A query against items is a candidate (rows = its level); against candidates, an item.
        # Both channels (exact ids, propagated) get the same level kernel.
        eye2 = sp.identity(2 * size, format="csr")
        self.expand = {
            "items": sp.kron(eye2, kernel, format="csr"),
            "candidates": sp.kron(eye2, kernel.T, format="csr"),
        }

    @property
    def features(self) -> int:
        """Return the number of columns: (channel, skill, level)."""
        return 2 * self.space.size * L

    def raw(self, rows: Iterable[Sequence[tuple[str, int, float]]]) -> sp.csr_matrix:
        """Build the unweighted (rows x skill-level) matrix; unknown URIs are skipped."""
        index = self.space.index
        indptr = [0]
        cols: list[int] = []
        vals: list[float] = []
        for row in rows:
            for uri, level, weight in row:
                skill = index.get(uri)
                if skill is not None:
                    cols.append(skill * L + level - 1)
                    vals.append(weight)
            indptr.append(len(cols))
        matrix = sp.csr_matrix(
            (np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int32),
             np.array(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, self.space.size * L),
        )
        matrix.sum_duplicates()
        return matrix

    def fit(self, raw: sp.csr_matrix) -> SkillVectorizer:
        """Learn inverse document frequencies of skills over the items' own skills."""
        # Counted on the skills items list, not after propagation: a skill's rarity is how
        # few items ask for it. Counting propagated neighbours too made every skill near a
        # hub look common, and blurred exactly the distinctions the exact channel is for.
        collapsed = raw @ self.collapse
        transformer = TfidfTransformer(norm=None, use_idf=True, smooth_idf=True)
        transformer.fit(collapsed)
        self.idf = transformer.idf_.astype(np.float64)
        return self

    def _channels(self, raw: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Return the exact and the propagated channel, each weighed by rarity and L2-normed."""
        idf = np.repeat(self.idf, L)
        exact = raw.copy()
        exact.data = exact.data * idf[exact.indices]
        spread = (raw @ self.p4).tocsr()
        spread.data *= idf[spread.indices]
        return normalize(exact, norm="l2"), normalize(spread, norm="l2")

    def transform(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        """Return L2-normalised float32 rows [exact | propagated], tiny entries pruned.

        The channels are scaled so that a dot product of two rows is
        (1 - STRUCTURE_SHARE) * cos(exact) + STRUCTURE_SHARE * cos(propagated).
        """
        exact, spread = self._channels(raw)
        matrix = sp.hstack([np.sqrt(1 - weights.STRUCTURE_SHARE) * exact,
                            np.sqrt(weights.STRUCTURE_SHARE) * spread], format="csr")
        matrix.data[matrix.data < weights.PRUNE_BELOW] = 0.0
        matrix.eliminate_zeros()
        matrix = normalize(matrix, norm="l2", copy=False)
        return matrix.astype(np.float32)

    def query_row(self, row: Sequence[tuple[str, int, float]], against: str) -> sp.csr_matrix:
        """Build one query row straight from its entries (numpy only; what `transform` then
        `query` give, without the per-call overhead of sparse matrix operations)."""
        index = self.space.index
        size = self.space.size
        known = [(index[u], lv, w) for u, lv, w in row if u in index]
        if not known:
            return sp.csr_matrix((1, self.features), dtype=np.float32)
        skills = np.array([k[0] for k in known], dtype=np.int64)
        levels = np.array([k[1] for k in known], dtype=np.int64) - 1
        values = np.array([k[2] for k in known], dtype=np.float64)
        # exact channel
        exact_cols = skills * L + levels
        exact_vals = values * self.idf[skills]
        # propagated channel: the rows of P for these skills
        prop = self.space.propagation
        starts, ends = prop.indptr[skills], prop.indptr[skills + 1]
        counts = ends - starts
        take = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
        targets = prop.indices[take].astype(np.int64)
        spread_cols = targets * L + np.repeat(levels, counts)
        spread_vals = np.repeat(values, counts) * prop.data[take] * self.idf[targets]
        channels = []
        for offset, cols, vals, share in ((0, exact_cols, exact_vals,
                                           1 - weights.STRUCTURE_SHARE),
                                          (size * L, spread_cols, spread_vals,
                                           weights.STRUCTURE_SHARE)):
            unique, inverse = np.unique(cols, return_inverse=True)
            summed = np.bincount(inverse, weights=vals)
            norm = np.sqrt(np.dot(summed, summed))
            channels.append((unique + offset, summed / norm * np.sqrt(share)))
        cols = np.concatenate([c for c, _ in channels])
        vals = np.concatenate([v for _, v in channels])
        keep = vals >= weights.PRUNE_BELOW
        cols, vals = cols[keep], vals[keep]
        vals = vals / np.sqrt(np.dot(vals, vals))
        vals = vals.astype(np.float32).astype(np.float64)  # as stored rows are rounded
        # level kernel: spread each (skill, level) over the four levels of the other side
        kernel = self.space.kernel.astype(np.float64)
        kernel = kernel if against == "items" else kernel.T
        base, level = cols // L * L, cols % L
        out_cols = (base[:, None] + np.arange(L)[None, :]).ravel()
        out_vals = (vals[:, None] * kernel[level]).ravel()
        unique, inverse = np.unique(out_cols, return_inverse=True)
        summed = np.bincount(inverse, weights=out_vals).astype(np.float32)
        return sp.csr_matrix((summed, unique.astype(np.int32), np.array([0, len(unique)])),
                             shape=(1, self.features))

    def query(self, vector: sp.csr_matrix, against: str) -> sp.csr_matrix:
        """Spread a transformed row over the levels of the other side (the level kernel)."""
        return (vector.astype(np.float64) @ self.expand[against]).astype(np.float32).tocsr()

    def exact_part(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        """Return rows that keep only same-skill entries of both channels (for breakdowns)."""
        idf = np.repeat(self.idf, L)
        exact, _ = self._channels(raw)
        spread = (raw @ self.p4).tocsr()
        spread.data *= idf[spread.indices]
        norms = np.sqrt(np.asarray(spread.multiply(spread).sum(axis=1)).ravel())
        direct = raw.copy()
        direct.data = direct.data * idf[direct.indices]
        direct = sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ direct
        return sp.hstack([np.sqrt(1 - weights.STRUCTURE_SHARE) * exact,
                          np.sqrt(weights.STRUCTURE_SHARE) * direct], format="csr")
