"""The light Dutch analyser: inflections meet, compounds split into known words."""

from __future__ import annotations

import pytest

from goudenpoort.matching.dutch import DutchAnalyser, stem

VOCABULARY = ["lassen", "werk", "installaties aanleggen", "veiligheid", "schoenen dragen",
              "pomp onderhouden", "warmte"]


@pytest.mark.parametrize("forms", [
    ("lassen", "lasser", "las", "gelast"),
    ("installatie", "installaties", "installeren", "installateur"),
    ("pomp", "pompen"),
    ("schoen", "schoenen"),
])
def test_word_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


def test_short_words_and_numbers_are_left_alone() -> None:
    assert [stem(word) for word in ("las", "vca", "2024", "nen")] == ["las", "vca", "2024", "nen"]


def test_compounds_split_into_known_words() -> None:
    analyser = DutchAnalyser(VOCABULARY)
    assert analyser.analyse("laswerk") == "las werk"
    assert analyser.analyse("veiligheidsschoenen") == "veiligheid schoen"
    assert analyser.analyse("warmtepompen installeren") == "warm pomp instal"


def test_known_and_unknown_words_stay_whole() -> None:
    analyser = DutchAnalyser(VOCABULARY)
    assert analyser.analyse("installaties") == "instal"
    assert analyser.analyse("lasapparaat") == stem("lasapparaat")
    assert DutchAnalyser([]).analyse("laswerk") == stem("laswerk")


@pytest.mark.parametrize("forms", [
    ("gezondheid", "gezondheids"),  # not a participle "ge-zondhei-d"
    ("boor", "boren"),  # long vowel before one consonant
    ("onderdeel", "onderdelen"),
    ("frees", "frezen"),  # z after -en is the s of the singular
    ("graaf", "graven"),
    ("kast", "kasten"),  # nouns keep their -t
    ("maat", "maten"),
    ("prijs", "prijzen"),  # no plural -s after a long vowel
    ("techniek", "technieken", "technisch", "technische"),
    ("hygienisch", "hygiene"),
])
def test_more_word_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


def test_a_content_word_does_not_become_a_function_word() -> None:
    assert stem("meten") == stem("meet") != stem("met") == "met"
    assert stem("graveren") != stem("graven")


FREQUENT_PARTS = ["kwaliteit controleren", "kwaliteit bewaken", "controle uitvoeren",
                  "kwaliteitscontrole", "metaal buigen", "metaal zagen", "technieken",
                  "programmeren", "software programmeren", "robots programmeren", "meren",
                  "graafwerk", "graafmachine", "graaftechnieken", "werk", "machine",
                  "onderhouden", "houden", "onder", "meterkast", "meter", "kast", "met"]


def test_a_known_compound_splits_when_its_parts_are_more_frequent() -> None:
    analyser = DutchAnalyser(FREQUENT_PARTS)
    assert analyser.analyse("kwaliteitscontrole") == f"{stem('kwaliteit')} {stem('controle')}"
    # "program" and "meren" are words, but rarer than "programmeren" itself.
    assert analyser.analyse("programmeren") == stem("programmeren")


def test_compounds_split_into_more_than_two_parts() -> None:
    analyser = DutchAnalyser(FREQUENT_PARTS)
    assert analyser.analyse("metaalbuigtechnieken").split() == [
        stem("metaal"), stem("buigen"), stem("technieken")]


def test_a_head_that_starts_several_compounds_is_learned() -> None:
    analyser = DutchAnalyser(FREQUENT_PARTS)
    assert analyser.analyse("graafwerk") == f"{stem('graaf')} {stem('werk')}"
    # Seen in one compound only: not yet a word.
    assert DutchAnalyser(["graafwerk", "werk"]).analyse("graafwerk") == stem("graafwerk")


def test_verb_particles_and_function_words_are_no_compound_parts() -> None:
    analyser = DutchAnalyser(FREQUENT_PARTS)
    assert analyser.analyse("onderhouden") == stem("onderhouden")
    assert analyser.analyse("meterkast") == stem("meterkast")
