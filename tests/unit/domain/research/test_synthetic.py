"""Planted cohorts: the truth beside each journal, true cell means, and the recovery check."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.planted import PLANTED_INSTRUMENTS, scale_instrument

from mitra.domain.demo import DemoKnobs, generate
from mitra.domain.research.deidentify import SourceCheckin, SourceJournal, SourceResponse, SourceUse
from mitra.domain.research.stats import Cell
from mitra.domain.research.synthetic import (
    MIXES,
    Recovery,
    cohort_knobs,
    entry_count,
    planted_journals,
    recovery,
    true_means,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_true_means_are_each_cells_sum_of_expected_values_over_its_people() -> None:
    rows = [("leaf_powder", 4, 10, 30), ("capsule", 2, -3, 5)]
    assert true_means(rows) == {"leaf_powder": (4, 2.5), "capsule": (2, -1.5)}


def test_a_cell_is_recovered_only_when_its_truth_is_inside_and_counts_the_same_people() -> None:
    cells = [
        Cell("inside", 10, 4.1, 3.5, 4.7, False),
        Cell("outside", 10, 4.1, 3.5, 4.7, False),
        Cell("other people", 10, 4.1, 3.5, 4.7, False),
        Cell("no truth", 10, 4.1, 3.5, 4.7, False),
        Cell("suppressed", 0, None, None, None, True),
    ]
    truth = [("inside", 10, 47, 0), ("outside", 10, 48, 0), ("other people", 9, 36, 0)]
    assert recovery(cells, truth) == [
        Recovery(cells[0], 4.7, True),  # the upper end counts as inside
        Recovery(cells[1], 4.8, False),
        Recovery(cells[2], 4.0, False),
        Recovery(cells[3], None, False),
    ]


def test_entries_count_uses_checkins_responses_and_item_answers() -> None:
    use = SourceUse(NOW, "capsule", False, 2, "capsule", 1.0, None, None)
    items = (("phq9.q1", "44250-9", 1.0), ("phq9.q2", "44255-8", 0.0))
    journal = SourceJournal(
        uses=[use, use, use],
        responses=[SourceResponse(NOW, "phq9", 1.0, True, items)],
        checkins=[SourceCheckin(NOW, {"mood": 5})],
    )
    assert entry_count(journal) == 3 + 1 + 1 + 2


def test_the_truth_holds_each_planted_response_with_its_expected_total() -> None:
    knobs = cohort_knobs(4, 120)
    assert (knobs.seed, knobs.pattern, knobs.product_weights) == (4, "escalating", MIXES[1])
    journal, truth = planted_journals(knobs, NOW, PLANTED_INSTRUMENTS)
    demo = generate(knobs, NOW, PLANTED_INSTRUMENTS)
    assert [(r.instrument, r.at, r.total) for r in truth.responses] == [
        (r.instrument_id, r.taken_at, demo.expected_totals[(r.instrument_id, r.taken_at)])
        for r in demo.responses
    ]
    assert [(r.instrument, r.total) for r in journal.responses] == [
        (r.instrument_id, r.score.total) for r in demo.responses
    ]
    assert (tuple(truth.uses), tuple(truth.checkins)) == ((), ())
    assert all(r.items == () and r.complete for r in truth.responses)


def test_planted_journals_turn_planting_on_and_leave_unplanted_instruments_out() -> None:
    instruments = {**PLANTED_INSTRUMENTS, "gad7": scale_instrument("gad7", 7, 3)}
    journal, truth = planted_journals(DemoKnobs(days=30, seed=2), NOW, instruments)
    assert [r.instrument for r in journal.responses] == ["phq9", "gad7", "phq9", "gad7"]
    assert [r.instrument for r in truth.responses] == ["phq9", "phq9"]
