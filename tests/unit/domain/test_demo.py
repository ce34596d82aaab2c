"""The seeded demo generator: reproducible, realistic, never in the future."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from tests.planted import PLANTED_INSTRUMENTS

from mitra.domain.demo import (
    PLANTED,
    PLANTED_NOISE,
    DemoDay,
    DemoKnobs,
    DemoUse,
    Recall,
    demo_answers,
    demo_use_events,
    doses_per_use_day,
    generate,
    grams_per_use_day,
    main_form,
    planted_answers,
    planted_total,
    scored_responses,
)
from mitra.domain.instruments import Instrument, score
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


def _day(offset: int, uses: int, grams: float, product: int = 1) -> DemoDay:
    start = NOW.replace(hour=0) + timedelta(days=offset)
    taken = tuple(
        DemoUse(product, 1.0, "capsule", start + timedelta(hours=8 + h)) for h in range(uses)
    )
    return DemoDay(start, grams, None, taken)


def test_planted_totals_are_the_stated_functions_of_the_recalled_days() -> None:
    # days 0-6: one leaf use of 2 g; days 7-13: none; days 14-29: three capsules, 6 g
    days = [_day(i, 1, 2.0, product=0) for i in range(7)] + [_day(i, 0, 0.0) for i in range(7, 14)]
    days += [_day(i, 3, 6.0) for i in range(14, 30)]
    answered = scored_responses(days, PLANTED_INSTRUMENTS, DemoKnobs(planted_scores=True))
    expected = [(r.instrument_id, e) for r, e in answered]
    # PHQ-9 on day 13: 4 + 2 g a use day = 6; on day 27: 4 + 6 g = 10. SOWS on day 29: 55 uses
    # on 23 use days, 2 + 4 x 55 / 23 = 11.57 -> 12. Checklist: capsules (48 of 55 uses) -> 4.
    assert expected == [("phq9", 6), ("phq9", 10), ("sows", 12), ("kud_dsm5", 4)]
    for response, total in answered:
        assert total is not None and response.score.total is not None
        assert abs(response.score.total - total) <= PLANTED_NOISE


def test_recalled_use_measures_have_known_answers_and_zero_without_use() -> None:
    days = [_day(0, 2, 3.0, product=0), _day(1, 2, 5.0, product=1), _day(2, 0, 0.0)]
    assert grams_per_use_day(days) == 4.0
    assert doses_per_use_day(days) == 2.0
    assert main_form(days) == "capsule"  # a tie, 2 uses each: the first name wins
    assert (grams_per_use_day(days[2:]), doses_per_use_day(days[2:]), main_form(days[2:])) == (
        0.0,
        0.0,
        None,
    )
    assert PLANTED["kud_dsm5"](days[2:]) == 3.0  # no use: the "other form" level


def test_a_planted_total_stays_two_points_inside_what_the_open_items_reach() -> None:
    phq9 = PLANTED_INSTRUMENTS["phq9"]  # 8 open items of 0-3: 24 (the crisis question stays 0)
    assert [planted_total(phq9, v) for v in (0.4, 7.6, 23.0, 30.0)] == [2, 8, 22, 22]


def test_planted_answers_sum_to_the_total_spread_evenly_and_never_raise_a_crisis() -> None:
    phq9 = PLANTED_INSTRUMENTS["phq9"]
    for total in (0, 5, 17, 24):
        answers = planted_answers(phq9, total, random.Random(total))
        raised = [v or 0 for k, v in answers.items() if k.endswith(tuple("12345678"))]
        assert sum(raised) == total
        assert max(raised) - min(raised) <= 1
        assert answers["phq9.harm"] == 0 and answers["phq9.context"] == 0
    checklist = PLANTED_INSTRUMENTS["kud_dsm5"]
    assert score(checklist, planted_answers(checklist, 7, random.Random(1))).total == 7


def test_planted_noise_is_symmetric_and_only_the_planted_answers_change() -> None:
    usual = generate(DemoKnobs(days=120, seed=8), NOW, PLANTED_INSTRUMENTS)
    planted = generate(DemoKnobs(days=120, seed=8, planted_scores=True), NOW, PLANTED_INSTRUMENTS)
    assert usual.expected_totals == {}
    assert (planted.uses, planted.checkins, planted.vitals) == (
        usual.uses,
        usual.checkins,
        usual.vitals,
    )
    assert [(r.instrument_id, r.taken_at) for r in planted.responses] == [
        (r.instrument_id, r.taken_at) for r in usual.responses
    ]
    noise: Counter[int] = Counter()
    for seed in range(40):
        journal = generate(
            DemoKnobs(days=120, seed=seed, planted_scores=True), NOW, PLANTED_INSTRUMENTS
        )
        for r in journal.responses:
            noise[
                int(r.score.total or 0) - journal.expected_totals[(r.instrument_id, r.taken_at)]
            ] += 1
    assert sorted(noise) == [-2, -1, 0, 1, 2]
    assert abs(sum(k * v for k, v in noise.items()) / sum(noise.values())) < 0.1
