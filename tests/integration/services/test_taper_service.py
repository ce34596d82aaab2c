"""Taper plans through the services, on SQLite and PostgreSQL (issue 19): a plan from a seeded
journal's own baseline, its states with who and why, the automatic hold on a SOWS rise (and no
hold without one), escalation, and one transaction per use case."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mitra.adapters.store import taper as store
from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.taper import EventKind, State
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import questionnaires, safety, taper
from mitra.services.context import Mitra
from mitra.services.demo import ingest_demo

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 25)  # tests/conftest.py: NOW is 2026-11-25 12:00 UTC
LEAF = Product("Leaf powder", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0)
SEVEN_OH = Product(
    "7-OH tablets", ProductForm.SEVEN_OH, seven_oh_mg_per_unit=15.0, serving_unit=ServingUnit.TABLET
)


def seed(mitra: Mitra, *, days: int = 60, grams: float = 2.0, seven_oh: bool = False) -> None:
    """`days` days of three `grams` g doses of leaf (6 g a day), ending yesterday."""
    uses = [
        DemoUse(0, grams, "g", datetime.combine(TODAY - timedelta(days=n), time(h), LONDON))
        for n in range(1, days + 1)
        for h in (8, 14, 20)
    ]
    if seven_oh:
        uses.append(
            DemoUse(1, 1, "tablet", datetime.combine(TODAY - timedelta(days=3), time(21), LONDON))
        )
    ingest_demo(mitra, DemoJournal(products=[LEAF, SEVEN_OH], uses=uses))


def sows(mitra: Mitra, total: int, days_ago: float) -> None:
    """A complete SOWS with `total` (items filled from the first)."""
    answers = {f"sows.q{i}": 0 for i in range(1, 17)}
    left = total
    for i in range(1, 17):
        answers[f"sows.q{i}"] = min(4, left)
        left -= answers[f"sows.q{i}"]
    questionnaires.administer(
        mitra, "sows", answers, taken_at=mitra.now() - timedelta(days=days_ago)
    )


def test_the_baseline_is_the_persons_own_last_fourteen_days(mitra: Mitra) -> None:
    seed(mitra)
    base = taper.read_baseline(mitra)
    assert (base.first, base.last) == (date(2026, 11, 11), date(2026, 11, 24))
    assert (base.grams, base.doses, base.mg_mitragynine) == (6.0, 3.0, 90.0)


def test_preview_shows_the_steps_of_a_published_pace_without_writing(mitra: Mitra) -> None:
    seed(mitra)
    shown = taper.preview(mitra, taper.Choice("cdc-monthly", unit=0.1))
    assert [s.grams for s in shown.steps[:5]] == [
        6.0,
        5.4,
        4.9,
        4.5,
        4.1,
    ]  # 4.41 and 4.05 round up: never past 10 %
    assert shown.dated[1].starts == TODAY + timedelta(days=30)
    assert shown.escalations == []
    assert taper.list_plans(mitra) == []


def test_a_plan_is_created_started_held_resumed_and_stopped_with_who_and_why(mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("community-percent", unit=0.1))
    assert plan.where.state is State.DRAFT and plan.step.grams == 6.0
    with pytest.raises(ConflictError, match="already open"):
        taper.create(mitra, taper.Choice("cdc-monthly"))
    started = taper.act(mitra, plan.id, "start")
    assert started.where.state is State.ACTIVE
    held = taper.act(mitra, plan.id, "hold", why="a hard week")
    assert held.where.state is State.PAUSED
    with pytest.raises(InvalidInputError, match="slower means more than the current 7 days"):
        taper.act(mitra, plan.id, "slower", every_days=5)
    slower = taper.act(mitra, plan.id, "slower", every_days=14, why="too fast")
    assert slower.where.every_days == 14
    agreed = taper.act(
        mitra, plan.id, "agree", by="person", clinician="Dr A. Rao", agreed_on=date(2026, 11, 24)
    )
    assert agreed.where.agreed is not None and agreed.where.agreed.clinician == "Dr A. Rao"
    stopped = taper.act(mitra, plan.id, "stop", by="clinician", why="switching to treatment")
    assert stopped.where.state is State.STOPPED and not stopped.is_open
    kinds = [(e.kind.value, e.by.value, e.why) for e in stopped.events]
    assert kinds == [
        ("start", "person", ""),
        ("hold", "person", "a hard week"),
        ("slower", "person", "too fast"),
        ("agree", "person", ""),
        ("stop", "clinician", "switching to treatment"),
    ]
    assert taper.current(mitra) is None
    with pytest.raises(InvalidInputError, match="only Mitra itself"):
        taper.act(mitra, plan.id, "hold", by="mitra", why="x")


def test_a_sows_rise_holds_the_plan_in_the_same_transaction(mitra: Mitra) -> None:
    seed(mitra)
    sows(mitra, 8, days_ago=10)
    sows(mitra, 9, days_ago=6)
    plan = taper.create(mitra, taper.Choice("cdc-monthly"))
    taper.act(mitra, plan.id, "start")
    later = mitra.now()
    mitra.clock = lambda: later + timedelta(hours=2)
    sows(mitra, 14, days_ago=0)  # median(8, 9) = 8.5: a rise of 5.5, under 6
    assert taper.get(mitra, plan.id).where.state is State.ACTIVE
    mitra.clock = lambda: later + timedelta(hours=3)
    sows(mitra, 15, days_ago=0)  # median(8, 9, 14) = 9: a rise of 6
    held = taper.get(mitra, plan.id)
    assert held.where.state is State.PAUSED
    (hold,) = held.holds
    assert hold.by.value == "mitra"
    assert "Your SOWS was 15, 6 points above the median" in hold.why
    resumed = taper.act(mitra, plan.id, "resume", why="feeling steadier")
    assert resumed.where.state is State.ACTIVE  # the same SOWS does not hold it again


def test_seven_oh_in_the_baseline_is_never_converted_and_refuses_a_plan(mitra: Mitra) -> None:
    seed(mitra, seven_oh=True)
    with pytest.raises(InvalidInputError, match="7-OH product"):
        taper.create(mitra, taper.Choice("cdc-monthly"))
    assert taper.list_plans(mitra) == []


def test_pregnancy_and_very_high_intake_escalate(mitra: Mitra) -> None:
    seed(mitra, grams=12.0)  # 36 g a day
    safety.set_pregnancy(mitra, "pregnant")
    shown = taper.preview(mitra, taper.Choice("asam-slow"))
    assert [r.rule for r in shown.escalations] == ["escalate.very_high", "escalate.pregnancy"]


def test_bad_choices_are_refused_and_nothing_is_written(mitra: Mitra) -> None:
    seed(mitra)
    for choice, message in [
        (taper.Choice("fastest"), "is not one of"),
        (taper.Choice("custom", percent=20, every_days=7), "at most 12.5 %"),
        (taper.Choice("cdc-monthly", axis="sideways"), "amount_first"),
        (taper.Choice("cdc-monthly", unit=0.1, stop_from=9.0), "stop_from"),
        (taper.Choice("cdc-monthly", min_doses=0), "min_doses"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            taper.create(mitra, choice)
    with pytest.raises(InvalidInputError, match="not one of"):
        taper.act(mitra, 1, "accelerate")
    assert taper.list_plans(mitra) == []


def test_too_little_log_gives_no_baseline(mitra: Mitra) -> None:
    seed(mitra, days=5)
    with pytest.raises(InvalidInputError, match="at least 7 logged days"):
        taper.create(mitra, taper.Choice("cdc-monthly"))


def test_today_shows_the_target_and_what_was_logged_so_far(mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("cdc-monthly"))
    assert taper.today(mitra) is None  # a draft has no daily target yet
    taper.act(mitra, plan.id, "start")
    now = taper.today(mitra)
    assert now is not None
    assert (now.target.grams, now.target.doses, now.logged.doses) == (6.0, 3, 0)
    assert not now.over_target


def test_stored_plans_and_events_round_trip(mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("custom", grams=0.2, every_days=10, unit=0.05))
    taper.act(mitra, plan.id, "start")
    with mitra.store.read() as conn:
        stored = store.get_plan(conn, plan.id)
        (event,) = store.events(conn, plan.id)
    assert stored.design.pace.name == "0.2 g every 10 days (custom)"
    assert stored.design.measure.unit == 0.05
    assert stored.baseline.grams_spread is not None
    assert (event.kind, event.index) == (EventKind.START, 0)
