"""The inverted index: rank items for a candidate, or candidates for an item, as one sparse
product, with incremental updates (append buffer + tombstones) merged by `compact`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from goudenpoort.matching.profiles import Candidate, Item
from goudenpoort.matching.vectorizer import SkillVectorizer, entries

KIND_CODES = ("route", "vacancy", "employer", "occupation", "candidate")
SIDES = ("items", "candidates")
DECIMALS = 6  # scores are rounded so float noise never decides an order; ties go to the id
BLOCK = 64  # rows per block when looking for the best scores among a million (see _contenders)
TIE_MARGIN = 2e-6  # a score this far below a bound may still round to a tie with it
VIEW_SHARE = 0.5  # kinds holding less than this share of the rows get their own postings slice


@dataclass(frozen=True, slots=True)
class Ranked:
    """One ranked row: its id, kind and cosine score in [0, 1]."""

    id: str
    kind: str
    score: float


@dataclass(frozen=True)
class _Main:
    """The compacted part, swapped as one object so a reader never sees half an update."""

    ids: np.ndarray  # bytes (S), row order
    kinds: np.ndarray  # uint8 codes into KIND_CODES
    postings: sp.csr_matrix  # features x rows: the inverted index
    sorted_ids: np.ndarray  # ids in byte order, for lookup
    order: np.ndarray  # row of each sorted id
    id_rank: np.ndarray  # position of each row in id order: the tie-break
    alive: np.ndarray  # False = tombstone (removed or replaced since the last compact)
    _kind_masks: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)
    _views: dict[tuple[int, ...], tuple[np.ndarray, sp.csr_matrix] | None] = \
        field(default_factory=dict)

    def eligible(self, codes: tuple[int, ...] | None) -> np.ndarray | None:
        """Return the rows that may be ranked (alive, of the kinds asked), None for all."""
        if codes is None:
            return None if bool(self.alive.all()) else self.alive
        mask = self._kind_masks.get(codes)
        if mask is None:
            mask = self._kind_masks[codes] = np.isin(self.kinds, codes)
        return mask & self.alive

    def positions(self, keys: np.ndarray) -> np.ndarray:
        """Return the row of each encoded id (a bytes array), -1 for ids not in the rows."""
        if len(self.sorted_ids) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.sorted_ids, keys), len(self.sorted_ids) - 1)
        return np.where(self.sorted_ids[at] == keys, self.order[at], -1)

    def view(self, codes: tuple[int, ...] | None) -> tuple[np.ndarray, sp.csr_matrix] | None:
        """Return (rows, postings of those rows only) for kinds that are a small share of the
        index, None otherwise: ranking 200 vacancies among 100k routes then sums 200 columns.

        Only small kinds get a slice, so the copy costs at most VIEW_SHARE of the postings.
        """
        if codes is None:
            return None
        if codes not in self._views:
            rows = np.flatnonzero(np.isin(self.kinds, codes))
            small = len(rows) < VIEW_SHARE * len(self.kinds)
            self._views[codes] = (rows, self.postings[:, rows].tocsr()) if small else None
        return self._views[codes]


def _encode(identifier: str) -> bytes:
    """Encode an id for the byte arrays; ids must be non-empty and NUL-free."""
    if not identifier or "\x00" in identifier:
        raise ValueError(f"invalid id {identifier!r}")
    return identifier.encode("utf-8")


def _main(ids: np.ndarray, kinds: np.ndarray, rows: sp.csr_matrix | None,
          postings: sp.csr_matrix | None = None) -> _Main:
    """Index compacted rows (or take their inverted form as is) and order the ids."""
    order = np.argsort(ids, kind="stable").astype(np.int64)
    sorted_ids = ids[order]
    if len(sorted_ids) > 1 and bool(np.any(sorted_ids[1:] == sorted_ids[:-1])):
        raise ValueError("duplicate ids in the index")
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[order] = np.arange(len(ids))
    if postings is None:
        assert rows is not None
        postings = rows.T.tocsr().astype(np.float32)
        postings.sort_indices()
    return _Main(ids, kinds, postings, sorted_ids, order, id_rank,
                 np.ones(len(ids), dtype=bool))


def _accumulate(postings: sp.csr_matrix, query: sp.csr_matrix) -> np.ndarray:
    """Return every row's dot product with the query, as one dense float32 array.

    The query's postings are sliced out (`postings[cols]`, one copy in C) and multiplied by
    the query's weights as a transposed matrix-vector product (scipy's CSC matvec: one pass in
    C, no sorting, no temporaries the size of the postings). About three times faster than a
    gather plus `np.bincount`, which builds index and product arrays and sums in float64.
    Float32 sums, as the buffer and `scores` compute them, so every path agrees.
    """
    if query.nnz == 0:
        return np.zeros(postings.shape[1], dtype=np.float32)
    return postings[query.indices].T @ query.data.astype(np.float32, copy=False)


def _contenders(summed: np.ndarray, want: int) -> np.ndarray:
    """Return the rows that may be among the `want` best of `summed` (ties after rounding too).

    Instead of scanning a million scores for non-zeros, take the maximum of each block of
    BLOCK rows: the want-th best block maximum t is a lower bound of the want-th best score
    (there are `want` distinct rows scoring at least t), so only blocks whose maximum reaches
    t can hold a winner. Scores within TIE_MARGIN below t may round to a tie, so they stay.
    """
    full = len(summed) // BLOCK * BLOCK
    maxima = summed[:full].reshape(-1, BLOCK).max(axis=1)
    if full < len(summed):
        maxima = np.append(maxima, summed[full:].max())
    if np.count_nonzero(maxima) <= want:
        return np.flatnonzero(summed)
    threshold = np.partition(maxima, len(maxima) - want)[len(maxima) - want] - TIE_MARGIN
    blocks = np.flatnonzero(maxima >= threshold)
    rows = (blocks[:, None] * BLOCK + np.arange(BLOCK)[None, :]).ravel()
    rows = rows[rows < len(summed)]
    return rows[summed[rows] >= max(threshold, np.finfo(np.float64).tiny)]


class MatchIndex:
    """Rows of one side (items or candidates) over (skill, level) features, ready to rank."""

    def __init__(self, vectorizer: SkillVectorizer, side: str, ids: Sequence[str] | np.ndarray,
                 kinds: Sequence[str] | np.ndarray, rows: sp.csr_matrix,
                 built_at: float | None = None) -> None:
        """Index already transformed rows; prefer `build` for profiles."""
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}")
        self.vectorizer = vectorizer
        self.side = side
        ids_array = ids if isinstance(ids, np.ndarray) else \
            np.array([_encode(i) for i in ids], dtype="S")
        if len(ids_array) == 0:
            ids_array = np.array([], dtype="S1")
        kind_array = kinds if isinstance(kinds, np.ndarray) else \
            np.array([KIND_CODES.index(k) for k in kinds], dtype=np.uint8)
        if rows.shape != (len(ids_array), vectorizer.features) or len(kind_array) != len(ids_array):
            raise ValueError("ids, kinds and rows do not line up")
        self._main = _main(ids_array, kind_array.astype(np.uint8), rows.tocsr())
        self._buffer: dict[bytes, tuple[sp.csr_matrix, int]] = {}
        self._buffer_cache: tuple[list[bytes], np.ndarray, sp.csr_matrix] | None = None
        self.built_at = time.time() if built_at is None else built_at

    @classmethod
    def from_postings(cls, vectorizer: SkillVectorizer, side: str, ids: np.ndarray,
                      kinds: np.ndarray, postings: sp.csr_matrix, built_at: float) -> MatchIndex:
        """Rebuild an index from its saved inverted form, without transposing again."""
        index = cls(vectorizer, side, np.array([], dtype="S1"), np.array([], dtype=np.uint8),
                    sp.csr_matrix((0, vectorizer.features), dtype=np.float32), built_at)
        if postings.shape != (vectorizer.features, len(ids)) or len(kinds) != len(ids):
            raise ValueError("ids, kinds and postings do not line up")
        index._main = _main(ids, kinds.astype(np.uint8), None, postings)
        return index

    # ---- building -----------------------------------------------------------------------
    @classmethod
    def build(cls, vectorizer: SkillVectorizer, profiles: Iterable[Item | Candidate],
              *, fit: bool = False) -> MatchIndex:
        """Vectorize and index items (side "items") or candidates (side "candidates").

        With `fit`, the vectorizer first learns inverse document frequencies from these items.
        """
        ids: list[bytes] = []
        kinds: list[int] = []
        side = None

        def rows() -> Iterable[list[tuple[str, int, float]]]:
            nonlocal side
            for profile in profiles:
                this = "items" if isinstance(profile, Item) else "candidates"
                if side is None:
                    side = this
                elif side != this:
                    raise ValueError("an index holds items or candidates, not both")
                ids.append(_encode(profile.id))
                kinds.append(KIND_CODES.index(profile.kind if isinstance(profile, Item)
                                              else "candidate"))
                yield entries(profile)

        raw = vectorizer.raw(rows())
        if fit:
            if side == "candidates":
                raise ValueError("fit the vectorizer on items, not candidates")
            vectorizer.fit(raw)
        return cls(vectorizer, side or "items", np.array(ids, dtype="S"),
                   np.array(kinds, dtype=np.uint8), vectorizer.transform(raw))

    def vector(self, profile: Item | Candidate, *, with_past: bool = False) -> sp.csr_matrix:
        """Return the transformed (unexpanded) row of one profile."""
        return self.vectorizer.transform(self.vectorizer.raw([entries(profile,
                                                                      with_past=with_past)]))

    def query_for(self, profile: Item | Candidate, *, with_past: bool = False) -> sp.csr_matrix:
        """Return the query row of a profile of the other side, spread by the level kernel."""
        other = "candidates" if self.side == "items" else "items"
        if (isinstance(profile, Item)) != (other == "items"):
            raise ValueError(f"an index of {self.side} is queried with a profile of the other side")
        return self.vectorizer.query_row(entries(profile, with_past=with_past), self.side)

    # ---- incremental updates ---------------------------------------------------------------
    def _position(self, key: bytes) -> int | None:
        """Return the main row of an id, or None."""
        position = int(self._main.positions(np.array([key], dtype="S"))[0])
        return None if position < 0 else position

    def upsert(self, profile: Item | Candidate) -> None:
        """Add or replace one row; it is ranked from the next query on, no rebuild needed."""
        is_item = isinstance(profile, Item)
        if is_item != (self.side == "items"):
            raise ValueError(f"this index holds {self.side}")
        key = _encode(profile.id)
        kind = KIND_CODES.index(profile.kind if isinstance(profile, Item) else "candidate")
        row = self.vector(profile)
        position = self._position(key)
        if position is not None:
            self._main.alive[position] = False
        self._buffer[key] = (row, kind)
        self._buffer_cache = None

    def remove(self, identifier: str) -> bool:
        """Remove one row; return whether it was there."""
        key = _encode(identifier)
        found = self._buffer.pop(key, None) is not None
        self._buffer_cache = None if found else self._buffer_cache
        position = self._position(key)
        if position is not None and self._main.alive[position]:
            self._main.alive[position] = False
            found = True
        return found

    @property
    def pending(self) -> int:
        """Return how many changes wait in the buffer and tombstones for `compact`."""
        return len(self._buffer) + int(np.count_nonzero(~self._main.alive))

    def compact(self) -> None:
        """Merge the buffer and drop tombstones (no re-vectorizing; swapped in at once)."""
        main = self._main
        keep = np.flatnonzero(main.alive)
        rows = main.postings.T.tocsr()[keep]
        ids, kinds = main.ids[keep], main.kinds[keep]
        if self._buffer:
            keys = sorted(self._buffer)
            rows = sp.vstack([rows] + [self._buffer[k][0] for k in keys], format="csr")
            ids = np.concatenate([ids.astype(object), np.array(keys, dtype=object)])
            ids = np.array(list(ids), dtype="S")
            kinds = np.concatenate([kinds, np.array([self._buffer[k][1] for k in keys],
                                                     dtype=np.uint8)])
        self._main = _main(ids, kinds, rows.astype(np.float32).tocsr())
        self._buffer = {}
        self._buffer_cache = None

    # ---- queries ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(np.count_nonzero(self._main.alive)) + len(self._buffer)

    def __contains__(self, identifier: object) -> bool:
        if not isinstance(identifier, str):
            return False
        key = _encode(identifier)
        position = self._position(key)
        return key in self._buffer or (position is not None and bool(self._main.alive[position]))

    def ids(self) -> list[str]:
        """Return every live id, in id order."""
        main = self._main
        live = [main.ids[i] for i in main.order if main.alive[i]]
        return sorted(k.decode() for k in [*live, *self._buffer])

    def _buffered(self) -> tuple[list[bytes], np.ndarray, sp.csr_matrix] | None:
        """Return the buffer as (keys, kinds, rows), stacked once per change."""
        if not self._buffer:
            return None
        if self._buffer_cache is None:
            keys = sorted(self._buffer)
            self._buffer_cache = (
                keys,
                np.array([self._buffer[k][1] for k in keys], dtype=np.uint8),
                sp.vstack([self._buffer[k][0] for k in keys], format="csr"),
            )
        return self._buffer_cache

    def rank(self, query: sp.csr_matrix, k: int = 20, *, kinds: Sequence[str] | None = None,
             min_score: float = 0.0, exclude: Iterable[str] = ()) -> list[Ranked]:
        """Return the k best rows for an expanded query, best first, ties broken by id."""
        if k <= 0:
            return []
        excluded = {_encode(e) for e in exclude}
        want = k + len(excluded)
        main = self._main
        codes = None if kinds is None else tuple(KIND_CODES.index(x) for x in kinds)
        view = main.view(codes)
        if view is None:
            summed = _accumulate(main.postings, query)
            eligible = main.eligible(codes)
            if eligible is not None:
                summed *= eligible  # removed rows and other kinds cannot win
            rows = _contenders(summed, want)
            scores = np.round(summed[rows].astype(np.float64), DECIMALS)
        else:
            # The same sums (a column's products are added in query order either way).
            view_rows, view_postings = view
            summed = _accumulate(view_postings, query)
            summed *= main.alive[view_rows]
            at = _contenders(summed, want)
            rows, scores = view_rows[at], np.round(summed[at].astype(np.float64), DECIMALS)
        keep = (scores > 0) & (scores >= min_score)
        rows, scores = rows[keep], scores[keep]
        if len(scores) > want:
            # Partial sort: everything scoring at least the want-th best survives, ties included.
            threshold = scores[np.argpartition(-scores, want - 1)[want - 1]]
            top = scores >= threshold
            rows, scores = rows[top], scores[top]
        ordered = np.lexsort((main.id_rank[rows], -scores))[:want]
        found = [(-float(scores[i]), main.ids[rows[i]], int(main.kinds[rows[i]]))
                 for i in ordered]
        buffered = self._buffered()
        if buffered is not None:
            keys, buffer_kinds, matrix = buffered
            extra = np.round((matrix @ query.T).toarray().ravel(), DECIMALS)
            for key, code, score in zip(keys, buffer_kinds.tolist(), extra.tolist(), strict=True):
                if score > 0 and score >= min_score and (codes is None or code in codes):
                    found.append((-score, key, code))
            found.sort()
        ranked = [Ranked(key.decode(), KIND_CODES[code], -neg) for neg, key, code in found
                  if key not in excluded]
        return ranked[:k]

    def scores(self, query: sp.csr_matrix, identifiers: Iterable[str], *,
               kinds: Sequence[str] | None = None) -> dict[str, float]:
        """Return the score of the query against given live ids (0.0 if not similar).

        With `kinds`, ids of other kinds score 0.0 and only rows of those kinds are summed.
        """
        return self.score_sheet(query, kinds=kinds)(identifiers)

    def score_sheet(self, query: sp.csr_matrix, *,
                    kinds: Sequence[str] | None = None) -> ScoreSheet:
        """Return the query's scores as a sheet to read many times (summed once)."""
        return ScoreSheet(self, query, kinds)

    # ---- for artifacts ---------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        """Return the compacted state as plain arrays (compacts first)."""
        if self.pending:
            self.compact()
        main = self._main
        postings = main.postings
        return {"ids": main.ids, "kinds": main.kinds, "postings_data": postings.data,
                "postings_indices": postings.indices, "postings_indptr": postings.indptr}

    def nbytes(self) -> int:
        """Return the bytes held by the index arrays (the memory a query needs)."""
        main = self._main
        arrays = [main.ids, main.kinds, main.sorted_ids, main.order, main.id_rank, main.alive,
                  main.postings.data, main.postings.indices, main.postings.indptr]
        return int(sum(a.nbytes for a in arrays))


class ScoreSheet:
    """One query's scores against an index: summed on first use, then read many times.

    For one request's explanations (say, a candidate's scores before each of 20 routes): valid
    while the index is unchanged, which holds inside one `registry.use` block.
    """

    def __init__(self, index: MatchIndex, query: sp.csr_matrix,
                 kinds: Sequence[str] | None = None) -> None:
        """Remember the query; nothing is summed yet."""
        self._index = index
        self._query = query
        self._codes = None if kinds is None else tuple(KIND_CODES.index(x) for x in kinds)
        self._summed: np.ndarray | None = None

    def _sums(self, positions: np.ndarray) -> np.ndarray:
        """Return the sums at main-index positions (the same arithmetic as rank)."""
        main = self._index._main
        view = main.view(self._codes)
        if self._summed is None:
            self._summed = _accumulate(main.postings if view is None else view[1], self._query)
        return self._summed[positions if view is None else np.searchsorted(view[0], positions)]

    def __call__(self, identifiers: Iterable[str]) -> dict[str, float]:
        """Return the score of each given live id (0.0 if not similar or not of the kinds)."""
        index, codes = self._index, self._codes
        wanted = sorted({_encode(i) for i in identifiers})
        out = {key.decode(): 0.0 for key in wanted}
        in_main: list[bytes] = []
        for key in wanted:
            if key in index._buffer:
                row, code = index._buffer[key]
                if codes is None or code in codes:
                    product = (row @ self._query.T).toarray().ravel()
                    out[key.decode()] = float(np.round(product, DECIMALS)[0])
            else:
                in_main.append(key)
        if not in_main:
            return out
        main = index._main
        keys = np.array(in_main, dtype="S")
        positions = main.positions(keys)
        found = positions >= 0
        eligible = main.eligible(codes)  # alive and of the kinds asked
        found[found] = (main.alive if eligible is None else eligible)[positions[found]]
        if not found.any():
            return out
        # rounded as rank rounds (np.round of float64), so a score equals its ranked score
        rounded = np.round(self._sums(positions[found]).astype(np.float64), DECIMALS).tolist()
        for key, value in zip(keys[found].tolist(), rounded, strict=True):
            out[key.decode()] = value
        return out
