"""The instrument model: what a validated questionnaire is, and what scoring it produces.

Pure data (frozen dataclasses). Instruments are built from knowledge files by the adapter, or by
tests directly; nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from mitra.errors import FieldProblem, InvalidInputError, NotFoundError

ScoringMethod = Literal["sum", "mean", "count"]
FlagStatus = Literal["raised", "unknown"]
Number = int | float


class InvalidAnswerError(InvalidInputError):
    """An answer outside an item's allowed values; names the item and the value, never clamps."""

    def __init__(self, item: str, value: object, allowed: tuple[Number, ...]) -> None:
        self.item = item
        self.value = value
        allowed_text = ", ".join(str(v) for v in allowed)
        super().__init__(
            FieldProblem(
                item, f"answer {value!r} is not one of the allowed values ({allowed_text})"
            )
        )


class UnknownInstrumentError(NotFoundError):
    """No instrument has this id."""

    def __init__(self, instrument_id: str) -> None:
        self.instrument_id = instrument_id
        super().__init__(f"unknown instrument {instrument_id!r}")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None = None
    doi: str | None = None


@dataclass(frozen=True)
class Option:
    label: str
    value: Number


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...]
    loinc: str | None = None
    scored: bool = True

    @property
    def allowed_values(self) -> tuple[Number, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Scoring:
    method: ScoringMethod
    min: Number
    max: Number
    source: str = ""


@dataclass(frozen=True)
class Band:
    """A severity band; `min` and `max` are both inclusive."""

    code: str
    label: str
    min: Number
    max: Number

    def contains(self, total: Number) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True)
class Flag:
    """Raised when `item` is answered `min_value` or above, whatever the total."""

    code: str
    item: str
    min_value: Number
    label: str
    source: str = ""


@dataclass(frozen=True)
class CutPoint:
    """A published threshold on the total (`total >= min`), optionally for one sex only."""

    code: str
    label: str
    min: Number
    sex: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Subscale:
    code: str
    label: str
    items: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class Exclusion:
    """When `when_item` is answered `when_value`, the `excluded_items` do not count."""

    when_item: str
    when_value: Number
    excluded_items: tuple[str, ...]
    reason: str
    source: str = ""


@dataclass(frozen=True)
class MeaningfulChange:
    """Smallest change in the total that counts as meaningful: points, or percent of the first."""

    text: str
    source: str
    points: Number | None = None
    percent: Number | None = None
    # "either": the source gives the threshold for a change either way; "improvement": only for
    # a fall (the source speaks of improvement), so a rise gets no meaningful verdict.
    applies_to: Literal["either", "improvement"] = "either"

    def __post_init__(self) -> None:
        if (self.points is None) == (self.percent is None):
            raise ValueError("a meaningful change is either points or percent, exactly one")


@dataclass(frozen=True)
class Response:
    """Treatment response: the total falls by at least `percent_reduction` percent."""

    percent_reduction: Number
    text: str
    source: str


@dataclass(frozen=True)
class Remission:
    """Remission: the later total is at most `max_total`."""

    max_total: Number
    text: str
    source: str


@dataclass(frozen=True)
class Loinc:
    panel: str | None
    total: str | None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Instrument:
    id: str
    title: str
    items: tuple[Item, ...]
    scoring: Scoring
    version: str = "1"
    short_title: str = ""
    description: str = ""
    recall_period: str = ""
    bands: tuple[Band, ...] = ()
    no_bands_reason: str | None = None
    flags: tuple[Flag, ...] = ()
    cut_points: tuple[CutPoint, ...] = ()
    subscales: tuple[Subscale, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    meaningful_change: MeaningfulChange | None = None
    response: Response | None = None
    remission: Remission | None = None
    default_interval_days: int | None = None
    missing_item_rule: str = "Any missing item makes the response incomplete: no total, no band."
    licence: str = ""
    attribution: str = ""
    loinc: Loinc = Loinc(panel=None, total=None)
    sources: tuple[Source, ...] = ()
    as_of: date | None = None

    @property
    def display_title(self) -> str:
        """The short title (e.g. PHQ-9) where there is one, else the full title."""
        return self.short_title or self.title

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise InvalidInputError.one(item_id, f"not an item of {self.id}")


@dataclass(frozen=True)
class ScoreFlag:
    code: str
    label: str
    status: FlagStatus
    because: str
    source: str = ""


@dataclass(frozen=True)
class Score:
    instrument_id: str
    instrument_version: str
    answers: Mapping[str, Number | None]
    total: Number | None
    band_code: str | None
    band_label: str | None
    subscores: Mapping[str, Number] = field(default_factory=dict)
    flags: tuple[ScoreFlag, ...] = ()
    complete: bool = False
    missing_items: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def has_flag(self, code: str, status: FlagStatus = "raised") -> bool:
        return any(f.code == code and f.status == status for f in self.flags)
