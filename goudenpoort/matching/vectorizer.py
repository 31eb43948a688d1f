"""Turn profiles into weighted sparse vectors over (skill, level) features.

A feature is one skill at one level: column `skill * LEVELS + (level - 1)`. A row is built in
four steps: profile weights (essential/optional/claim), the ESCO propagation P (each skill
lends part of its weight to its broader skill, its group and its related skills), inverse
document frequency over the fitted items (scikit-learn's TfidfTransformer), L2 normalisation
with tiny propagated entries pruned. The level kernel is applied to the query only, so the
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
        self.expand = {
            "items": sp.kron(sp.identity(size, format="csr"), kernel, format="csr"),
            "candidates": sp.kron(sp.identity(size, format="csr"), kernel.T, format="csr"),
        }

    @property
    def features(self) -> int:
        """Return the number of (skill, level) columns."""
        return self.space.size * L

    def raw(self, rows: Iterable[Sequence[tuple[str, int, float]]]) -> sp.csr_matrix:
        """Build the unweighted (rows x features) matrix; unknown URIs are skipped."""
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
            shape=(len(indptr) - 1, self.features),
        )
        matrix.sum_duplicates()
        return matrix

    def fit(self, raw: sp.csr_matrix) -> SkillVectorizer:
        """Learn inverse document frequencies of skills (after propagation) over item rows."""
        collapsed = (raw @ self.p4) @ self.collapse
        transformer = TfidfTransformer(norm=None, use_idf=True, smooth_idf=True)
        transformer.fit(collapsed)
        self.idf = transformer.idf_.astype(np.float64)
        return self

    def _weigh(self, raw: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
        """Propagate and weigh by rarity; return the matrix and each row's L2 norm."""
        matrix = (raw @ self.p4).tocsr()
        matrix.data *= np.repeat(self.idf, L)[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return matrix, norms

    def transform(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        """Return L2-normalised float32 rows, entries below PRUNE_BELOW dropped."""
        matrix, _ = self._weigh(raw)
        matrix = normalize(matrix, norm="l2", copy=False)
        matrix.data[matrix.data < weights.PRUNE_BELOW] = 0.0
        matrix.eliminate_zeros()
        matrix = normalize(matrix, norm="l2", copy=False)
        return matrix.astype(np.float32)

    def query(self, vector: sp.csr_matrix, against: str) -> sp.csr_matrix:
        """Spread a transformed row over the levels of the other side (the level kernel)."""
        return (vector.astype(np.float64) @ self.expand[against]).astype(np.float32).tocsr()

    def parts(self, raw: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Return (exact-id part, full vector) of rows, both scaled by the full norm."""
        full, norms = self._weigh(raw)
        scale = sp.diags(1.0 / np.where(norms > 0, norms, 1.0))
        direct = raw.copy()
        direct.data = direct.data * np.repeat(self.idf, L)[direct.indices]
        return (scale @ direct).tocsr(), (scale @ full).tocsr()
