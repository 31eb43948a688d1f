"""Resolve free text to taxonomy concepts over their labels, tolerant of typos and word order.

Two stages: character n-gram TF-IDF (scikit-learn) over every label finds candidates through
an inverted index (cost grows with the query's n-gram postings, not with the label count);
then a word-aware fuzzy score (rapidfuzz) re-ranks those candidates, and each concept keeps
its best label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

CANDIDATES = 200  # labels re-ranked per query
_NON_WORD = re.compile(r"[^0-9a-z]+")


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


class LabelIndex:
    """A fitted vectorizer and the label matrix, ready for queries."""

    def __init__(self, entries: Sequence[LabelEntry]) -> None:
        """Fit the character n-gram vectorizer on every label."""
        if not entries:
            raise ValueError("cannot build a label index without labels")
        self.entries = list(entries)
        self.texts = [normalise(entry.label) for entry in self.entries]
        self.langs = np.array([entry.lang for entry in self.entries])
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32
        )
        matrix = self.vectorizer.fit_transform(self.texts)
        # Transposed CSR = an inverted index: n-gram -> labels that contain it.
        self.postings = matrix.T.tocsr()
        self.kind_bonus = np.array(
            [0.02 if e.kind == "preferred" else 0.0 for e in self.entries], dtype=np.float32
        )

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, *, limit: int = 10, langs: Sequence[str] | None = None
               ) -> list[Hit]:
        """Return up to `limit` concepts for the query, best first, ties broken by URI."""
        text = normalise(query)
        if not text:
            return []
        vector = self.vectorizer.transform([text])
        scores = np.asarray((vector @ self.postings).todense()).ravel()
        if langs is not None:
            scores = np.where(np.isin(self.langs, list(langs)), scores, 0.0)
        nonzero = int(np.count_nonzero(scores))
        if nonzero == 0:
            return []
        take = min(CANDIDATES, nonzero)
        top = np.argpartition(-scores, take - 1)[:take]
        best: dict[str, Hit] = {}
        for index in top:
            label_text = self.texts[index]
            fuzzy = max(
                fuzz.token_sort_ratio(text, label_text),
                fuzz.ratio(text, label_text),
                0.95 * fuzz.token_set_ratio(text, label_text),
            ) / 100.0
            score = 0.5 * float(scores[index]) + 0.5 * fuzzy + float(self.kind_bonus[index])
            entry = self.entries[index]
            current = best.get(entry.uri)
            if current is None or score > current.score:
                best[entry.uri] = Hit(entry.uri, entry.label, entry.lang, min(score, 1.0))
        ranked = sorted(best.values(), key=lambda hit: (-hit.score, hit.uri))
        return ranked[:limit]
