"""Synthetic donors from the one seeded demo generator, for tests and the benchmark: a person's
journal as the de-identifier reads it, without a store.

With planted scores (`DemoKnobs.planted_scores`), `planted_journals` also gives the truth: the
same person's planted responses with their expected totals instead of the answered ones. Run a
cohort query on the truth and each cell's sum over its people is the sum of their expected values
(the planted totals are whole numbers), so `true_means` gives each cell's true mean: known from
the generation, not estimated from the answers, for the people the query itself puts in the cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from mitra.domain.demo import PATTERNS, DemoJournal, DemoKnobs, demo_use_events, generate
from mitra.domain.instruments import Instrument
from mitra.domain.products import is_seven_oh
from mitra.domain.research.deidentify import SourceCheckin, SourceJournal, SourceResponse, SourceUse
from mitra.domain.research.stats import Cell

# Product mixes (Red Bali, capsules, White Borneo, shot): the demo's own, mostly capsules, mostly
# the extract shot, so every main product form has people.
MIXES = ((6, 3, 2, 1), (1, 8, 1, 2), (1, 2, 1, 8))


def cohort_knobs(person: int, days: int) -> DemoKnobs:
    """Person `person` of a planted cohort: seeded by the number, the three dosing patterns and
    the three product mixes in turn, planted scores on."""
    return DemoKnobs(
        days=days,
        seed=person,
        pattern=PATTERNS[person % 3],
        product_weights=MIXES[person // 3 % 3],
        planted_scores=True,
    )


def synthetic_journal(
    knobs: DemoKnobs, now: datetime, instruments: Mapping[str, Instrument]
) -> SourceJournal:
    return _source(generate(knobs, now, instruments), knobs, now)


def planted_journals(
    knobs: DemoKnobs, now: datetime, instruments: Mapping[str, Instrument]
) -> tuple[SourceJournal, SourceJournal]:
    """The journal (with `knobs.planted_scores` on) and its truth: only the planted responses,
    each with its expected total and no items."""
    demo = generate(replace(knobs, planted_scores=True), now, instruments)
    journal = _source(demo, knobs, now)
    expected = demo.expected_totals
    truth = [
        SourceResponse(r.at, r.instrument, float(expected[(r.instrument, r.at)]), complete=True)
        for r in journal.responses
        if (r.instrument, r.at) in expected
    ]
    return journal, SourceJournal(responses=truth)


def true_means(rows: Iterable[Sequence[object]]) -> dict[str, tuple[int, float]]:
    """Each cell's people and true mean, from a cohort query run on truth journals: (cell, n,
    sum, sum of squares) rows, the sum being that of the people's expected values."""
    return {str(cell): (int(str(n)), int(str(total)) / int(str(n))) for cell, n, total, _ in rows}


@dataclass(frozen=True)
class Recovery:
    """A shown cell beside its true mean: recovered when the truth lies in the 95 % interval
    (and the truth counts the same people)."""

    cell: Cell
    truth: float | None
    recovered: bool


def recovery(cells: Sequence[Cell], truth_rows: Iterable[Sequence[object]]) -> list[Recovery]:
    """Every unsuppressed cell of a cohort query checked against the same query on the truth."""
    truth = true_means(truth_rows)
    found = []
    for cell in cells:
        if cell.suppressed:
            continue
        n, mean = truth.get(cell.cell, (0, None))
        recovered = (
            mean is not None
            and n == cell.n
            and cell.low is not None
            and cell.high is not None
            and cell.low <= mean <= cell.high
        )
        found.append(Recovery(cell, mean, recovered))
    return found


def entry_count(journal: SourceJournal) -> int:
    """Entries of a journal: uses, check-ins, questionnaire responses and their item answers."""
    items = sum(len(r.items) for r in journal.responses)
    return len(journal.uses) + len(journal.checkins) + len(journal.responses) + items


def _source(demo: DemoJournal, knobs: DemoKnobs, now: datetime) -> SourceJournal:
    products = [replace(p, id=i) for i, p in enumerate(demo.products)]
    uses = [
        SourceUse(
            at=u.taken_at,
            form=products[u.product_id].form.value,
            seven_oh=is_seven_oh(products[u.product_id]),
            amount=u.amount,
            unit=u.unit,
            grams_leaf=u.grams_leaf,
            mg_mitragynine=u.mg_mitragynine,
            mg_7oh=u.mg_7oh,
            labelled_mg_per_g=products[u.product_id].mitragynine_mg_per_g,
        )
        for u in demo_use_events(demo, now, knobs.tz, products)
    ]
    responses = [
        SourceResponse(
            r.taken_at,
            r.instrument_id,
            None if r.score.total is None else float(r.score.total),
            r.score.complete,
            tuple(
                (item, None, None if value is None else float(value))
                for item, value in r.score.answers.items()
            ),
        )
        for r in demo.responses
    ]
    checkins = [SourceCheckin(c.recorded_at, c.ratings()) for c in demo.checkins]
    return SourceJournal(uses, responses, checkins)
