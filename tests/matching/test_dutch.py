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
