"""The taper planner's pure rules (issue 19): known-answer tables for each pace, rounding, the
frequency axis, the baseline, holds on seeded score series, escalation, and the plan's states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mitra.domain.analytics.daily import DayUse
from mitra.domain.taper import (
    Actor,
    Axis,
    Baseline,
    CustomLimits,
    Design,
    EscalationRules,
    Event,
    EventKind,
    HoldRules,
    Measure,
    Pace,
    PaceKind,
    Rating,
    Score,
    Signals,
    State,
    Step,
    StepKind,
    baseline,
    check_event,
    custom_pace,
    escalations,
    hold_reasons,
    last_tolerated,
    measures_reason,
    position,
    schedule,
    steps,
    to_ical,
    with_index,
)
from mitra.errors import ConflictError, InvalidInputError

CDC = Pace("cdc-monthly", "10 %", PaceKind.PROPORTIONAL, 30, 10, percent=10)
ASAM = Pace("asam-slow", "5 %", PaceKind.PROPORTIONAL, 14, 25, percent=5)
GRAMS = Pace("community-grams", "0.25 g", PaceKind.FIXED_GRAMS, 7, 25, grams=0.25)
LIMITS = CustomLimits(max_percent=25, per_days=14, min_every_days=5, sources=("x",))
HOLDS = HoldRules(6, 14, 5, 4, 2, 7)
ESCALATION = EscalationRules(32, 35, 2)
TZ = "UTC"
T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def table(design: Design) -> list[tuple[float, int, str]]:
    return [(s.grams, s.doses, s.kind.value) for s in steps(design)]


# --- paces: known answers --------------------------------------------------------------------


def test_cdc_pace_cuts_ten_percent_of_the_current_amount_rounded_to_the_scale() -> None:
    got = table(Design(10, 4, CDC, Measure(0.1)))
    assert got[:8] == [
        (10.0, 4, "start"),
        (9.0, 4, "amount"),  # 10 x 0.9
        (8.1, 4, "amount"),  # 9 x 0.9
        (7.3, 3, "amount"),  # 7.29 -> 7.3; doses ceil(4 x 7.3 / 10) = 3
        (6.6, 3, "amount"),  # 6.57 -> 6.6
        (6.0, 3, "amount"),  # 5.94 would cut 0.66 > 10 % of 6.6; the ceiling keeps 6.0
        (5.4, 3, "amount"),
        (4.9, 2, "amount"),  # 4.86 -> 4.9
    ]
    assert got[-3:] == [(0.2, 1, "same"), (0.1, 1, "amount"), (0.0, 0, "stop")]
    assert len(got) == 51


def test_proportional_steps_shrink_in_grams() -> None:
    amounts = [s.grams for s in steps(Design(20, 3, CDC, Measure(0.01)))]
    cuts = [a - b for a, b in zip(amounts, amounts[1:], strict=False)][:-1]
    assert cuts[0] == pytest.approx(2.0)
    assert all(later <= earlier + 0.011 for earlier, later in zip(cuts, cuts[1:], strict=False))


def test_asam_pace_is_five_percent_every_fourteen_days() -> None:
    got = table(Design(8, 2, ASAM, Measure(0.1)))
    assert got[:5] == [
        (8.0, 2, "start"),
        (7.6, 2, "amount"),
        (7.2, 2, "amount"),  # 7.22 -> 7.2
        (6.8, 2, "amount"),  # 6.84 -> 6.8
        (6.5, 2, "amount"),  # 6.46 -> 6.5
    ]


def test_fixed_grams_pace_rounds_to_the_scale_and_slows_where_a_step_would_pass_25_percent() -> (
    None
):
    got = table(Design(3, 3, GRAMS, Measure(0.1)))
    assert got[:3] == [(3.0, 3, "start"), (2.8, 3, "amount"), (2.6, 3, "amount")]  # 2.75 -> 2.8
    # below 1 g, 0.25 g would be more than 25 % of the amount: the step is capped at 25 %
    assert got[-8:] == [
        (0.5, 1, "amount"),
        (0.4, 1, "amount"),
        (0.3, 1, "amount"),
        (0.3, 1, "same"),  # 25 % of 0.3 = 0.075 -> 0.225 rounds up to 0.3
        (0.2, 1, "amount"),
        (0.2, 1, "same"),
        (0.1, 1, "amount"),
        (0.0, 0, "stop"),
    ]


def test_capsules_hold_the_same_count_until_one_capsule_is_within_the_ceiling() -> None:
    got = table(Design(2.2, 3, CDC, Measure(0.5, capsules=True)))
    assert got == [
        (2.0, 3, "start"),  # rounded down: never above the person's baseline
        (2.0, 3, "same"),
        (2.0, 3, "same"),
        (1.5, 3, "amount"),  # 3 intervals x 10 % of 2.0 = 0.6 >= one capsule
        (1.5, 3, "same"),
        (1.5, 3, "same"),
        (1.5, 3, "same"),
        (1.0, 2, "amount"),
        (1.0, 2, "same"),
        (1.0, 2, "same"),
        (1.0, 2, "same"),
        (1.0, 2, "same"),
        (0.5, 1, "amount"),
        (0.0, 0, "stop"),
    ]
    assert Measure(0.5, capsules=True).describe(1.5) == "3 capsules (1.5 g)"
    assert Measure(0.5, capsules=True).describe(0.5) == "1 capsule (0.5 g)"
    assert Measure(0.1).describe(2.5) == "2.5 g"


def test_frequency_first_drops_one_dose_a_day_per_step_before_any_grams() -> None:
    got = table(Design(4, 4, CDC, Measure(0.1), axis=Axis.FREQUENCY_FIRST, min_doses=2))
    assert got[:5] == [
        (4.0, 4, "start"),
        (4.0, 3, "doses"),
        (4.0, 2, "doses"),
        (3.6, 2, "amount"),
        (3.3, 2, "amount"),  # 3.24 would cut 0.36 = the ceiling: rounded up to 3.3, never down
    ]


def test_amount_first_brings_doses_down_with_the_grams() -> None:
    got = table(Design(6, 3, CDC, Measure(0.1)))
    doses = [d for _, d, _ in got]
    assert doses[0] == 3 and doses[-1] == 0
    assert doses == sorted(doses, reverse=True)


def test_a_stop_from_amount_ends_the_plan_there() -> None:
    got = table(Design(1.0, 2, CDC, Measure(0.1), stop_from=0.8))
    assert got == [
        (1.0, 2, "start"),
        (0.9, 2, "amount"),
        (0.9, 2, "same"),  # 0.81 -> 0.8 would cut more than 10 % of 0.9
        (0.8, 2, "amount"),
        (0.0, 0, "stop"),
    ]


def test_a_baseline_below_one_unit_gives_only_the_start() -> None:
    assert table(Design(0.3, 1, CDC, Measure(0.5))) == [(0.0, 0, "start")]


def test_a_measure_outside_its_range_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="unit"):
        Measure(0)
    with pytest.raises(InvalidInputError, match="too many steps"):
        steps(
            Design(
                5, 1, Pace("p", "p", PaceKind.PROPORTIONAL, 7, 0.01, percent=0.01), Measure(0.001)
            )
        )


def test_fixed_pace_ideal_and_ceiling() -> None:
    assert GRAMS.ceiling(4) == 0.25
    assert GRAMS.ceiling(0.4) == pytest.approx(0.1)
    assert GRAMS.ideal(4, 2) == pytest.approx(3.5)
    assert CDC.ceiling(4) == pytest.approx(0.4)


# --- custom paces ----------------------------------------------------------------------------


def test_a_custom_percent_pace_within_the_limit_is_built() -> None:
    pace = custom_pace(LIMITS, every_days=14, percent=20)
    assert (pace.id, pace.kind, pace.percent, pace.ceiling_percent) == (
        "custom",
        PaceKind.PROPORTIONAL,
        20,
        20,
    )
    assert pace.name == "20 % of the current amount every 14 days (custom)"


def test_a_custom_pace_faster_than_the_fastest_published_limit_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"at most 12.5 % every 7 days"):
        custom_pace(LIMITS, every_days=7, percent=13)
    with pytest.raises(InvalidInputError, match="must be 5 to 365 days"):
        custom_pace(LIMITS, every_days=3, percent=1)
    with pytest.raises(InvalidInputError, match="either a percent or grams"):
        custom_pace(LIMITS, every_days=7)
    with pytest.raises(InvalidInputError, match="at most 25.0 %"):
        custom_pace(LIMITS, every_days=60, percent=30)


def test_a_custom_grams_pace_is_limited_by_the_baseline() -> None:
    pace = custom_pace(LIMITS, every_days=14, grams=1.0, baseline_grams=8)
    assert (pace.kind, pace.grams, pace.ceiling_percent) == (PaceKind.FIXED_GRAMS, 1.0, 25)
    with pytest.raises(InvalidInputError, match=r"at most 2.00 g every 14 days"):
        custom_pace(LIMITS, every_days=14, grams=2.5, baseline_grams=8)


# --- baseline --------------------------------------------------------------------------------


def day(n: int, grams: float | None, doses: int, **kw: object) -> DayUse:
    return DayUse(date(2026, 11, 1) + timedelta(days=n), doses, grams, None, 8.0, **kw)  # type: ignore[arg-type]


def test_baseline_is_the_median_of_the_last_fourteen_days_with_its_spread() -> None:
    days = [day(n, 99.0, 9) for n in range(6)] + [
        day(6 + n, g, d)
        for n, (g, d) in enumerate(
            [
                (4, 2),
                (5, 3),
                (6, 3),
                (5, 3),
                (4, 2),
                (0, 0),
                (5, 3),
                (7, 4),
                (5, 3),
                (6, 3),
                (5, 3),
                (4, 2),
                (5, 3),
                (6, 3),
            ]
        )  # fmt: skip
    ]
    base = baseline(days)
    assert base.first == date(2026, 11, 7) and base.last == date(2026, 11, 20)
    assert base.grams == 5.0
    assert base.doses == 3.0
    assert base.grams_spread is not None
    assert (base.grams_spread.low, base.grams_spread.high) == (0, 7)
    assert (base.grams_spread.q1, base.grams_spread.q3) == (4.25, 5.75)
    assert base.mg_mitragynine is None
    assert not base.has_seven_oh and base.notes == ()


def test_baseline_needs_seven_logged_days() -> None:
    unknown = [DayUse(date(2026, 11, 1) + timedelta(days=n), 0, None, None, None) for n in range(8)]
    with pytest.raises(InvalidInputError, match="at least 7 logged days"):
        baseline(unknown + [day(8 + n, 4, 2) for n in range(6)])
    with pytest.raises(InvalidInputError, match="no days"):
        baseline([])


def test_baseline_flags_seven_oh_extracts_and_unknown_grams() -> None:
    days = [day(n, None, 2, leaf_doses=1, doses_7oh=1) for n in range(4)]
    days += [day(4 + n, 3.0, 3, leaf_doses=2, mg_7oh=0.0) for n in range(5)]
    days += [DayUse(date(2026, 11, 10) + timedelta(days=n), 1, 2.0, 30.0, 8.0) for n in range(5)]
    base = baseline(days)
    assert base.grams == 2.5  # 10 days with known grams: 3.0 x5 and 2.0 x5
    assert base.seven_oh_days == 4 and base.has_seven_oh
    assert base.other_days == 5
    assert base.mg_mitragynine is None
    assert any("7-OH" in n for n in base.notes)
    assert any("extracts or shots" in n for n in base.notes)
    few = baseline([day(n, None, 2) for n in range(10)] + [day(10, 2.0, 1)])
    assert few.grams is None and "so no amount baseline" in few.notes[0]
    none_known = baseline([day(n, None, 2) for n in range(8)])
    assert none_known.grams is None and none_known.grams_spread is None
    labelled = baseline(
        [DayUse(date(2026, 11, 1) + timedelta(days=n), 1, 2.0, 20.0 + n, 8.0) for n in range(9)]
    )
    assert labelled.mg_mitragynine == 24.0
    single = baseline([day(0, 3.0, 1)] + [day(n, None, 1) for n in range(1, 8)])
    assert single.grams_spread is not None and single.grams_spread.q1 == 3.0


# --- states and position ---------------------------------------------------------------------


def ev(kind: EventKind, days: int, **kw: object) -> Event:
    return Event(kind, T0 + timedelta(days=days), Actor.PERSON, **kw)  # type: ignore[arg-type]


PLAN = steps(Design(10, 4, CDC, Measure(0.1)))


def test_a_draft_stays_on_its_first_step() -> None:
    where = position(PLAN, CDC, [], date(2026, 12, 31), TZ)
    assert (where.state, where.index, where.since, where.next_change()) == (
        State.DRAFT,
        0,
        None,
        None,
    )


def test_an_active_plan_moves_one_step_per_interval() -> None:
    where = position(PLAN, CDC, [ev(EventKind.START, 0)], date(2026, 12, 31), TZ)
    assert where.state is State.ACTIVE
    assert where.index == 2  # 60 days
    assert where.since == date(2026, 12, 31)
    assert where.next_change() == date(2027, 1, 30)


def test_a_hold_stops_the_clock_and_resume_restarts_the_step() -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.HOLD, 40, why="SOWS"), ev(EventKind.RESUME, 100)]
    held = position(PLAN, CDC, events[:2], date(2027, 3, 1), TZ)
    assert (held.state, held.index, held.next_change()) == (State.PAUSED, 1, None)
    resumed = position(PLAN, CDC, events, date(2027, 2, 10), TZ)
    assert (resumed.index, resumed.since) == (1, date(2027, 2, 9))
    assert resumed.holds_without_progress == 1
    later = position(PLAN, CDC, events, date(2027, 3, 12), TZ)
    assert (later.index, later.holds_without_progress) == (2, 0)


def test_slower_lengthens_the_interval_and_step_back_is_recorded() -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.SLOWER, 10, every_days=45)]
    where = position(PLAN, CDC, events, date(2026, 12, 31), TZ)
    assert (where.every_days, where.index) == (45, 1)
    back = position(PLAN, CDC, [*events, ev(EventKind.STEP_BACK, 60)], date(2027, 1, 1), TZ)
    assert (back.index, back.since) == (0, date(2026, 12, 31))


def test_a_past_day_ignores_later_events() -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.HOLD, 40, why="x")]
    assert position(PLAN, CDC, events, date(2026, 11, 20), TZ).state is State.ACTIVE


def test_two_holds_without_a_step_down_count_as_stalled() -> None:
    events = [
        ev(EventKind.START, 0),
        ev(EventKind.HOLD, 5, why="a"),
        ev(EventKind.RESUME, 6),
        ev(EventKind.HOLD, 20, why="b"),
    ]
    assert position(PLAN, CDC, events, date(2026, 12, 1), TZ).holds_without_progress == 2


def test_reaching_zero_starts_the_after_zero_period() -> None:
    short = steps(Design(0.3, 1, CDC, Measure(0.1)))
    where = position(short, CDC, [ev(EventKind.START, 0)], date(2027, 12, 1), TZ)
    assert short[where.index].grams == 0
    assert where.zero_since is not None and where.next_change() is None


def test_end_states_and_agreement() -> None:
    agree = ev(EventKind.AGREE, 1, clinician="Dr Rao", agreed_on=date(2026, 11, 2))
    done = position(
        PLAN, CDC, [ev(EventKind.START, 0), agree, ev(EventKind.COMPLETE, 3)], date(2027, 1, 1), TZ
    )
    assert done.state is State.COMPLETED and done.agreed == agree
    stopped = position(PLAN, CDC, [ev(EventKind.STOP, 0, why="not now")], date(2027, 1, 1), TZ)
    assert stopped.state is State.STOPPED
    with pytest.raises(ConflictError, match="a stopped plan cannot take 'start'"):
        position(
            PLAN,
            CDC,
            [ev(EventKind.STOP, 0, why="x"), ev(EventKind.START, 1)],
            date(2027, 1, 1),
            TZ,
        )


def test_check_event_refuses_what_a_state_does_not_allow() -> None:
    draft = position(PLAN, CDC, [], date(2026, 11, 1), TZ)
    with pytest.raises(ConflictError, match="a draft plan cannot take 'hold'"):
        check_event(draft, ev(EventKind.HOLD, 0, why="x"))
    active = position(PLAN, CDC, [ev(EventKind.START, 0)], date(2026, 11, 2), TZ)
    with pytest.raises(InvalidInputError, match="slower means more than the current 30 days"):
        check_event(active, ev(EventKind.SLOWER, 1, every_days=20))
    with pytest.raises(InvalidInputError, match="at most 365"):
        check_event(active, ev(EventKind.SLOWER, 1, every_days=10**9))
    with pytest.raises(InvalidInputError, match="why: at most 500 characters"):
        check_event(active, ev(EventKind.HOLD, 1, why="x" * 501))
    with pytest.raises(InvalidInputError, match="clinician: at most 200 characters"):
        check_event(active, ev(EventKind.AGREE, 1, clinician="x" * 201, agreed_on=date(2026, 1, 1)))
    with pytest.raises(InvalidInputError, match="first step"):
        check_event(active, ev(EventKind.STEP_BACK, 1))
    with pytest.raises(InvalidInputError, match="clinician's name"):
        check_event(active, ev(EventKind.AGREE, 1, clinician=" "))
    with pytest.raises(InvalidInputError, match="say why"):
        check_event(active, ev(EventKind.HOLD, 1))
    check_event(active, ev(EventKind.HOLD, 1, why="hard week"))
    assert with_index(ev(EventKind.HOLD, 1), active).index == 0


def test_schedule_dates_each_step_from_the_current_one() -> None:
    where = position(PLAN, CDC, [ev(EventKind.START, 0)], date(2026, 12, 5), TZ)
    dated = schedule(PLAN, where, date(2026, 11, 1))
    assert dated[0].starts is None
    assert dated[1].starts == date(2026, 12, 1)
    assert dated[3].starts == date(2027, 1, 30)
    draft = schedule(PLAN, position(PLAN, CDC, [], date(2026, 11, 1), TZ), date(2026, 11, 5))
    assert draft[0].starts == date(2026, 11, 5) and draft[2].starts == date(2027, 1, 4)


# --- holds: seeded score series --------------------------------------------------------------


def sows(*pairs: tuple[int, float]) -> tuple[Score, ...]:
    return tuple(Score(T0 + timedelta(days=d), total) for d, total in pairs)


def test_a_sows_rise_of_six_over_the_rolling_median_holds() -> None:
    signals = Signals(sows=sows((-3, 8), (2, 10), (5, 9), (9, 15)))
    (reason,) = hold_reasons(signals, HOLDS, T0)
    assert reason.rule == "hold.sows"
    assert (
        "15, 6 points above the median of your SOWS in the 14 days before it (9)" in reason.because
    )


def test_a_sows_rise_of_five_does_not_hold() -> None:
    assert hold_reasons(Signals(sows=sows((-3, 8), (2, 10), (5, 9), (9, 14))), HOLDS, T0) == []


def test_old_sows_outside_the_window_or_before_the_start_do_not_hold() -> None:
    assert hold_reasons(Signals(sows=sows((-30, 2), (9, 20))), HOLDS, T0) == []
    assert hold_reasons(Signals(sows=sows((-5, 2), (-1, 20))), HOLDS, T0) == []


def test_phq9_and_gad7_worsening_by_their_change_hold() -> None:
    signals = Signals(
        phq9=(Score(T0 - timedelta(days=3), 6), Score(T0 + timedelta(days=10), 11)),
        gad7=(Score(T0 - timedelta(days=3), 5), Score(T0 + timedelta(days=10), 8)),
    )
    reasons = hold_reasons(signals, HOLDS, T0)
    assert [r.rule for r in reasons] == ["hold.phq9"]
    assert reasons[0].because == "Your PHQ-9 rose from 6 to 11 (the plan holds at a rise of 5)."
    no_reference = Signals(phq9=(Score(T0 + timedelta(days=10), 20),))
    assert hold_reasons(no_reference, HOLDS, T0) == []


def test_sleep_worsening_by_two_points_holds() -> None:
    before = tuple(Rating(T0 - timedelta(days=d), 7) for d in range(1, 8))
    after = tuple(Rating(T0 + timedelta(days=d), 4.5) for d in range(3, 7))
    (reason,) = hold_reasons(Signals(sleep=before + after), HOLDS, T0)
    assert reason.rule == "hold.sleep" and "averaged 4.5" in reason.because
    slight = tuple(Rating(T0 + timedelta(days=d), 6) for d in range(3, 7))
    assert hold_reasons(Signals(sleep=before + slight), HOLDS, T0) == []
    too_few = after[:2]
    assert hold_reasons(Signals(sleep=before + too_few), HOLDS, T0) == []


# --- escalation ------------------------------------------------------------------------------


def base(grams: float | None = 5.0, seven_oh: int = 0) -> Baseline:
    return Baseline(
        date(2026, 10, 1), date(2026, 10, 14), 14, grams, None, 3, None, None, seven_oh, 0
    )


def test_nothing_escalates_on_an_ordinary_plan() -> None:
    assert (
        escalations(
            Signals(), ESCALATION, base(), pregnant=False, holds_without_progress=1, since=T0
        )
        == []
    )


def test_every_escalation_trigger() -> None:
    signals = Signals(
        sows=sows((3, 33)),
        phq9=(Score(T0 + timedelta(days=2), 9, crisis=True),),
    )
    reasons = escalations(
        signals, ESCALATION, base(40, seven_oh=2), pregnant=True, holds_without_progress=2, since=T0
    )
    assert [r.rule for r in reasons] == [
        "escalate.phq9_item9",
        "escalate.sows_severe",
        "escalate.seven_oh",
        "escalate.very_high",
        "escalate.pregnancy",
        "escalate.stalled",
    ]
    assert reasons[1].because == "Your SOWS was 33 (the plan treats 32 or more of 64 as severe)."


def test_steps_are_plain_values() -> None:
    assert Step(3, 0.0, 0, StepKind.STOP).final
    assert not Step(1, 2.0, 1, StepKind.AMOUNT).final


def test_the_calendar_has_one_event_per_step_to_come_and_a_discreet_form() -> None:
    short = steps(Design(0.3, 1, CDC, Measure(0.1)))
    where = position(short, CDC, [ev(EventKind.START, 0)], date(2026, 12, 5), TZ)
    dated = schedule(short, where, date(2026, 11, 1))
    text = to_ical(7, dated, Measure(0.1), T0, discreet=False)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "UID:taper-7-step-1@mitra.local" in text
    assert "SUMMARY:Mitra taper: 0.2 g in 1 dose(s) a day" in text
    assert "DTSTART;VALUE=DATE:20261201" in text
    assert "SUMMARY:Mitra taper: last step (none)" in text
    assert "step-0@" not in text  # the step already passed has no date
    quiet = to_ical(7, dated, Measure(0.1), T0, discreet=True)
    assert "kratom" not in quiet.lower() and " g " not in quiet
    assert quiet.count("SUMMARY:Mitra: plan step") == len([d for d in dated if d.starts])


# --- relapse and the measures during and after a plan (issue 19 follow-up) -------------------

SHORT = steps(Design(0.3, 1, CDC, Measure(0.1)))  # 0.3 x4, 0.2 x5, 0.1, none: 11 steps


def test_the_short_plan_is_the_one_the_relapse_tests_assume() -> None:
    assert [s.grams for s in SHORT] == [0.3] * 4 + [0.2] * 5 + [0.1, 0.0]


def test_last_tolerated_is_the_latest_step_without_a_hold_and_never_none() -> None:
    assert last_tolerated(10, 10, set()) == 9  # after none: the step before it
    assert last_tolerated(5, 10, {5, 4}) == 3
    assert last_tolerated(5, 10, set()) == 5  # during a plan: the step it is on
    assert last_tolerated(2, 10, {0, 1, 2}) == 0  # every step held: the first


def test_a_relapse_after_completion_pauses_at_the_last_step_before_none() -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.COMPLETE, 310), ev(EventKind.RELAPSE, 320)]
    done = position(SHORT, CDC, events[:2], date(2027, 9, 15), TZ)
    assert (done.state, SHORT[done.index].grams) == (State.COMPLETED, 0.0)
    where = position(SHORT, CDC, events, date(2027, 9, 20), TZ)
    assert (where.state, where.index, SHORT[where.index].grams) == (State.PAUSED, 9, 0.1)
    assert where.since == date(2027, 9, 17)  # T0 + 320 days
    assert where.next_change() is None and where.zero_since is None


def test_a_relapse_skips_the_steps_that_triggered_a_hold() -> None:
    events = [
        ev(EventKind.START, 0),
        ev(EventKind.HOLD, 275, why="SOWS rose"),  # on step 9 (0.1 g)
        ev(EventKind.RESUME, 280),
        ev(EventKind.COMPLETE, 312),  # none from day 310
        ev(EventKind.RELAPSE, 320, why="a hard week"),
    ]
    where = position(SHORT, CDC, events, date(2027, 9, 20), TZ)
    assert where.held == frozenset({9})
    assert (where.state, where.index, SHORT[where.index].grams) == (State.PAUSED, 8, 0.2)


def test_a_relapse_during_a_plan_pauses_it_and_resuming_never_goes_higher() -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.RELAPSE, 65)]  # on step 2 (8.1 g)
    where = position(PLAN, CDC, events, date(2027, 1, 10), TZ)
    assert (where.state, where.index, PLAN[where.index].grams) == (State.PAUSED, 2, 8.1)
    resumed = position(PLAN, CDC, [*events, ev(EventKind.RESUME, 70)], date(2027, 1, 10), TZ)
    assert (resumed.state, resumed.index, resumed.since) == (State.ACTIVE, 2, date(2027, 1, 10))
    held = [ev(EventKind.START, 0), ev(EventKind.HOLD, 61, why="x"), ev(EventKind.RELAPSE, 65)]
    again = position(PLAN, CDC, held, date(2027, 1, 10), TZ)
    assert (again.index, PLAN[again.index].grams) == (1, 9.0)


def test_a_relapse_is_refused_on_a_draft_or_a_stopped_plan() -> None:
    draft = position(PLAN, CDC, [], date(2026, 11, 2), TZ)
    with pytest.raises(ConflictError, match="a draft plan cannot take 'relapse'"):
        check_event(draft, ev(EventKind.RELAPSE, 1))
    stopped = position(PLAN, CDC, [ev(EventKind.STOP, 0, why="x")], date(2026, 11, 2), TZ)
    with pytest.raises(ConflictError, match="a stopped plan cannot take 'relapse'"):
        check_event(stopped, ev(EventKind.RELAPSE, 1))


@pytest.mark.parametrize(("days_after", "asked"), [(0, True), (29, True), (30, False), (31, False)])
def test_the_measures_continue_for_thirty_days_after_completion(
    days_after: int, asked: bool
) -> None:
    events = [ev(EventKind.START, 0), ev(EventKind.COMPLETE, 310)]
    today = date(2027, 9, 7) + timedelta(days=days_after)  # T0 + 310 days = 2027-09-07
    where = position(SHORT, CDC, events, today, TZ)
    reason = measures_reason(where, events, today, TZ, 30)
    if asked:
        assert reason == "your taper plan: 30 days after it ended, through 2027-10-06"
    else:
        assert reason is None


def test_the_measures_are_asked_for_while_a_plan_is_active_or_paused_only() -> None:
    today = date(2026, 11, 10)
    for events, expected in [
        ([], None),
        ([ev(EventKind.START, 0)], "your taper plan"),
        ([ev(EventKind.START, 0), ev(EventKind.HOLD, 2, why="x")], "your taper plan"),
        ([ev(EventKind.STOP, 0, why="x")], None),
    ]:
        where = position(PLAN, CDC, events, today, TZ)
        assert measures_reason(where, events, today, TZ, 30) == expected
