"""Resolve free text to taxonomy concepts over their labels, tolerant of typos and word order.

Two stages. Candidate generation: character n-gram TF-IDF (scikit-learn) over every distinct
normalised label text, queried through an inverted index, so a query costs the length of its
n-grams' postings, not the size of the label set. Two candidate lists are merged: the labels
most similar to the query as a whole (cosine) and the labels that contain most of the query
(query coverage, which finds a long label from its first words). Re-ranking: rapidfuzz scores
each candidate on the whole string (edit distance, word order ignored), on how much of the
query the label covers and on whether the label starts like the query, blended with a word
match: the query's whole words, weighted by how rare they are among the labels and matched
exactly or within a typo, found in the label (so "cnc" decides "cnc programmeren", not the
common "programmeren"). Each concept keeps its best label, preferred labels win ties against
alternative and hidden ones.

Dutch: when Dutch is preferred, the query also runs, with its words stemmed and compounds
split (`dutch.DutchAnalyser`), against a second table of the Dutch labels analysed the same
way, Dutch labels' word match compares those analysed forms, and labels in the preferred
language get a small bonus. Every Dutch label added, ESCO's or the project's, enlarges that
table and the analyser's vocabulary of words and compound parts.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from goudenpoort.matching.dutch import DutchAnalyser

COSINE_CANDIDATES = 150  # distinct label texts taken by whole-query similarity
COVERAGE_CANDIDATES = 100  # distinct label texts taken by query coverage
POSTINGS_BUDGET = 40_000  # postings read per query, rarest n-grams first
MIN_NGRAMS = 3  # n-grams read whatever their postings cost
DUTCH_CANDIDATES = 60  # per list, in the table of analysed Dutch labels
DUTCH_FORM_FACTOR = 0.97  # a match on analysed word forms, against one on the surface form
LANG_BONUS = 0.03  # for a label in the requested language
KIND_BONUS = {"preferred": 0.01, "alt": 0.0, "hidden": -0.005}
# The word match (`_QueryWords`): its share of a label's score (the character similarity has
# the rest), more on analysed Dutch forms, where words are stems and compound parts; beta^2 of
# its F-measure (recall counts four times precision); the edit-distance ratio at which a label
# word still matches a query word with a typo. Tuned with bench/search_nl.py and checked with
# bench/search.py.
W_WORDS = 0.3
W_DUTCH_WORDS = 0.5
BETA2 = 4.0
WORD_RATIO = 80.0
MIN_WORD_PART = 3  # shortest word credited for starting or ending a longer one
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Weights of the re-ranking score, tuned with bench/search.py (the score is divided by their
# sum, so an exact match of the whole label scores 1).
W_FULL = 0.3  # whole-string similarity: max(edit-distance ratio, sorted-words ratio)
W_COVER = 0.4  # how well a longer label contains the query (partial alignment)
W_PREFIX = 0.3  # how well a longer label starts like the query
W_COSINE = 0.15  # character n-gram cosine from the first stage
W_TOTAL = W_FULL + W_COVER + W_PREFIX + W_COSINE


def normalise(text: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class LabelEntry:
    """One label of one concept."""

    uri: str
    label: str
    lang: str
    kind: str  # preferred | alt | hidden


@dataclass(frozen=True)
class Hit:
    """A concept found for a query, with the label that matched best."""

    uri: str
    matched_label: str
    matched_lang: str
    score: float


class _NgramTable:
    """Distinct texts, the entries owning each, and their character n-gram inverted index."""

    def __init__(self, texts: Sequence[str], owners: Sequence[Sequence[int]]) -> None:
        """Fit the character n-gram vectorizer on the texts."""
        self.texts = list(texts)
        self.owners = [list(found) for found in owners]
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32
        )
        matrix = self.vectorizer.fit_transform(self.texts)
        self._analyze = self.vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = self.vectorizer.vocabulary_
        self._idf = self.vectorizer.idf_.astype(np.float32)
        self._matrix = matrix.tocsr()
        # Transposed CSR = an inverted index: n-gram -> texts that contain it, with the
        # l2-normalised weight of the n-gram in the text.
        postings = matrix.T.tocsr()
        postings.sort_indices()
        self._indptr = postings.indptr
        self._indices = postings.indices
        self._cosine = postings.data
        # Word weights: how rare each whole word is among the texts, so a query's rare word
        # ("cnc" in "cnc programmeren") counts for more than its common one ("programmeren").
        # A text x word matrix of 0/1 serves the word match of many candidates in one product.
        self._word_ids: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for text_id, text in enumerate(self.texts):
            for word in set(text.split()):
                rows.append(text_id)
                columns.append(self._word_ids.setdefault(word, len(self._word_ids)))
        self._words_list = list(self._word_ids)
        self._word_matrix = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(len(self.texts), len(self._words_list)))
        document_frequency = np.bincount(columns, minlength=len(self._words_list))
        self._word_idf = np.log1p(len(self.texts) / document_frequency).astype(np.float32)
        self._unknown_idf = float(np.log1p(len(self.texts)))
        self._word_total = self._word_matrix @ self._word_idf
        # Sorted words, and sorted reversed words, find the words a query word starts or ends.
        self._by_start = sorted(self._words_list)
        self._by_end = sorted(word[::-1] for word in self._words_list)

    @classmethod
    def of(cls, texts: Sequence[str]) -> _NgramTable | None:
        """Index the distinct non-empty texts, each owned by the positions it appears at."""
        text_ids: dict[str, int] = {}
        owners: list[list[int]] = []
        for position, text in enumerate(texts):
            if not text:
                continue
            text_id = text_ids.setdefault(text, len(text_ids))
            if text_id == len(owners):
                owners.append([])
            owners[text_id].append(position)
        return cls(list(text_ids), owners) if text_ids else None

    def _query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the query's known n-gram ids and their l2-normalised sublinear tf-idf."""
        counts: dict[int, int] = {}
        for gram in self._analyze(text):
            column = self._vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (1.0 + np.log(tf)) * self._idf[columns]
        return columns, weights / np.linalg.norm(weights)

    def candidates(self, text: str, cosine_count: int, coverage_count: int
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Return candidate text ids and their cosine with the query."""
        columns, weights = self._query_vector(text)
        if columns.size == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        starts, ends = self._indptr[columns], self._indptr[columns + 1]
        lengths = ends - starts
        # Walk the n-grams from rarest to commonest and stop once the postings budget is
        # spent: common n-grams ("ing", " co") cost the most and tell the least, and this
        # bounds the query time whatever the label count.
        order = np.argsort(lengths, kind="stable")
        spent = np.cumsum(lengths[order])
        keep = order[: max(MIN_NGRAMS, int(np.searchsorted(spent, POSTINGS_BUDGET)))]
        starts, lengths, used = starts[keep], lengths[keep], weights[keep]
        # Gather the kept postings in one go (no Python loop per n-gram).
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(
            lengths.sum())
        rows = self._indices[offsets]
        repeat_weights = np.repeat(used, lengths)
        size = len(self.texts)
        partial = np.bincount(rows, weights=self._cosine[offsets] * repeat_weights,
                              minlength=size)
        # Coverage: the share of the query's weight found in the text, whatever the text's
        # length; the cosine breaks the many ties among texts that contain the whole query.
        coverage = np.bincount(rows, weights=repeat_weights, minlength=size) + 0.05 * partial
        picked = [_top(partial, cosine_count), _top(coverage, coverage_count)]
        ids = np.unique(np.concatenate(picked))
        # The exact cosine over every query n-gram, for the candidates only.
        query = np.zeros(self._idf.size, dtype=np.float32)
        query[columns] = weights
        return ids, self._matrix[ids] @ query

    def score(self, text: str, cosine_count: int, coverage_count: int, *,
              both_ways: bool = False) -> Iterator[tuple[int, float]]:
        """Yield each candidate text id with its character similarity to the query."""
        ids, cosines = self.candidates(text, cosine_count, coverage_count)
        words = text.split()
        # The word-reversed query finds labels whose first words were swapped; not on Dutch
        # forms, where it would pair a compound's tail with another label's head.
        reversed_query = " ".join(reversed(words)) if len(words) > 1 and not both_ways else None
        for text_id, cosine in zip(ids.tolist(), cosines.tolist(), strict=True):
            yield text_id, similarity(text, self.texts[text_id], cosine, reversed_query,
                                      both_ways=both_ways)

    def word_scores(self, text: str, text_ids: np.ndarray) -> np.ndarray:
        """Score how well each text's words match the query's words, 0..1.

        A label word matches a query word exactly or within a typo (edit-distance ratio of at
        least WORD_RATIO, credited at that ratio), or starts or ends it (a compound the
        analyser could not split: "las" in "laswerk", "base" and "plate" in "baseplate"),
        credited for the share it covers; a query word's credits add up to at most 1. The
        score is an F-measure leaning on recall: the share of the query's weight (rare words
        weigh most, unknown ones more) the text has, and, less, the share of the text's
        weight the query asked for.
        """
        words = sorted(set(text.split()))
        if not words or text_ids.size == 0:
            return np.zeros(text_ids.size, dtype=np.float32)
        weights = np.array([self._word_idf[self._word_ids[word]] if word in self._word_ids
                            else self._unknown_idf for word in words], dtype=np.float32)
        candidates = self._word_matrix[text_ids]
        used = np.unique(candidates.indices)
        credit = np.zeros((len(words), len(self._words_list)), dtype=np.float32)
        if used.size:
            ratios = process.cdist(words, [self._words_list[i] for i in used.tolist()],
                                   scorer=fuzz.ratio, score_cutoff=WORD_RATIO, dtype=np.uint8)
            credit[:, used] = ratios.astype(np.float32) / 100.0
        for row, word in enumerate(words):
            for part, share in self._parts_of(word):
                column = self._word_ids[part]
                credit[row, column] = max(credit[row, column], share)
        shared = np.minimum(candidates @ credit.T, 1.0) @ weights
        recall = shared / weights.sum()
        precision = np.minimum(1.0, shared / np.maximum(self._word_total[text_ids], 1e-9))
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (1 + BETA2) * precision * recall / (BETA2 * precision + recall)
        return np.nan_to_num(score).astype(np.float32)

    def _parts_of(self, word: str) -> Iterator[tuple[str, float]]:
        """Yield the known words that start or end `word`, or that it starts or ends."""
        size = len(word)
        for cut in range(MIN_WORD_PART, size - MIN_WORD_PART + 1):
            if word[:cut] in self._word_ids:
                yield word[:cut], cut / size
            if word[size - cut:] in self._word_ids:
                yield word[size - cut:], cut / size
        if size >= MIN_WORD_PART:
            for found in _starting_with(self._by_start, word):
                if found != word:
                    yield found, size / len(found)
            for found in _starting_with(self._by_end, word[::-1]):
                if found != word[::-1]:
                    yield found[::-1], size / len(found)

    def text_of(self, size: int) -> np.ndarray:
        """Return, for each of `size` entry positions, the id of its text here (or -1)."""
        found = np.full(size, -1, dtype=np.int64)
        for text_id, positions in enumerate(self.owners):
            found[positions] = text_id
        return found


class LabelIndex:
    """Every label in one n-gram table, Dutch labels also in a stemmed, compound-split one."""

    def __init__(self, entries: Sequence[LabelEntry]) -> None:
        """Normalise every label and build both tables."""
        self.entries = list(entries)
        texts = [normalise(entry.label) for entry in self.entries]
        plain = _NgramTable.of(texts)
        if plain is None:
            raise ValueError("cannot build a label index without labels")
        self.plain = plain
        # Dutch inflection and compounds: a second table of the analysed Dutch labels, read
        # by Dutch queries only. Every Dutch label added (ESCO's or the project's) feeds both
        # the table and the analyser's vocabulary of compound parts.
        self.dutch = DutchAnalyser(t for t, e in zip(texts, self.entries, strict=True)
                                   if e.lang == "nl")
        self.dutch_table = _NgramTable.of([
            self.dutch.analyse(t) if e.lang == "nl" else ""
            for t, e in zip(texts, self.entries, strict=True)
        ])
        # Entry position -> its text in each table (-1: none), language and kind bonus.
        size = len(self.entries)
        self._plain_text = self.plain.text_of(size)
        self._dutch_text = (self.dutch_table.text_of(size) if self.dutch_table is not None
                            else np.full(size, -1, dtype=np.int64))
        self._langs = np.array([entry.lang for entry in self.entries])
        self._kind_bonus = np.array([KIND_BONUS.get(entry.kind, 0.0) for entry in self.entries],
                                    dtype=np.float32)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def texts(self) -> list[str]:
        """The distinct normalised label texts."""
        return self.plain.texts

    def search(self, query: str, *, limit: int = 10, langs: Sequence[str] | None = None,
               prefer_lang: str | None = None) -> list[Hit]:
        """Return up to `limit` concepts for the query, best first, ties broken by URI.

        `langs` restricts the labels matched; `prefer_lang` favours labels in that language
        (and, for "nl", also matches the query's Dutch word forms against Dutch labels).
        """
        text = normalise(query)
        if not text or limit < 1:
            return []
        # Character similarity of each candidate label, on its surface form and, for a Dutch
        # query, on its Dutch word forms (a little below the same match on the surface).
        char: dict[int, float] = {}
        for text_id, score in self.plain.score(text, COSINE_CANDIDATES, COVERAGE_CANDIDATES):
            for position in self.plain.owners[text_id]:
                char[position] = score
        dutch = prefer_lang == "nl" and self.dutch_table is not None
        if dutch:
            analysed = self.dutch.analyse(text)
            for text_id, score in self.dutch_table.score(analysed, DUTCH_CANDIDATES,
                                                         DUTCH_CANDIDATES, both_ways=True):
                for position in self.dutch_table.owners[text_id]:
                    char[position] = max(char.get(position, 0.0), score * DUTCH_FORM_FACTOR)
        positions = np.fromiter(char, dtype=np.int64, count=len(char))
        if langs is not None:
            positions = positions[np.isin(self._langs[positions], list(langs))]
        if positions.size == 0:
            return []
        chars = np.array([char[p] for p in positions.tolist()], dtype=np.float32)
        # Whole words, weighted by rarity: the query's rare word decides between labels the
        # characters find alike. Dutch labels compare their Dutch word forms.
        weight = np.full(positions.size, W_WORDS, dtype=np.float32)
        words = np.zeros(positions.size, dtype=np.float32)
        in_dutch = (self._dutch_text[positions] >= 0) if dutch else np.zeros(
            positions.size, dtype=bool)
        for table, text_of, mask, query_text in (
                (self.plain, self._plain_text, ~in_dutch, text),
                (self.dutch_table, self._dutch_text, in_dutch, analysed if dutch else "")):
            if table is None or not mask.any():
                continue
            ids, inverse = np.unique(text_of[positions[mask]], return_inverse=True)
            words[mask] = table.word_scores(query_text, ids)[inverse]
        weight[in_dutch] = W_DUTCH_WORDS
        scores = (1 - weight) * chars + weight * words + self._kind_bonus[positions]
        if prefer_lang is not None:
            scores += LANG_BONUS * (self._langs[positions] == prefer_lang)
        best: dict[str, tuple[float, int]] = {}
        for score, position in zip(scores.tolist(), positions.tolist(), strict=True):
            uri = self.entries[position].uri
            current = best.get(uri)
            if current is None or score > current[0]:
                best[uri] = (score, position)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [
            Hit(uri, self.entries[position].label, self.entries[position].lang,
                round(min(max(score, 0.0), 1.0), 4))
            for uri, (score, position) in ranked
        ]


def similarity(query: str, label: str, cosine: float, reversed_query: str | None = None,
               *, both_ways: bool = False) -> float:
    """Score a normalised label against a normalised query, 0..1 (before kind bonuses).

    `both_ways` also rewards a label contained in the query (used on analysed Dutch forms,
    where a compound query "las werk" should find the label "las").
    """
    full = fuzz.ratio(query, label)
    if not both_ways:
        # Word order is the surface pass's job; on Dutch forms sorting would pair a
        # compound's tail ("las werk") with another label's word ("werk plan").
        full = max(full, fuzz.token_sort_ratio(query, label))
    if both_ways and len(query) > len(label):
        # Discounted by how little of the query the label covers, so "communiceren" does not
        # beat "communiceren met collega's en klanten" for "communiceren met klanten".
        share = (len(label) / len(query)) ** 0.5
        cover = share * fuzz.partial_ratio(label, query)
        prefix = share * fuzz.ratio(query[: len(label)], label)
    elif len(query) < len(label):
        # The label is longer: reward it for containing the query and for starting like it
        # (a label cut short, or its first words swapped), but only in this direction, so a
        # short label inside a long query does not win.
        cover = fuzz.partial_ratio(query, label)
        prefix = fuzz.ratio(query, label[: len(query)])
        if reversed_query:
            cover = max(cover, fuzz.partial_ratio(reversed_query, label))
            prefix = max(prefix, fuzz.ratio(reversed_query, label[: len(query)]))
    else:
        cover = prefix = full
    return ((W_FULL * full + W_COVER * cover + W_PREFIX * prefix) / 100.0
            + W_COSINE * cosine) / W_TOTAL


def _starting_with(ordered: list[str], prefix: str) -> list[str]:
    """Return the words of a sorted list that start with `prefix` (at most a few dozen)."""
    start = bisect.bisect_left(ordered, prefix)
    end = bisect.bisect_left(ordered, prefix + "\uffff", start, min(start + 50, len(ordered)))
    return ordered[start:end]


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Return the indices of the `count` highest positive scores (unordered)."""
    positive = int(np.count_nonzero(scores > 0))
    take = min(count, positive)
    if take == 0:
        return np.empty(0, dtype=np.int64)
    if take == scores.size:
        return np.flatnonzero(scores > 0)
    top = np.argpartition(-scores, take - 1)[:take]
    return top[scores[top] > 0]
