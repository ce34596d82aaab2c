"""The lexicon reader: every ingredient of a combination product, typo allowance, whole-word
phrase matching for red flags."""

from __future__ import annotations

import pytest

from mitra.domain.safety import lookup
from mitra.domain.safety.lexicon import mentions, normalise, within_one_edit

from .helpers import RULES

LEX = RULES.lexicon


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("acetaminophen/hydrocodone", ("acetaminophen", "hydrocodone")),
        ("hydrocodone-acetaminophen 5/325", ("hydrocodone", "acetaminophen")),
        ("Oxycodone + APAP", ("oxycodone",)),
        ("promethazine with codeine", ("promethazine", "codeine")),
        ("Fioricet w/ codeine", ("fioricet", "codeine")),
        ("Tylenol & codiene", ("tylenol", "codeine")),
        ("Advil PM", ("advil pm",)),
        ("St. John's Wort", ("st johns wort",)),
    ],
)
def test_a_combination_matches_every_ingredient(typed: str, parts: tuple[str, ...]) -> None:
    match = lookup(typed, LEX)
    assert match is not None and match.parts == parts
    assert match.entry == " + ".join(parts)
    assert match.is_combination is (len(parts) > 1)


def test_an_ingredient_with_no_data_never_hides_another_ones_risk() -> None:
    match = lookup("ibuprofen and codeine", LEX)
    assert match is not None and "no_data" not in match.classes
    assert match.classes[0] == "opioids"
    alone = lookup("ibuprofen", LEX)
    assert alone is not None and alone.classes == ("no_data",)


def test_typos_are_allowed_once_per_long_word_but_not_for_short_or_joined_runs() -> None:
    codiene = lookup("Tylenol with codiene", LEX)
    assert codiene is not None and codiene.fuzzy and codiene.parts == ("tylenol", "codeine")
    assert lookup("Vitamin Q", LEX) is None
    assert lookup("with and mg", LEX) is None
    assert lookup("", LEX) is None
    run = lookup("grapefrut juice", LEX)
    assert run is not None and run.entry == "grapefruit juice" and run.fuzzy
    assert within_one_edit("codiene", "codeine") and not within_one_edit("cdoiene", "codeine")


def test_normalise_drops_apostrophes_and_punctuation() -> None:
    assert normalise("Neptune’s Fix") == "neptunes fix"
    assert normalise("can't breathe!") == "cant breathe"


@pytest.mark.parametrize(
    ("text", "terms", "found"),
    [
        ("had a fit", ("fit",), True),
        ("fits at night", ("fit",), True),
        ("no benefit", ("fit",), False),
        ("new outfit", ("fit",), False),
        ("fitness class", ("fit",), False),
        ("convulsing", ("convuls*",), True),
        ("I fainted", ("faint*",), True),
        ("Can’t breathe", ("cant breathe",), True),
        ("", ("fit",), False),
        ("fit", ("",), False),
    ],
)
def test_mentions_matches_whole_words_only(text: str, terms: tuple[str, ...], found: bool) -> None:
    assert mentions(text, terms) is found


@pytest.mark.parametrize(
    "typed", ["buprenorphine/naloxone", "Suboxone", "buprenorphine and naloxone"]
)
def test_naloxone_inside_buprenorphine_products_is_not_read_as_a_rescue_medicine(
    typed: str,
) -> None:
    match = lookup(typed, LEX)
    assert match is not None and match.classes == ("opioids",)


def test_a_cold_remedy_brand_lists_its_hidden_ingredients() -> None:
    match = lookup("NyQuil Cold & Flu", LEX)
    assert match is not None and {"sedatives", "serotonergic"} <= set(match.classes)
