"""7-OH law as thresholds and events: known answers, including amounts exactly at a threshold."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.domain.evidence import JurisdictionStatus, LegalStatus
from mitra.domain.legal import (
    EventType,
    Label,
    LegalEvent,
    Measure,
    Operator,
    Outcome,
    Scope,
    Substance,
    Threshold,
    compare,
    derived_seven_oh_status,
    history,
    label_of,
    overall,
    thresholds_event,
    verdicts,
)
from mitra.domain.products import Product, ProductForm, ServingUnit

SEVEN = Substance.SEVEN_OH
# The DEA notices of intent of 1 July 2026 (as reported; not final).
PLANT = Threshold(SEVEN, Measure.PERCENT_DRY_WEIGHT, Operator.ABOVE, 0.05, Scope.PLANT_MATERIAL)
EXTRACT_PCT = Threshold(
    SEVEN, Measure.PERCENT_TOTAL_WEIGHT, Operator.AT_OR_ABOVE, 0.05, Scope.EXTRACTS
)
EXTRACT_MG = Threshold(SEVEN, Measure.MG_PER_ITEM, Operator.ABOVE, 1.0, Scope.EXTRACTS)
DERIVATIVES = Threshold(Substance.DERIVATIVES, Measure.MG_PER_ITEM, Operator.ABOVE, 0, Scope.ALL)
DEA = (PLANT, EXTRACT_PCT, EXTRACT_MG, DERIVATIVES)
FLORIDA = Threshold(SEVEN, Measure.PERCENT_TOTAL_WEIGHT, Operator.ABOVE, 1, Scope.ALL)
OKLAHOMA = Threshold(SEVEN, Measure.PERCENT_ALKALOIDS, Operator.ABOVE, 2, Scope.ALL)
DAY = date(2026, 12, 7)


def event(day: date, kind: EventType, **kw: object) -> LegalEvent:
    return LegalEvent(day, kind, "x", ("s",), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("threshold", "amount", "exceeded"),
    [
        (EXTRACT_MG, 1.0, False),  # exactly 1.00 mg is not "more than 1.00 mg"
        (EXTRACT_MG, 1.000001, True),
        (EXTRACT_MG, 0.999999, False),
        (EXTRACT_PCT, 0.05, True),  # "0.050 % or more": the value itself is caught
        (EXTRACT_PCT, 0.049999, False),
        (PLANT, 0.05, False),  # plant material: only above 0.050 %
        (PLANT, 0.050001, True),
        (FLORIDA, 1.0, False),
        (FLORIDA, 1.01, True),
        (OKLAHOMA, 2.0, False),
        (OKLAHOMA, 2.1, True),
        (DERIVATIVES, 0.0, False),
        (DERIVATIVES, 0.001, True),
    ],
)
def test_a_threshold_is_exceeded_only_past_its_value_unless_it_says_at_or_above(
    threshold: Threshold, amount: float, exceeded: bool
) -> None:
    assert threshold.exceeded_by(amount) is exceeded


def test_floating_point_noise_does_not_push_a_value_at_the_threshold_over_it() -> None:
    assert EXTRACT_MG.exceeded_by(0.1 + 0.2 + 0.7) is False  # 1.0000000000000002


def test_threshold_text_names_substance_measure_value_and_scope() -> None:
    assert EXTRACT_MG.text == (
        "7-OH > 1 mg per item or serving (extracts, edibles and other processed products)"
    )
    assert PLANT.text == "7-OH > 0.05 % of dry weight (plant material)"
    assert DERIVATIVES.text == "7-OH derivatives in any amount (all products)"


def test_a_15_mg_tablet_is_above_the_federal_extract_limit_and_percent_is_not_guessed() -> None:
    found = compare(Label(Scope.EXTRACTS, mg_per_item=15), DEA)
    assert [(c.threshold, c.outcome) for c in found] == [
        (EXTRACT_PCT, Outcome.UNKNOWN),
        (EXTRACT_MG, Outcome.ABOVE),
    ]
    assert found[1].reason == "from the label, 15 mg per item or serving, which is > 1"
    assert found[0].reason == "the label does not give 7-OH as % of total weight"
    assert overall(found) is Outcome.ABOVE


def test_a_product_exactly_at_1_mg_is_within_the_mg_limit_but_unknown_overall() -> None:
    found = compare(Label(Scope.EXTRACTS, mg_per_item=1.0), DEA)
    assert [c.outcome for c in found] == [Outcome.UNKNOWN, Outcome.WITHIN]
    assert found[1].reason == "from the label, 1 mg per item or serving, which is not > 1"
    assert overall(found) is Outcome.UNKNOWN


def test_within_needs_every_applicable_threshold_checked() -> None:
    found = compare(Label(Scope.EXTRACTS, mg_per_item=0.5, percent_total_weight=0.01), DEA)
    assert [c.outcome for c in found] == [Outcome.WITHIN, Outcome.WITHIN]
    assert overall(found) is Outcome.WITHIN
    assert overall([]) is Outcome.UNKNOWN


def test_plant_material_meets_only_the_plant_threshold_and_other_meets_both() -> None:
    plant = compare(Label(Scope.PLANT_MATERIAL, percent_dry_weight=0.02), DEA)
    assert [(c.threshold, c.outcome) for c in plant] == [(PLANT, Outcome.WITHIN)]
    other = compare(Label(Scope.ALL, mg_per_item=2), DEA)
    assert [c.threshold for c in other] == [PLANT, EXTRACT_PCT, EXTRACT_MG]


def test_a_label_gives_percent_of_total_weight_when_the_unit_weight_is_known() -> None:
    tablet = Product(
        "Tabs",
        ProductForm.SEVEN_OH,
        seven_oh_mg_per_unit=10,
        serving_unit=ServingUnit.TABLET,
        custom_units=(("tablet", 1.0),),
    )
    assert label_of(tablet) == Label(Scope.EXTRACTS, mg_per_item=10, percent_total_weight=1.0)
    found = compare(label_of(tablet), (FLORIDA,))
    assert [c.outcome for c in found] == [Outcome.WITHIN]  # exactly 1 % is not above 1 %
    leaf = Product("Leaf", ProductForm.LEAF_POWDER)
    assert label_of(leaf) == Label(Scope.PLANT_MATERIAL)
    assert label_of(Product("Odd", ProductForm.OTHER)).scope is Scope.ALL


def test_the_latest_event_with_thresholds_is_in_force_until_an_expiry_ends_it() -> None:
    rule = event(date(2025, 12, 12), EventType.EMERGENCY_RULE, thresholds=(FLORIDA,))
    note = event(date(2026, 1, 5), EventType.GUIDANCE)
    expiry = event(date(2026, 6, 10), EventType.EXPIRY, seven_oh_status=LegalStatus.UNCLEAR)
    events = (expiry, note, rule)
    assert history(events, DAY) == [rule, note, expiry]
    assert thresholds_event(events, date(2026, 6, 9)) is rule
    assert thresholds_event(events, date(2026, 6, 10)) is None
    assert thresholds_event(events, date(2025, 12, 11)) is None


def test_a_rule_with_unseen_terms_replaces_earlier_thresholds() -> None:
    first = event(date(2025, 8, 13), EventType.EMERGENCY_RULE, thresholds=(FLORIDA,))
    replaced = event(date(2025, 12, 8), EventType.EMERGENCY_RULE, thresholds=())
    assert thresholds_event((first, replaced), DAY) is replaced


def test_status_derives_from_the_latest_event_that_states_one() -> None:
    banned = event(date(2025, 12, 12), EventType.EMERGENCY_RULE, seven_oh_status=LegalStatus.BANNED)
    expiry = event(date(2026, 6, 10), EventType.EXPIRY, seven_oh_status=LegalStatus.UNCLEAR)
    assert derived_seven_oh_status((banned, expiry), date(2026, 6, 9)) is LegalStatus.BANNED
    assert derived_seven_oh_status((banned, expiry), DAY) is LegalStatus.UNCLEAR
    assert derived_seven_oh_status((), DAY) is None


def test_a_notice_of_intent_is_not_final_and_says_so() -> None:
    notice = event(date(2026, 7, 1), EventType.NOTICE_OF_INTENT, thresholds=DEA)
    assert notice.final is False
    assert notice.type_name == "notice of intent (not final)"
    assert event(date(2026, 8, 1), EventType.TEMPORARY_ORDER).final is True


def place(
    code: str, name: str, *events: LegalEvent, status: LegalStatus | None = None
) -> JurisdictionStatus:
    return JurisdictionStatus(
        code, name, LegalStatus.LEGAL, "x", ("s",), DAY, seven_oh_status=status, events=events
    )


US = place(
    "US",
    "United States (federal)",
    event(date(2026, 7, 1), EventType.NOTICE_OF_INTENT, thresholds=DEA),
    status=LegalStatus.RESTRICTED,
)
FL = place(
    "US-FL",
    "Florida",
    event(date(2025, 8, 13), EventType.EMERGENCY_RULE, thresholds=(FLORIDA,)),
    status=LegalStatus.BANNED,
)
TABS = Product(
    "Tabs", ProductForm.SEVEN_OH, seven_oh_mg_per_unit=15, serving_unit=ServingUnit.TABLET
)


def test_a_product_is_judged_by_its_state_and_by_federal_law() -> None:
    found = verdicts(TABS, (FL, US), "US-FL", DAY)
    assert [(v.code, v.outcome, v.because) for v in found] == [
        ("US-FL", Outcome.UNKNOWN, "Florida is where you live."),
        ("US", Outcome.ABOVE, "Federal law applies in Florida as well."),
    ]
    assert found[1].event is not None and found[1].event.final is False
    assert found[1].sources == ("s",)


def test_a_state_without_a_7oh_entry_gets_the_federal_verdict_and_is_told_why() -> None:
    michigan = place("US-MI", "Michigan")
    found = verdicts(TABS, (michigan, US), "US-MI", DAY)
    assert [(v.code, v.outcome, v.status) for v in found] == [
        ("US", Outcome.ABOVE, LegalStatus.RESTRICTED)
    ]
    assert found[0].because == (
        "Mitra has no 7-OH entry for Michigan, so the federal status applies there."
    )
    missing = verdicts(TABS, (US,), "US-XX", DAY)
    assert (
        missing[0].because == "Mitra has no entry for US-XX, so the federal status applies there."
    )


def test_a_country_with_a_status_but_no_thresholds_gives_an_unknown_verdict() -> None:
    gb = place("GB", "United Kingdom", status=LegalStatus.BANNED)
    found = verdicts(TABS, (gb,), "GB", DAY)
    assert [(v.outcome, v.status, v.event, v.sources) for v in found] == [
        (Outcome.UNKNOWN, LegalStatus.BANNED, None, ())
    ]
