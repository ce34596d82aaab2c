"""dependence.*: rising amount (decomposed), frequency, shrinking gaps, earlier first dose,
consecutive days and the kratom-use checklist — and no alarm on a stable pattern."""

from __future__ import annotations

import dataclasses

from mitra.domain.safety import Rules

from .helpers import RULES, ago, daily, ids, response, run, snap, use

NO_STREAK = Rules(
    {k: v for k, v in RULES.specs.items() if k != "dependence.consecutive_days"},
    RULES.classes,
    RULES.lexicon,
)


def trend(**kwargs: object) -> list[str]:
    return ids(run(snap(**kwargs), NO_STREAK))


def test_a_stable_2_g_a_day_pattern_raises_no_tolerance_alert() -> None:
    assert trend(uses=daily(range(0, 28), per_day=1, grams=2.0)) == []
    assert trend(uses=daily(range(0, 28), per_day=2, grams=1.0)) == []


def test_a_rising_amount_per_dose_is_reported_with_its_decomposition() -> None:
    uses = daily(range(14, 28), grams=2.0) + daily(range(0, 14), grams=3.0)
    alerts = run(snap(uses=uses), NO_STREAK)
    assert ids(alerts) == ["dependence.daily_amount"]
    because = alerts[0].because
    assert (
        "3.0 g/day = 1.0 doses/day x 3.0 g/dose (2026-11-12 to 2026-11-25, 14 days of use)"
        in because
    )
    assert "up from 2.0 g/day = 1.0 doses/day x 2.0 g/dose (2026-10-29 to 2026-11-11" in because


def test_amount_rise_boundaries_ratio_and_absolute() -> None:
    # 2.0 -> 2.4 g is 1.2x (< 1.25): nothing. 4.0 -> 4.9 is +0.9 g (< 1 g): nothing.
    assert trend(uses=daily(range(14, 28), grams=2.0) + daily(range(0, 14), grams=2.4)) == []
    assert trend(uses=daily(range(14, 28), grams=4.0) + daily(range(0, 14), grams=4.9)) == []
    assert trend(uses=daily(range(14, 28), grams=2.0) + daily(range(0, 14), grams=3.0)) == [
        "dependence.daily_amount"
    ]


def test_rising_frequency_shows_which_part_changes() -> None:
    uses = daily(range(14, 28), per_day=1, grams=2.0) + daily(range(0, 14), per_day=2, grams=2.0)
    found = trend(uses=uses)
    assert "dependence.frequency" in found and "dependence.daily_amount" in found


def test_frequency_boundary_needs_half_a_dose_more() -> None:
    # 2 -> 2.43 doses/day (x1.21): nothing.
    before = daily(range(14, 28), per_day=2, grams=1.0, gap=6)
    after = daily(range(0, 14), per_day=2, grams=1.0, gap=6) + daily(
        range(0, 6), per_day=1, grams=0.01, hour=20
    )
    assert "dependence.frequency" not in trend(uses=before + after)


def test_shrinking_gaps_and_earlier_first_dose() -> None:
    before = daily(range(14, 28), per_day=2, grams=1.0, hour=10, gap=6)
    after = daily(range(0, 14), per_day=2, grams=1.0, hour=8, gap=4)
    found = run(snap(uses=before + after), NO_STREAK)
    assert ids(found) == ["dependence.first_dose", "dependence.gaps"]
    assert "on average 08:00" in found[0].because and "from 10:00" in found[0].because
    assert "median 4.0 hours" in found[1].because and "from 6.0 hours" in found[1].because


def test_first_dose_59_minutes_earlier_is_not_enough() -> None:
    before = daily(range(14, 28), hour=9)
    after = tuple(
        dataclasses.replace(u, taken_at=u.taken_at.replace(hour=8, minute=1))
        for u in daily(range(0, 14), hour=9)
    )
    assert trend(uses=before + after) == []


def test_too_few_days_of_use_or_unknown_grams_skip_the_amount_rule() -> None:
    assert trend(uses=daily(range(14, 20), grams=1.0) + daily(range(0, 14), grams=5.0)) == []
    unknown = daily(range(14, 28)) + tuple(use(u.taken_at, None) for u in daily(range(0, 14)))
    assert trend(uses=unknown) == []


def test_thirty_consecutive_days_fire_twenty_nine_do_not() -> None:
    alerts = run(snap(uses=daily(range(0, 30))))
    assert ids(alerts) == ["dependence.consecutive_days"]
    assert "30 days in a row, since 2026-10-27" in alerts[0].because
    assert ids(run(snap(uses=daily(range(1, 31))))) == ["dependence.consecutive_days"]
    assert run(snap(uses=daily(range(0, 29)))) == []


def test_the_kratom_use_checklist_fires_from_two_criteria() -> None:
    two = run(snap(responses=(response("kud_dsm5", ago(3), 2, band="Mild range"),)))
    assert ids(two) == ["dependence.kud_dsm5"]
    assert "endorsed 2 of the 11" in two[0].because
    assert run(snap(responses=(response("kud_dsm5", ago(3), 1),))) == []
    assert run(snap(responses=(response("kud_dsm5", ago(100), 5),))) == []


def test_missing_rules_do_not_run() -> None:
    empty = Rules({}, RULES.classes, RULES.lexicon)
    uses = daily(range(14, 28), per_day=1, hour=10) + daily(
        range(0, 14), per_day=3, grams=3, hour=7, gap=3
    )
    assert run(snap(uses=uses, responses=(response("kud_dsm5", ago(3), 6),)), empty) == []
    only_amount = Rules({"dependence.daily_amount": RULES.specs["dependence.daily_amount"]}, {}, {})
    assert ids(run(snap(uses=uses), only_amount)) == ["dependence.daily_amount"]


def test_frequency_up_by_ratio_but_under_half_a_dose_is_not_enough() -> None:
    extra = daily(range(0, 4), grams=0.01, hour=20)
    assert "dependence.frequency" not in trend(
        uses=daily(range(14, 28)) + daily(range(0, 14)) + extra
    )
