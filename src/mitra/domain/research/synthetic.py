"""Synthetic donors from the one seeded demo generator, for tests and the benchmark: a person's
journal as the de-identifier reads it, without a store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from mitra.domain.demo import DemoKnobs, demo_use_events, generate
from mitra.domain.instruments import Instrument
from mitra.domain.products import is_seven_oh
from mitra.domain.research.deidentify import SourceCheckin, SourceJournal, SourceResponse, SourceUse


def synthetic_journal(
    knobs: DemoKnobs, now: datetime, instruments: Mapping[str, Instrument]
) -> SourceJournal:
    demo = generate(knobs, now, instruments)
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
