"""Score one response to one instrument, exactly as published, with the reason for every decision.

Project policy (no imputation): any missing item makes the response incomplete, so it has no total,
no band and no sub-scores, and it lists the missing items. Flags tied to one item (PHQ-9 item 9) are
evaluated whatever the total and even when other items are missing; a missing flag item is
"unknown", never 0. An answer outside an item's allowed values raises InvalidAnswerError.
"""

from __future__ import annotations

from collections.abc import Mapping

from mitra.errors import InvalidInputError

from .model import (
    Instrument,
    InvalidAnswerError,
    Item,
    Number,
    Score,
    ScoreFlag,
)

SEXES = ("female", "male")
Answers = Mapping[str, Number | None]


def score(instrument: Instrument, answers: Answers, *, sex: str | None = None) -> Score:
    """Score `answers` (item id -> value, None for unanswered) against `instrument`."""
    _check_sex(sex)
    _reject_unknown_items(instrument, answers)
    validated = {item.id: _validate_answer(item, answers.get(item.id)) for item in instrument.items}
    flags = _item_flags(instrument, validated)
    missing = tuple(item_id for item_id, value in validated.items() if value is None)
    if missing:
        return _incomplete(instrument, validated, flags, missing)
    answered = {item_id: value for item_id, value in validated.items() if value is not None}
    return _complete(instrument, answered, flags, sex)


def _check_sex(sex: str | None) -> None:
    if sex is not None and sex not in SEXES:
        raise InvalidInputError.one("sex", f"{sex!r} is not one of {', '.join(SEXES)} (or empty)")


def _reject_unknown_items(instrument: Instrument, answers: Answers) -> None:
    known = set(instrument.item_ids)
    for item_id in answers:
        if item_id not in known:
            raise InvalidInputError.one(item_id, f"not an item of {instrument.id}")


def _validate_answer(item: Item, value: object) -> Number | None:
    if value is None:
        return None
    allowed = item.allowed_values
    if isinstance(value, bool) or not isinstance(value, int | float) or value not in allowed:
        raise InvalidAnswerError(item.id, value, allowed)
    return allowed[allowed.index(value)]


def _item_flags(instrument: Instrument, answers: Answers) -> list[ScoreFlag]:
    flags: list[ScoreFlag] = []
    for flag in instrument.flags:
        value = answers[flag.item]
        if value is None:
            because = (
                f"{flag.item} was not answered, so this is unknown (a missing answer is never "
                f"read as 0)"
            )
            flags.append(ScoreFlag(flag.code, flag.label, "unknown", because, flag.source))
        elif value >= flag.min_value:
            because = (
                f"{flag.item} answered {value}; an answer of {flag.min_value} or more raises "
                f"this flag whatever the total"
            )
            flags.append(ScoreFlag(flag.code, flag.label, "raised", because, flag.source))
    return flags


def _incomplete(
    instrument: Instrument, answers: Answers, flags: list[ScoreFlag], missing: tuple[str, ...]
) -> Score:
    reasons = (
        f"Incomplete: {len(missing)} of {len(instrument.items)} items unanswered "
        f"({', '.join(missing)}).",
        f"Missing-item rule applied: {instrument.missing_item_rule}",
    )
    return Score(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=dict(answers),
        total=None,
        band_code=None,
        band_label=None,
        flags=tuple(flags),
        complete=False,
        missing_items=missing,
        reasons=reasons,
    )


def _complete(
    instrument: Instrument, answers: Mapping[str, Number], flags: list[ScoreFlag], sex: str | None
) -> Score:
    excluded, reasons = _excluded_items(instrument, answers)
    total = _total(instrument, answers, excluded)
    reasons.append(_scoring_reason(instrument, total))
    band_code, band_label, band_reason = _band(instrument, total)
    reasons.append(band_reason)
    cut_flags, cut_reasons = _cut_point_flags(instrument, total, sex)
    reasons.extend(cut_reasons)
    subscores = {
        subscale.code: sum(answers[item_id] for item_id in subscale.items)
        for subscale in instrument.subscales
    }
    return Score(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=dict(answers),
        total=total,
        band_code=band_code,
        band_label=band_label,
        subscores=subscores,
        flags=tuple(flags + cut_flags),
        complete=True,
        missing_items=(),
        reasons=tuple(reasons),
    )


def _excluded_items(
    instrument: Instrument, answers: Mapping[str, Number]
) -> tuple[set[str], list[str]]:
    excluded: set[str] = set()
    reasons: list[str] = []
    for exclusion in instrument.exclusions:
        if answers[exclusion.when_item] == exclusion.when_value:
            excluded.update(exclusion.excluded_items)
            reasons.append(
                f"{', '.join(exclusion.excluded_items)} not counted because "
                f"{exclusion.when_item} was answered {exclusion.when_value}: {exclusion.reason}"
            )
    return excluded, reasons


def _total(instrument: Instrument, answers: Mapping[str, Number], excluded: set[str]) -> Number:
    counted = [
        answers[item.id] for item in instrument.items if item.scored and item.id not in excluded
    ]
    method = instrument.scoring.method
    if method == "sum":
        return sum(counted)
    if method == "count":
        return sum(1 for value in counted if value > 0)
    return sum(counted) / len(counted)


def _scoring_reason(instrument: Instrument, total: Number) -> str:
    scoring = instrument.scoring
    words = {"sum": "sum", "mean": "mean", "count": "number endorsed"}[scoring.method]
    scored = sum(1 for item in instrument.items if item.scored)
    return (
        f"Total {total} is the {words} of {scored} scored items (range {scoring.min}–"
        f"{scoring.max}; source: {scoring.source or 'not given'})."
    )


def _band(instrument: Instrument, total: Number) -> tuple[str | None, str | None, str]:
    if not instrument.bands:
        return None, None, f"No severity bands: {instrument.no_bands_reason or 'none published'}"
    for band in instrument.bands:
        if band.contains(total):
            reason = f"Band '{band.label}' because total {total} is within {band.min}–{band.max}."
            return band.code, band.label, reason
    return None, None, f"No band covers total {total}; the instrument's bands leave a gap."


def _cut_point_flags(
    instrument: Instrument, total: Number, sex: str | None
) -> tuple[list[ScoreFlag], list[str]]:
    flags: list[ScoreFlag] = []
    reasons: list[str] = []
    for cut in instrument.cut_points:
        if cut.sex is not None and sex is None:
            reasons.append(f"Cut-point '{cut.code}' ({cut.sex}) not applied: sex not given.")
        elif cut.sex is None or cut.sex == sex:
            who = f" for {cut.sex}" if cut.sex else ""
            if total >= cut.min:
                because = f"total {total} is at or above the cut-point {cut.min}{who}"
                flags.append(ScoreFlag(cut.code, cut.label, "raised", because, cut.source))
            else:
                reasons.append(f"Total {total} is below the cut-point {cut.min}{who} ({cut.code}).")
    return flags, reasons
