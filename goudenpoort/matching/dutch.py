"""A light Dutch analyser: strip inflection and split compounds, so word forms meet.

"lassen", "lasser" and "gelast" become "las"; "installatie", "installaties", "installeren" and
"installateur" become "install"; "boor" and "boren" become "bor"; "laswerk" becomes "las werk"
and "metaalbuigtechnieken" "metaal buig techniek" once their parts are known words.
Rule-based on purpose: small, predictable, and the same rules run on labels and queries, so
whatever it gets wrong it gets wrong on both sides.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

# Longest first; each keeps a stem of at least MIN_STEM characters.
SUFFIXES = (
    "ateurs", "ateur", "aties", "atie", "ingen", "ering", "eren", "erde", "erden", "ende",
    "ing", "ers", "eer", "en", "er", "es", "te", "de", "e", "s", "t",
)
# Derivations stripped after the inflection: "technisch", "technische" and "techniek" meet
# ("koeltechniek" and "koeltechnische installatie"), as do "hygiënisch" and "hygiëne".
DERIVATIONS = ("isch", "iek")
MIN_STEM = 3
MIN_PART = 3  # shortest head a compound is split into ("las|werk")
MIN_TAIL = 4  # shortest tail: short tails are mostly suffixes ("installe|ren")
MIN_HEAD_USES = 2  # distinct tails a head must start before it counts as a word ("graaf|werk")
VOWELS = set("aeiouy")
LINKS = ("", "s", "e", "en")  # tussenklanken: veiligheid-s-schoen, bon-en-soep
# Separable and inseparable verb prefixes are not compound heads: "onderhouden",
# "aansluiten" and "voorschriften" stay whole rather than become "onder houd", "aan sluit".
PARTICLES = frozenset({
    "aan", "achter", "af", "be", "bij", "door", "ge", "her", "in", "mee", "mis", "na", "om",
    "ont", "onder", "op", "over", "samen", "te", "tegen", "terug", "toe", "uit", "ver", "voor",
    "weg",
})


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Return the stem of one normalised Dutch word."""
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    # Past participles: ge...t / ge...d ("gelast", "geïnstalleerd" after normalising), but not
    # nouns in -heid ("gezondheid" is not a participle of "zondhei").
    if word.startswith("ge") and word[-1] in "td" and len(word) > 5 and not word.endswith(
            "heid"):
        word = word[2:-1]
    for suffix in SUFFIXES:
        rest = len(word) - len(suffix)
        if word.endswith(suffix) and rest >= MIN_STEM:
            # A vowel-initial ending needs a consonant before it: "lass|en" but "schoen".
            if suffix[0] in VOWELS and word[rest - 1] in VOWELS:
                continue
            # A bare -t is a verb ending after a consonant ("last", "snijdt"), part of the
            # noun after a vowel ("maat", "plaat", "kwaliteit").
            if suffix == "t" and word[rest - 1] in VOWELS:
                continue
            word = word[:rest]
            break
    for suffix in DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
            word = word[: -len(suffix)]
            break
    # Undouble a final consonant ("lass" -> "las") and a doubled vowel before a final
    # consonant ("boor" -> "bor", as "boren" -> "bor"; "onderdeel" and "onderdelen").
    if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in VOWELS:
        word = word[:-1]
    if (len(word) > MIN_STEM and word[-1] not in VOWELS and word[-2] == word[-3]
            and word[-2] in "aeou"):
        word = word[:-2] + word[-1]
    return word


class DutchAnalyser:
    """Stems words and splits compounds into words seen in the vocabulary it was built on.

    A compound is split where its parts are more frequent in the vocabulary than the whole
    (the geometric mean of the parts' counts against the whole's count, after Koehn and Knight,
    2003): "kwaliteitscontrole" becomes "kwaliteit control" because both parts are common
    words, while "programmeren" stays whole although "program" and "meren" are words too.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        """Count the stems of every word of the (normalised) Dutch texts, and compound heads."""
        words: Counter[str] = Counter()
        for text in texts:
            words.update(word for word in text.split() if len(word) >= MIN_PART)
        self.freq: Counter[str] = Counter()
        for word, count in words.items():
            self.freq[stem(word)] += count
        self.stems: frozenset[str] = frozenset(self.freq)
        # A head that never stands alone but starts compounds with several different known
        # tails ("graaf" in graafwerk, graafmachine, graaftechnieken) is a word too, counted
        # by the compounds it starts.
        tails: dict[str, set[str]] = {}
        starts: Counter[str] = Counter()
        for word, count in words.items():
            for head, tail in self._cuts(word):
                head_stem = stem(head)
                if head_stem not in self.stems and len(head_stem) > MIN_PART:
                    tails.setdefault(head_stem, set()).add(stem(tail))
                    starts[head_stem] += count
        for head_stem, found in tails.items():
            if len(found) >= MIN_HEAD_USES:
                self.freq[head_stem] = starts[head_stem]
        self._cache: dict[str, tuple[list[str], float]] = {}

    def analyse(self, text: str) -> str:
        """Return the normalised text with every word stemmed and compounds split."""
        out: list[str] = []
        for word in text.split():
            out.extend(self._split(word)[0])
        return " ".join(out)

    def _cuts(self, word: str) -> Iterator[tuple[str, str]]:
        """Yield (head, tail) cuts, longest head first, whose tail stems to a known word."""
        for cut in range(len(word) - MIN_TAIL, MIN_PART - 1, -1):
            head = word[:cut]
            for link in LINKS:
                if not word.startswith(link, cut) or head + link in PARTICLES:
                    continue
                tail = word[cut + len(link):]
                # A tail that is only an ending ("eren", "ingen") is inflection, not a word.
                if len(tail) >= MIN_TAIL and tail not in SUFFIXES and stem(tail) in self.stems:
                    yield head, tail

    def _split(self, word: str) -> tuple[list[str], float]:
        """Return a word's parts (stems) and their score: the whole or its best split."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        whole = stem(word)
        best = ([whole], float(self.freq.get(whole, 0)))
        if len(word) >= MIN_PART + MIN_TAIL:
            for head, tail in self._cuts(word):
                head_count = self.freq.get(stem(head), 0)
                if not head_count:
                    continue
                # The tail may itself be a compound ("metaal|buigtechnieken").
                tail_parts, _ = self._split(tail)
                parts = [stem(head), *tail_parts]
                counts = [head_count, *(self.freq.get(part, 0) for part in tail_parts)]
                score = math.prod(counts) ** (1.0 / len(counts))
                if score > best[1]:
                    best = (parts, score)
        if len(self._cache) < 200_000:  # bounded: queries add words too
            self._cache[word] = best
        return best
