"""The label search engine on small hand-made data, and a small regression guard on ESCO."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from goudenpoort.matching.label_search import Hit, LabelEntry, LabelIndex, normalise
from goudenpoort.taxonomy.files import open_release, split

DATA = Path(__file__).resolve().parents[2] / "data" / "esco"

WELD = "urn:skill:weld"
SOLDER = "urn:skill:solder"
FORKLIFT = "urn:skill:forklift"
FUELS = "urn:skill:fuels"
BRANDS = "urn:skill:brands"
TEAM = "urn:skill:team"
TEAM_WATER = "urn:skill:team-water"
ENTRIES = [
    LabelEntry(WELD, "use welding equipment", "en", "preferred"),
    LabelEntry(WELD, "apply welding techniques", "en", "alt"),
    LabelEntry(WELD, "lasapparatuur gebruiken", "nl", "preferred"),
    LabelEntry(SOLDER, "use soldering equipment", "en", "preferred"),
    LabelEntry(FORKLIFT, "operate forklift", "en", "preferred"),
    LabelEntry(FORKLIFT, "drive a fork-lift truck", "en", "alt"),
    LabelEntry(FUELS, "brands of fuels", "en", "preferred"),
    LabelEntry(BRANDS, "brands", "en", "preferred"),
    LabelEntry(TEAM, "lead a team", "en", "preferred"),
    LabelEntry(TEAM_WATER, "lead a team in water management", "en", "preferred"),
]


@pytest.fixture(scope="module")
def index() -> LabelIndex:
    """A small index over the hand-made labels."""
    return LabelIndex(ENTRIES)


def uris(hits: list[Hit]) -> list[str]:
    """Return the URIs of the hits in order."""
    return [hit.uri for hit in hits]


def test_normalise_folds_case_diacritics_and_punctuation() -> None:
    assert normalise("  Coöperatie-Ráad,  (B.V.) ") == "cooperatie raad b v"
    assert normalise("!!!") == ""


def test_an_index_needs_labels() -> None:
    with pytest.raises(ValueError):
        LabelIndex([])
    with pytest.raises(ValueError):
        LabelIndex([LabelEntry("urn:x", "---", "en", "preferred")])


def test_exact_label_ranks_its_concept_first_with_full_score(index: LabelIndex) -> None:
    hits = index.search("use welding equipment")
    assert hits[0].uri == WELD
    assert hits[0].matched_label == "use welding equipment"
    assert hits[0].matched_lang == "en"
    assert hits[0].score == 1.0
    assert hits[1].uri == SOLDER
    assert hits[1].score < hits[0].score


@pytest.mark.parametrize("query", ["use wleding equipment", "use weldin equipment",
                                   "use weldingg equipment", "use welxing equipment"])
def test_one_typo_still_finds_the_concept(index: LabelIndex, query: str) -> None:
    assert uris(index.search(query, limit=1)) == [WELD]


def test_word_order_does_not_matter(index: LabelIndex) -> None:
    hits = index.search("forklift operate", limit=1)
    assert hits[0].uri == FORKLIFT
    assert hits[0].matched_label == "operate forklift"


def test_diacritics_hyphens_and_case_are_ignored(index: LabelIndex) -> None:
    assert uris(index.search("DRIVE A FORKLIFT TRÜCK", limit=1)) == [FORKLIFT]


def test_a_label_cut_short_finds_the_longer_label(index: LabelIndex) -> None:
    assert uris(index.search("lead a team in water", limit=1)) == [TEAM_WATER]


def test_a_short_label_inside_a_longer_query_does_not_win(index: LabelIndex) -> None:
    # "brands" is contained in the query, but "brands of fuels" is one typo away from it.
    assert uris(index.search("brands of fules", limit=2)) == [FUELS, BRANDS]


def test_each_concept_appears_once_with_its_best_label(index: LabelIndex) -> None:
    hits = index.search("welding", limit=10)
    assert len(uris(hits)) == len(set(uris(hits)))
    weld = next(hit for hit in hits if hit.uri == WELD)
    assert weld.matched_label in {"use welding equipment", "apply welding techniques"}


def test_languages_can_be_restricted(index: LabelIndex) -> None:
    assert index.search("lasapparatuur", limit=1)[0].matched_lang == "nl"
    english = index.search("lasapparatuur gebruiken", limit=10, langs=["en"])
    assert all(hit.matched_lang == "en" for hit in english)


def test_limit_and_order_are_respected(index: LabelIndex) -> None:
    hits = index.search("use equipment", limit=2)
    assert len(hits) == 2
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert index.search("use equipment", limit=0) == []


def test_nothing_to_match_returns_nothing(index: LabelIndex) -> None:
    assert index.search("   ") == []
    assert index.search("?!") == []
    assert index.search("qqxqzzq") == []


def test_preferred_label_wins_a_tie_and_ties_break_by_uri() -> None:
    shared = LabelIndex([
        LabelEntry("urn:b", "carpentry", "en", "alt"),
        LabelEntry("urn:c", "carpentry", "en", "preferred"),
        LabelEntry("urn:a", "carpentry", "en", "alt"),
    ])
    assert uris(shared.search("carpentry")) == ["urn:c", "urn:a", "urn:b"]


# -- a small regression guard on real ESCO labels ------------------------------------------

def esco_entries(skills: int) -> list[LabelEntry]:
    """Read every label of the first `skills` rows of the shipped skills file."""
    entries = []
    for number, row in enumerate(open_release(DATA).read("skills.csv.gz")):
        if number == skills:
            break
        for lang in ("en", "nl"):
            if row[f"label_{lang}"]:
                entries.append(LabelEntry(row["uri"], row[f"label_{lang}"], lang, "preferred"))
            entries += [LabelEntry(row["uri"], alt, lang, "alt")
                        for alt in split(row[f"alt_{lang}"])]
    return entries


def one_typo(text: str, rng: random.Random) -> str:
    """Insert, delete, swap or replace one character."""
    position = rng.randrange(1, len(text) - 1)
    operation = rng.randrange(4)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if operation == 0:
        return text[:position] + letter + text[position:]
    if operation == 1:
        return text[:position] + text[position + 1 :]
    if operation == 2:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text[:position] + letter + text[position + 1 :]


def test_real_labels_with_one_typo_or_cut_short_are_found() -> None:
    entries = esco_entries(2500)
    index = LabelIndex(entries)
    owners: dict[str, set[str]] = {}
    for entry in entries:
        owners.setdefault(normalise(entry.label), set()).add(entry.uri)
    rng = random.Random(20240601)
    sample = rng.sample([e for e in entries if len(e.label) >= 5], 300)
    typo_top1 = sum(
        index.search(one_typo(e.label, rng), limit=1)[0].uri in owners[normalise(e.label)]
        for e in sample
    ) / len(sample)
    long_labels = [e for e in sample if len(e.label.split()) >= 3]
    cut_top5 = sum(
        any(hit.uri in owners[normalise(e.label)]
            for hit in index.search(" ".join(e.label.split()[:2]), limit=5))
        for e in long_labels
    ) / len(long_labels)
    # bench/search.py measures about 0.998 and 0.82 on the full label set.
    assert typo_top1 >= 0.97
    assert cut_top5 >= 0.7


# -- Dutch --------------------------------------------------------------------------------

WELDING = "urn:skill:welding"
ELECTRIC = "urn:skill:electric"
LASER = "urn:skill:laser"
DUTCH_ENTRIES = [
    LabelEntry(WELDING, "weld metal", "en", "preferred"),
    LabelEntry(WELDING, "lassen", "nl", "preferred"),
    LabelEntry(WELDING, "MIG/MAG-lassen", "nl", "alt"),
    LabelEntry(LASER, "use lasers", "en", "preferred"),
    LabelEntry(ELECTRIC, "install electrical systems", "en", "preferred"),
    LabelEntry(ELECTRIC, "elektrische installaties aanleggen", "nl", "preferred"),
    LabelEntry("urn:skill:class", "classes", "en", "preferred"),
]


@pytest.fixture(scope="module")
def dutch_index() -> LabelIndex:
    """A small index with Dutch and English labels."""
    return LabelIndex(DUTCH_ENTRIES)


@pytest.mark.parametrize("query", ["lassen", "lasser", "laswerk", "gelast", "mig mag lassen",
                                   "MIG-MAG lassen", "lasen"])
def test_dutch_word_forms_and_compounds_find_the_dutch_label(dutch_index: LabelIndex,
                                                             query: str) -> None:
    hit = dutch_index.search(query, limit=1, prefer_lang="nl")[0]
    assert (hit.uri, hit.matched_lang) == (WELDING, "nl")


@pytest.mark.parametrize("query", ["elektrische installatie", "installeren elektrisch",
                                   "elektrische instalaties", "Elektrische installaties"])
def test_dutch_inflections_of_a_longer_label(dutch_index: LabelIndex, query: str) -> None:
    hit = dutch_index.search(query, limit=1, prefer_lang="nl")[0]
    assert (hit.uri, hit.matched_lang) == (ELECTRIC, "nl")


def test_dutch_forms_are_only_used_for_dutch(dutch_index: LabelIndex) -> None:
    # Without the Dutch preference "laswerk" is just characters, closest to English "lasers".
    plain = dutch_index.search("laswerk", limit=3)
    dutch = dutch_index.search("laswerk", limit=3, prefer_lang="nl")
    assert dutch[0].uri == WELDING
    assert dutch[0].score > next(hit.score for hit in plain if hit.uri == WELDING)


def test_an_english_query_still_finds_english_under_dutch(dutch_index: LabelIndex) -> None:
    hit = dutch_index.search("install electrical sytems", limit=1, prefer_lang="nl")[0]
    assert (hit.uri, hit.matched_lang) == (ELECTRIC, "en")


def test_more_dutch_labels_improve_a_dutch_query() -> None:
    english_only = [entry for entry in DUTCH_ENTRIES if entry.lang == "en"]
    before = LabelIndex(english_only).search("lassen", limit=1, prefer_lang="nl")[0]
    after = LabelIndex(DUTCH_ENTRIES).search("lassen", limit=1, prefer_lang="nl")[0]
    assert before.uri != WELDING and before.matched_lang == "en"
    assert (after.uri, after.matched_lang) == (WELDING, "nl")


# -- the word match --------------------------------------------------------------------------

CNC = "urn:skill:cnc"
PROGRAMMING = [f"urn:skill:programming-{n}" for n in range(4)]
WORD_ENTRIES = [
    LabelEntry(CNC, "een CNC-controller programmeren", "nl", "preferred"),
    LabelEntry(PROGRAMMING[0], "programmeren", "nl", "preferred"),
    LabelEntry(PROGRAMMING[1], "software programmeren", "nl", "preferred"),
    LabelEntry(PROGRAMMING[2], "robots programmeren", "nl", "preferred"),
    LabelEntry(PROGRAMMING[3], "websites programmeren", "nl", "preferred"),
    LabelEntry("urn:skill:vca", "VCA", "nl", "alt"),
    LabelEntry("urn:skill:certificates", "certificaten bewaken", "nl", "preferred"),
    LabelEntry("urn:skill:cv", "certificaten van luchtwaardigheid bewaken", "nl", "preferred"),
]


@pytest.fixture(scope="module")
def word_index() -> LabelIndex:
    """A small index where one word is rare and the other common."""
    return LabelIndex(WORD_ENTRIES)


@pytest.mark.parametrize("prefer", ["nl", None])
def test_the_rare_word_of_a_query_decides(word_index: LabelIndex, prefer: str | None) -> None:
    # "programmeren" alone is closer in characters; "cnc" is the word that matters.
    assert word_index.search("CNC programmeren", limit=1, prefer_lang=prefer)[0].uri == CNC
    assert word_index.search("cnc programeren", limit=1, prefer_lang=prefer)[0].uri == CNC


def test_results_for_a_small_limit_are_a_prefix_of_a_larger_one(word_index: LabelIndex
                                                                 ) -> None:
    # The search stops early once no label left can reach the limit; that must not change
    # what it returns.
    for query in ("programmeren", "cnc", "certificaat bewaken", "vca certificaat"):
        full = word_index.search(query, limit=len(WORD_ENTRIES), prefer_lang="nl")
        for limit in (1, 2, 3):
            assert word_index.search(query, limit=limit, prefer_lang="nl") == full[:limit]
