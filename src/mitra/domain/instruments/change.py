"""Compare two scored administrations of one instrument: difference, meaningful change, response
and remission, each judged only against a threshold the instrument's knowledge file sources.

For every instrument Mitra ships, a higher total means more symptoms, so a fall is an improvement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mitra.errors import InvalidInputError

from .model import Instrument, MeaningfulChange, Number, Score

Direction = Literal["decreased", "increased", "unchanged"]
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Change:
    instrument_id: str
    earlier_total: Number | None
    later_total: Number | None
    difference: Number | None
    percent_change: float | None
    direction: Direction | None
    meaningful: bool | None
    response: bool | None
    remission: bool | None
    reasons: tuple[str, ...]


def compare(instrument: Instrument, earlier: Score, later: Score) -> Change:
    """Change from `earlier` to `later` (later minus earlier), judged by sourced thresholds."""
    _check_same_instrument(instrument, earlier, later)
    if earlier.total is None or later.total is None:
        return _not_comparable(instrument, earlier, later)
    difference = later.total - earlier.total
    percent = None if earlier.total == 0 else difference / earlier.total * 100
    reasons = [_difference_reason(earlier.total, later.total, difference, percent)]
    meaningful = _meaningful(
        instrument.meaningful_change, instrument.id, difference, percent, reasons
    )
    response = _response(instrument, earlier.total, percent, reasons)
    remission = _remission(instrument, earlier.total, later.total, reasons)
    return Change(
        instrument_id=instrument.id,
        earlier_total=earlier.total,
        later_total=later.total,
        difference=difference,
        percent_change=percent,
        direction=_direction(difference),
        meaningful=meaningful,
        response=response,
        remission=remission,
        reasons=tuple(reasons),
    )


def _check_same_instrument(instrument: Instrument, earlier: Score, later: Score) -> None:
    for name, scored in (("earlier", earlier), ("later", later)):
        if scored.instrument_id != instrument.id:
            raise InvalidInputError.one(
                name, f"is a {scored.instrument_id} score, not a {instrument.id} score"
            )


def _not_comparable(instrument: Instrument, earlier: Score, later: Score) -> Change:
    which = [name for name, s in (("earlier", earlier), ("later", later)) if s.total is None]
    reason = (
        f"No change computed: the {' and '.join(which)} response is incomplete and has no total "
        f"(project policy: no imputation)."
    )
    return Change(
        instrument_id=instrument.id,
        earlier_total=earlier.total,
        later_total=later.total,
        difference=None,
        percent_change=None,
        direction=None,
        meaningful=None,
        response=None,
        remission=None,
        reasons=(reason,),
    )


def _difference_reason(
    earlier: Number, later: Number, difference: Number, percent: float | None
) -> str:
    percent_text = "undefined (first total is 0)" if percent is None else f"{percent:+.1f}%"
    return f"Total went from {earlier} to {later}: {difference:+g} points, {percent_text}."


def _direction(difference: Number) -> Direction:
    if difference < 0:
        return "decreased"
    if difference > 0:
        return "increased"
    return "unchanged"


def _at_least(value: float, threshold: Number) -> bool:
    return value >= threshold - TOLERANCE


def _meaningful(
    rule: MeaningfulChange | None,
    instrument_id: str,
    difference: Number,
    percent: float | None,
    reasons: list[str],
) -> bool | None:
    if rule is None:
        reasons.append(f"No sourced meaningful-change threshold for {instrument_id}.")
        return None
    if rule.applies_to == "improvement" and difference > 0:
        reasons.append(
            f"The source gives a meaningful-change threshold for improvement only ({rule.text}; "
            f"source: {rule.source}); a rise is reported without a meaningful verdict."
        )
        return None
    if rule.points is not None:
        met = _at_least(abs(difference), rule.points)
        reasons.append(_threshold_reason(met, f"{rule.points} points", rule))
        return met
    if percent is None:
        reasons.append("Meaningful change is a percentage of the first total, which was 0.")
        return None
    met = _at_least(abs(percent), rule.percent or 0)
    reasons.append(_threshold_reason(met, f"{rule.percent}%", rule))
    return met


def _threshold_reason(met: bool, threshold: str, rule: MeaningfulChange) -> str:
    verdict = "meets" if met else "does not meet"
    return (
        f"The change {verdict} the meaningful-change threshold of {threshold} "
        f"({rule.text}; source: {rule.source})."
    )


def _response(
    instrument: Instrument, earlier: Number, percent: float | None, reasons: list[str]
) -> bool | None:
    rule = instrument.response
    if rule is None:
        return None
    if percent is None:
        reasons.append("Response is undefined when the first total is 0.")
        return None
    met = _at_least(-percent, rule.percent_reduction)
    verdict = "Response" if met else "No response"
    reasons.append(
        f"{verdict}: a fall of at least {rule.percent_reduction}% from {earlier} is needed "
        f"({rule.text}; source: {rule.source})."
    )
    return met


def _remission(
    instrument: Instrument, earlier: Number, later: Number, reasons: list[str]
) -> bool | None:
    rule = instrument.remission
    if rule is None:
        return None
    if earlier <= rule.max_total:
        reasons.append(
            f"Remission not assessed: the first total {earlier} was already at or below "
            f"{rule.max_total}."
        )
        return None
    met = later <= rule.max_total
    verdict = "Remission" if met else "No remission"
    reasons.append(
        f"{verdict}: the later total {later} is {'at or below' if met else 'above'} "
        f"{rule.max_total} ({rule.text}; source: {rule.source})."
    )
    return met
