"""The seeded demo generator: reproducible, realistic, never in the future."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from mitra.domain.demo import (
    DemoDay,
    DemoKnobs,
    Recall,
    demo_answers,
    demo_use_events,
    generate,
)
from mitra.domain.instruments import Instrument
from mitra.domain.instruments.model import Flag, Item, Option, Scoring

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_same_seed_gives_the_same_journal_and_another_seed_does_not() -> None:
    first = generate(DemoKnobs(days=30, seed=1), NOW)
    assert first == generate(DemoKnobs(days=30, seed=1), NOW)
    assert first.uses != generate(DemoKnobs(days=30, seed=2), NOW).uses


def test_nothing_is_generated_after_now() -> None:
    journal = generate(DemoKnobs(days=60, seed=4), NOW)
    times = [u.taken_at for u in journal.uses] + [c.recorded_at for c in journal.checkins]
    times += [e.occurred_at for e in journal.effects] + [v.measured_at for v in journal.vitals]
    assert max(times) <= NOW
    assert len(journal.products) == 4
    assert len(journal.medications) == 1


@pytest.mark.parametrize(("pattern", "rising"), [("escalating", True), ("tapering", False)])
def test_patterns_shape_daily_amounts(pattern: str, rising: bool) -> None:
    journal = generate(DemoKnobs(days=120, seed=7, pattern=pattern), NOW)
    first = sum(1 for u in journal.uses if u.taken_at < NOW.replace(month=8, day=25))
    last = sum(1 for u in journal.uses if u.taken_at >= NOW.replace(month=10, day=26))
    assert (last > first) is rising


def test_a_planted_effect_raises_anxiety_on_heavier_days() -> None:
    flat = generate(DemoKnobs(days=60, seed=3), NOW)
    planted = generate(DemoKnobs(days=60, seed=3, anxiety_effect_per_g=1.0), NOW)
    mean_flat = sum(c.anxiety or 0 for c in flat.checkins) / len(flat.checkins)
    mean_planted = sum(c.anxiety or 0 for c in planted.checkins) / len(planted.checkins)
    assert mean_planted - mean_flat > 2


def test_demo_uses_convert_with_their_products_labels() -> None:
    journal = generate(DemoKnobs(days=20, seed=5), NOW)
    uses = demo_use_events(journal, NOW)
    assert len(uses) == len(journal.uses)
    red_bali = [u for u in uses if u.product_id == 0 and u.unit == "g"]
    assert red_bali and all(u.mg_mitragynine == round(u.amount * 15, 3) for u in red_bali)


def _instrument() -> Instrument:
    scale = (Option("no", 0), Option("some", 1), Option("a lot", 2))
    return Instrument(
        id="demo_check",
        title="Demo check",
        items=(
            Item("demo_check.q1", "One", scale),
            Item("demo_check.q2", "Two", scale),
            Item("demo_check.harm", "Harm", scale),
            Item(
                "demo_check.context", "Context", (Option("no", 0), Option("yes", 1)), scored=False
            ),
        ),
        scoring=Scoring("sum", 0, 6),
        flags=(Flag("crisis.demo_check_harm", "demo_check.harm", 1, "Harm reported"),),
    )


def test_demo_answers_never_raise_a_crisis_and_track_the_level() -> None:
    rng = random.Random(1)
    high = [demo_answers(_instrument(), 1.0, rng) for _ in range(50)]
    low = [demo_answers(_instrument(), 0.0, rng) for _ in range(50)]
    assert {a["demo_check.harm"] for a in high + low} == {0}
    assert {a["demo_check.context"] for a in high + low} == {0}
    assert sum(a["demo_check.q1"] or 0 for a in high) > 80  # mostly the top option, 2
    assert sum(a["demo_check.q1"] or 0 for a in low) < 20  # mostly the lowest, 0


def test_questionnaires_are_answered_only_when_instruments_are_given() -> None:
    assert generate(DemoKnobs(days=30, seed=1), NOW).responses == []
    day = DemoDay(NOW.replace(hour=0), 0.0, None)
    assert Recall.of([day]) == Recall(mood=5.5, anxiety=5.5, craving=2.0, grams=0.0, use_days=0)
