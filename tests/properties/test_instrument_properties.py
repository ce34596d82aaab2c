"""Hypothesis properties over every shipped instrument: totals stay within [min, max], never fall
when one scored answer rises, and every possible total lands in exactly one band."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitra.adapters.knowledge.instruments import get_instrument, load_instruments
from mitra.domain.instruments import Instrument, score

IDS = sorted(load_instruments())


@st.composite
def complete_answers(draw: st.DrawFn, instrument: Instrument) -> dict[str, int | float | None]:
    return {item.id: draw(st.sampled_from(item.allowed_values)) for item in instrument.items}


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_total_stays_within_bounds(instrument_id: str, data: st.DataObject) -> None:
    instrument = get_instrument(instrument_id)
    result = score(instrument, data.draw(complete_answers(instrument)), sex="female")
    assert result.total is not None
    assert instrument.scoring.min <= result.total <= instrument.scoring.max


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_total_never_decreases_when_one_scored_answer_rises(
    instrument_id: str, data: st.DataObject
) -> None:
    instrument = get_instrument(instrument_id)
    answers = data.draw(complete_answers(instrument))
    item = data.draw(st.sampled_from([i for i in instrument.items if i.scored]))
    higher = [v for v in item.allowed_values if v > (answers[item.id] or 0)]
    before = score(instrument, answers).total
    if higher:
        after = score(instrument, {**answers, item.id: data.draw(st.sampled_from(higher))}).total
        assert before is not None and after is not None and after >= before


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_any_missing_item_means_no_total_and_lists_it(
    instrument_id: str, data: st.DataObject
) -> None:
    instrument = get_instrument(instrument_id)
    answers = data.draw(complete_answers(instrument))
    dropped = data.draw(st.sets(st.sampled_from(instrument.item_ids), min_size=1))
    result = score(instrument, {k: (None if k in dropped else v) for k, v in answers.items()})
    assert (result.total, result.band_code, result.complete) == (None, None, False)
    assert set(result.missing_items) == dropped


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_possible_total_is_in_exactly_one_band(instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    if not instrument.bands:
        return
    for total in range(int(instrument.scoring.min), int(instrument.scoring.max) + 1):
        assert sum(band.contains(total) for band in instrument.bands) == 1
