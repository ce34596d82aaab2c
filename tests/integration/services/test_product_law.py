"""A 7-OH product against the shipped 7-OH law where the user lives, on a real journal."""

from __future__ import annotations

from mitra.domain.evidence import LegalStatus
from mitra.domain.legal import Outcome
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.services import journal
from mitra.services import questionnaires as q
from mitra.services.context import Mitra
from mitra.services.product_law import NO_PLACE, places_for, product_law

TABS = Product(
    "Seven Tabs",
    ProductForm.SEVEN_OH,
    seven_oh_mg_per_unit=15,
    serving_unit=ServingUnit.TABLET,
)
LEAF = Product("Red Bali", ProductForm.LEAF_POWDER)


def summary(mitra: Mitra, product: Product) -> list[tuple[str, Outcome, str]]:
    law = product_law(mitra, journal.add_product(mitra, product))
    return [(v.verdict.code, v.verdict.outcome, v.verdict.because) for v in law.verdicts]


def test_a_15_mg_tablet_in_michigan_gets_the_federal_verdict_and_is_told_why(mitra: Mitra) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-MI")
    assert summary(mitra, TABS) == [
        (
            "US",
            Outcome.ABOVE,
            "Mitra has no 7-OH entry for Michigan, so the federal status applies there.",
        )
    ]


def test_the_federal_verdict_rests_on_the_notice_of_intent_and_says_it_is_not_final(
    mitra: Mitra,
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-FL")
    law = product_law(mitra, journal.add_product(mitra, TABS))
    florida, federal = (v.verdict for v in law.verdicts)
    assert (florida.code, florida.status, florida.outcome) == (
        "US-FL",
        LegalStatus.BANNED,
        Outcome.UNKNOWN,  # Florida's limit is % of total weight; the label gives mg per tablet
    )
    assert federal.event is not None
    assert (federal.event.day.isoformat(), federal.event.final) == ("2026-07-01", False)
    assert [(c.threshold.value, c.outcome) for c in federal.comparisons] == [
        (0.05, Outcome.UNKNOWN),
        (1.0, Outcome.ABOVE),
    ]
    assert [s.id for s in law.verdicts[1].sources] == [
        "oh7-nutritionaloutlook-dea-2026",
        "oh7-filtermag-dea-2026",
    ]


def test_a_leaf_product_gets_no_7oh_verdict(mitra: Mitra) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-FL")
    law = product_law(mitra, journal.add_product(mitra, LEAF))
    assert (law.seven_oh, law.verdicts, law.note) == (False, (), "")


def test_before_onboarding_a_7oh_product_asks_for_the_place(mitra: Mitra) -> None:
    law = product_law(mitra, journal.add_product(mitra, TABS))
    assert (law.seven_oh, law.place, law.verdicts, law.note) == (True, None, (), NO_PLACE)


def test_britain_is_banned_with_no_numeric_limit_and_a_country_without_7oh_law_says_so(
    mitra: Mitra,
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="GB")
    law = product_law(mitra, journal.add_product(mitra, TABS))
    assert [(v.verdict.status, v.verdict.outcome, v.verdict.event) for v in law.verdicts] == [
        (LegalStatus.BANNED, Outcome.UNKNOWN, None)
    ]
    q.onboard(mitra, conditions=["anxiety"], country="NL")
    law = product_law(mitra, journal.find_product(mitra, "Seven Tabs"))
    assert law.note == "Mitra has no 7-OH entry for NL, so this product cannot be compared."


def test_places_are_the_own_entry_then_the_country() -> None:
    assert [p.code for p in places_for("US-FL")] == ["US-FL", "US"]
    assert [p.code for p in places_for("US-GU")] == ["US"]
    assert [p.code for p in places_for("GB")] == ["GB"]


def test_search_finds_a_legal_entry_by_the_words_of_its_events() -> None:
    from mitra.services.knowledge import search

    assert "US-OH" in [hit.id for hit in search("180-day emergency rule expires")][:3]
