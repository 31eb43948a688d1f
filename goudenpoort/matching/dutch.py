"""A light Dutch analyser: strip inflection and split compounds, so word forms meet.

"lassen", "lasser" and "gelast" become "las"; "installatie", "installaties", "installeren" and
"installateur" become "install"; "laswerk" becomes "las werk" once "las" and "werk" are known
words. Rule-based on purpose: small, predictable, and the same rules run on labels and
queries, so whatever it gets wrong it gets wrong on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable

# Longest first; each keeps a stem of at least MIN_STEM characters.
SUFFIXES = (
    "ateurs", "ateur", "aties", "atie", "ingen", "ering", "eren", "erde", "erden", "ende",
    "ing", "ers", "eer", "en", "er", "es", "te", "de", "e", "s", "t",
)
MIN_STEM = 3
MIN_PART = 3  # shortest head a compound is split into ("las|werk")
MIN_TAIL = 4  # shortest tail: short tails are mostly suffixes ("installe|ren")
VOWELS = set("aeiouy")
LINKS = ("", "s", "e", "en")  # tussenklanken: veiligheid-s-schoen, bon-en-soep


def stem(word: str) -> str:
    """Return the stem of one normalised Dutch word."""
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    # Past participles: ge...t / ge...d ("gelast", "geïnstalleerd" after normalising).
    if word.startswith("ge") and word[-1] in "td" and len(word) > 5:
        word = word[2:-1]
    for suffix in SUFFIXES:
        rest = len(word) - len(suffix)
        if word.endswith(suffix) and rest >= MIN_STEM:
            # A vowel-initial ending needs a consonant before it: "lass|en" but "schoen".
            if suffix[0] in VOWELS and word[rest - 1] in VOWELS:
                continue
            word = word[:rest]
            break
    # Undouble a final consonant ("lass" -> "las", "bedienn" does not occur but costs nothing)
    # and a doubled vowel before it ("meet" from "meten" stays apart from "met" on purpose:
    # only consonants are undoubled).
    if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in VOWELS:
        word = word[:-1]
    return word


class DutchAnalyser:
    """Stems words and splits compounds into words seen in the vocabulary it was built on."""

    def __init__(self, texts: Iterable[str]) -> None:
        """Learn the stems of every word of the (normalised) Dutch texts."""
        self.stems: set[str] = set()
        for text in texts:
            self.stems.update(stem(word) for word in text.split() if len(word) >= MIN_PART)

    def analyse(self, text: str) -> str:
        """Return the normalised text with every word stemmed and compounds split."""
        out: list[str] = []
        for word in text.split():
            out.extend(self._split(word))
        return " ".join(out)

    def _split(self, word: str) -> list[str]:
        """Return the stems of a word's parts: itself, or a known head and a known tail."""
        whole = stem(word)
        # A known word stays whole: splitting it would only lose meaning.
        if len(word) < MIN_PART + MIN_TAIL or whole in self.stems:
            return [whole]
        # The longest known head whose rest (after an optional linking sound) is known too.
        for cut in range(len(word) - MIN_TAIL, MIN_PART - 1, -1):
            head = word[:cut]
            head_stem = stem(head)
            if head not in self.stems and head_stem not in self.stems:
                continue
            for link in LINKS:
                if not word.startswith(link, cut):
                    continue
                tail = word[cut + len(link):]
                if len(tail) < MIN_TAIL:
                    continue
                tail_stem = stem(tail)
                if tail_stem in self.stems:
                    return [head_stem, tail_stem]
        return [whole]
