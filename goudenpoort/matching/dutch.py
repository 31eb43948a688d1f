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

# Longest first; each keeps a stem of at least MIN_STEM characters. No bare -t: labels rarely
# say "werkt", and far more nouns end in -t ("kast", "punt", "maat") than keep it in the plural.
SUFFIXES = (
    "ateurs", "ateur", "aties", "atie", "ingen", "ering", "eren", "erde", "erden", "ende",
    "ing", "ers", "eer", "en", "er", "es", "te", "de", "e", "s",
)
# Derivations stripped after the inflection: "technisch", "technische" and "techniek" meet
# ("koeltechniek" and "koeltechnische installatie"), as do "hygiënisch" and "hygiëne".
DERIVATIONS = ("isch", "iek")
MIN_STEM = 3
MIN_PART = 3  # shortest head a compound is split into ("las|werk")
MIN_TAIL = 4  # shortest tail: short tails are mostly suffixes ("installe|ren")
MIN_HEAD_USES = 2  # distinct tails a head must start before it counts as a word ("graaf|werk")
VOWELS = set("aeiouy")
LONG_VOWELS = frozenset({"aa", "ee", "oo", "uu", "ie", "oe", "eu", "ei", "ij", "ui", "ou", "au"})
LINKS = ("", "s", "e", "en")  # tussenklanken: veiligheid-s-schoen, bon-en-soep
# Separable and inseparable verb prefixes are not compound heads: "onderhouden",
# "aansluiten" and "voorschriften" stay whole rather than become "onder houd", "aan sluit".
PARTICLES = frozenset({
    "aan", "achter", "af", "be", "bij", "door", "ge", "her", "in", "mee", "mis", "na", "om",
    "ont", "onder", "op", "over", "samen", "te", "tegen", "terug", "toe", "uit", "ver", "voor",
    "weg",
})
# Function words are no compound parts: "meterkast" is not "met kas" although "meter" stems
# to "met".
FUNCTION_WORDS = frozenset({
    "aan", "als", "bij", "dat", "de", "die", "door", "een", "en", "het", "in", "met", "naar",
    "niet", "of", "om", "op", "over", "te", "tot", "uit", "van", "voor", "zijn",
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
    original, voiced = word, False
    for suffix in SUFFIXES:
        rest = len(word) - len(suffix)
        if word.endswith(suffix) and rest >= MIN_STEM:
            # A vowel-initial ending needs a consonant before it: "lass|en" but "schoen".
            if suffix[0] in VOWELS and word[rest - 1] in VOWELS:
                continue
            # No plural -s after a long vowel: "frees", "huis", "prijs" are singulars.
            if suffix == "s" and word[rest - 2:rest] in LONG_VOWELS:
                continue
            word, voiced = word[:rest], suffix in ("en", "e")
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
    # After -en or -e, the final consonant as the singular spells it ("frezen" -> "fres" as
    # "frees" -> "fres"; "graven" -> "graf" as "graaf"), not after -eren ("graveren").
    if voiced and word[-1] in "vz" and word[-2] not in "vz":
        word = word[:-1] + ("f" if word[-1] == "v" else "s")
    # A content word that came out as a function word gets its long vowel back: "meten" and
    # "meet" -> "meet", apart from "met".
    if (word in FUNCTION_WORDS and word != original and len(word) == 3
            and word[1] in "aeou" and word[0] not in VOWELS and word[2] not in VOWELS):
        word = word[0] + word[1] * 2 + word[2]
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
                # "warmt|e|pomp" is the known "warmte" with its e, not a new head "warmt".
                joined = word[: len(word) - len(tail)]
                if (head_stem not in self.stems and len(head_stem) > MIN_PART
                        and stem(joined) not in self.stems):
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

    def _cuts(self, word: str, *, compound_tails: bool = False) -> Iterator[tuple[str, str]]:
        """Yield (head, tail) cuts, longest head first, whose tail is a known word.

        With `compound_tails`, a tail that splits into known words counts as known too.
        """
        for cut in range(len(word) - MIN_TAIL, MIN_PART - 1, -1):
            head = word[:cut]
            for link in LINKS:
                if not word.startswith(link, cut) or head + link in PARTICLES:
                    continue
                tail = word[cut + len(link):]
                # A tail that is only an ending ("eren", "ingen") is inflection, not a word.
                if len(tail) < MIN_TAIL or tail in SUFFIXES or stem(tail) in FUNCTION_WORDS:
                    continue
                if stem(tail) in self.stems or (
                        compound_tails and len(tail) >= MIN_PART + MIN_TAIL
                        and len(self._split(tail)[0]) > 1):
                    yield head, tail

    def _split(self, word: str) -> tuple[list[str], float]:
        """Return a word's parts (stems) and their score: the whole or its best split."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        whole = stem(word)
        best = ([whole], float(self.freq.get(whole, 0)))
        if len(word) >= MIN_PART + MIN_TAIL:
            for head, tail in self._cuts(word, compound_tails=True):
                # The head as its stem, or as written when only that is known ("teken" in
                # "tekensoftware" stems to "tek", but "tekenen" and "tekening" to "teken").
                head_key = stem(head) if stem(head) in self.freq else head
                head_count = self.freq.get(head_key, 0)
                if not head_count or head_key in FUNCTION_WORDS:
                    continue
                # Either part may itself be a compound ("metaal|buigtechnieken",
                # "tekstverwerking|s|software").
                head_parts = self._split(head)[0] if len(head) >= MIN_PART + MIN_TAIL else []
                if len(head_parts) < 2:
                    head_parts = [head_key]
                tail_parts, _ = self._split(tail)
                counts = [head_count, *(self.freq.get(part, 0) for part in tail_parts)]
                score = math.prod(counts) ** (1.0 / len(counts))
                if score > best[1]:
                    best = ([*head_parts, *tail_parts], score)
        if len(self._cache) < 200_000:  # bounded: queries add words too
            self._cache[word] = best
        return best
