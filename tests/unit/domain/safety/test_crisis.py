"""crisis.phq9_item9: known answers, the window boundary, and notes never parsed."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mitra.domain.evidence import CrisisLine, EmergencyNumber, LineKind
from mitra.domain.help_lines import PhoneNumber
from mitra.domain.instruments import ScoreFlag
from mitra.domain.journal import Effect
from mitra.domain.safety import Severity

from .helpers import ITEM9, RULES, ago, daily, effect, ids, med, response, run, snap

LINE = CrisisLine(
    "US",
    "988 Lifeline",
    LineKind.CRISIS,
    "crisis",
    "24/7",
    ("mcphs-988",),
    date(2026, 1, 1),
    phones=(PhoneNumber("988", "988"),),
    sms=(PhoneNumber("988", "988"),),
)
US911 = EmergencyNumber("US", (PhoneNumber("911", "911"),), "police", ("src",), date(2026, 1, 1))


def test_item9_above_zero_raises_a_crisis_alert_first_with_the_numbers() -> None:
    s = snap(
        responses=(response("phq9", ago(1), 12, (ITEM9,)),),
        medications=(med("oxycodone"),),
        crisis_lines=(LINE,),
        emergency=US911,
    )
    alerts = run(s)
    assert alerts[0].rule_id == "crisis.phq9_item9"
    assert alerts[0].severity is Severity.CRISIS
    assert "988 Lifeline: call 988, text 988 (24/7)" in alerts[0].what_to_do
    assert "Emergency number: 911" in alerts[0].what_to_do
    assert "2026-11-24 12:00" in alerts[0].because
    assert set(alerts[0].sources) <= set(RULES.specs["crisis.phq9_item9"].sources)


def test_without_an_emergency_number_the_alert_says_to_call_the_local_one() -> None:
    alerts = run(snap(responses=(response("phq9", ago(1), 3, (ITEM9,)),)))
    assert "call your local emergency number" in alerts[0].what_to_do


def test_item9_zero_or_outside_the_window_raises_nothing() -> None:
    assert run(snap(responses=(response("phq9", ago(1), 5),))) == []
    assert ids(run(snap(responses=(response("phq9", ago(14), 5, (ITEM9,)),)))) == [
        "crisis.phq9_item9"
    ]
    assert run(snap(responses=(response("phq9", ago(14, 1), 5, (ITEM9,)),))) == []


def test_a_worrying_note_is_never_parsed_and_never_raises_or_silences() -> None:
    note = "I want to die; thoughts of suicide"
    s = snap(effects=(effect(Effect.NAUSEA, ago(1), 2, note=note),))
    assert "crisis.phq9_item9" not in ids(run(s))
    reassuring = snap(
        responses=(response("phq9", ago(1), 9, (ITEM9,)),),
        effects=(effect(Effect.NAUSEA, ago(1), 2, note="I am completely fine, not at risk"),),
    )
    assert "crisis.phq9_item9" in ids(run(reassuring))


@given(
    days=st.integers(min_value=0, max_value=60),
    meds=st.lists(st.sampled_from(["oxycodone", "xanax", "ibuprofen", "qwzzy"]), max_size=3),
)
def test_property_a_crisis_positive_response_always_yields_a_crisis_alert_first(
    days: int, meds: list[str]
) -> None:
    s = snap(
        uses=daily(range(days)),
        medications=tuple(med(m) for m in meds),
        responses=(response("phq9", ago(0, 1), 1, (ITEM9,)),),
    )
    alerts = run(s)
    assert alerts[0].rule_id == "crisis.phq9_item9"
    assert alerts[0].severity is Severity.CRISIS


def test_other_crisis_flags_are_not_this_rule() -> None:
    other = ScoreFlag("crisis.other", "x", "raised", "y")
    assert run(snap(responses=(response("phq9", ago(1), 3, (other,)),))) == []
