"""Read instrument knowledge files into the pure domain model, refusing anything malformed.

Every problem raises ConfigurationError naming the file and the field. Source ids referenced by a
fact must be listed in the file's `sources`, and bands must partition the score range.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, NoReturn, TypeVar, cast

from mitra.adapters.knowledge.loader import knowledge_files, read_yaml
from mitra.domain.instruments.model import (
    Band,
    CutPoint,
    Exclusion,
    Flag,
    Instrument,
    Item,
    Loinc,
    MeaningfulChange,
    Number,
    Option,
    Remission,
    Response,
    Scoring,
    ScoringMethod,
    Source,
    Subscale,
    UnknownInstrumentError,
)
from mitra.errors import ConfigurationError

FOLDER = "instruments"
T = TypeVar("T")
TOP_LEVEL = {
    "id", "version", "title", "short_title", "description", "recall_period",
    "recall_period_source", "items_source", "options_source", "options", "items", "scoring",
    "bands", "bands_source", "no_bands_reason", "flags", "cut_points", "subscales", "exclusions",
    "meaningful_change", "no_meaningful_change_reason", "response", "remission",
    "default_interval_days", "missing_item_rule", "licence", "licence_source", "attribution",
    "loinc", "sources", "as_of",
}  # fmt: skip
METHODS = ("sum", "mean", "count")


class Fields:
    """A mapping read strictly: known keys only, typed values, errors naming file and field."""

    def __init__(self, data: object, path: str, where: str) -> None:
        self.path = path
        self.where = where
        if not isinstance(data, dict):
            self.fail("", "must be a mapping")
        self.data: dict[str, Any] = data

    def fail(self, key: str, problem: str) -> NoReturn:
        field = f"{self.where}.{key}".strip(".")
        raise ConfigurationError(
            f"knowledge file {self.path}: field {field or '(root)'}: {problem}"
        )

    def only(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            self.fail(unknown[0], "unknown field")

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            self.fail(key, "is required")
        value = self.data[key]
        if value is None and optional:
            return value
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            self.fail(key, f"must be {_kind_name(kind)}, not {value!r}")
        return value

    def text(self, key: str, *, optional: bool = False) -> str:
        value: str = self.get(key, str, optional=optional)
        if value is not None and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def number(self, key: str) -> Number:
        value: Number = self.get(key, (int, float))
        return value

    def child(self, key: str, optional: bool = False) -> Fields | None:
        value = self.get(key, dict, optional=optional)
        return None if value is None else Fields(value, self.path, f"{self.where}.{key}")

    def rows(self, key: str) -> list[Fields]:
        value: list[Any] = self.get(key, list)
        return [Fields(row, self.path, f"{self.where}.{key}[{i}]") for i, row in enumerate(value)]


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


@cache
def load_instruments() -> dict[str, Instrument]:
    """Every instrument shipped in the knowledge folder, by id (read once, then cached)."""
    instruments: dict[str, Instrument] = {}
    for path in knowledge_files(FOLDER):
        instrument = parse_instrument(read_yaml(path), path)
        instruments[instrument.id] = instrument
    return instruments


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with this id; UnknownInstrumentError when there is none."""
    try:
        return load_instruments()[instrument_id]
    except KeyError:
        raise UnknownInstrumentError(instrument_id) from None


def parse_instrument(data: object, path: str) -> Instrument:
    """Build one Instrument from one parsed file, validating structure and references."""
    root = Fields(data, path, "")
    root.only(TOP_LEVEL)
    sources = tuple(_source(row) for row in root.rows("sources"))
    check_source = _source_checker(root, {s.id for s in sources})
    for key in ("recall_period_source", "items_source", "options_source", "licence_source"):
        check_source(root, key)
    instrument = Instrument(
        id=_matching_id(root, path),
        version=root.text("version"),
        title=root.text("title"),
        short_title=root.text("short_title"),
        description=root.text("description"),
        recall_period=root.text("recall_period"),
        items=_items(root),
        scoring=_scoring(root, check_source),
        bands=_bands(root, check_source),
        no_bands_reason=root.text("no_bands_reason", optional=True)
        if "no_bands_reason" in root.data
        else None,
        flags=tuple(_flag(row, check_source) for row in root.rows("flags")),
        cut_points=tuple(_cut_point(row, check_source) for row in root.rows("cut_points")),
        subscales=tuple(_subscale(row, check_source) for row in root.rows("subscales")),
        exclusions=tuple(_exclusion(row, check_source) for row in root.rows("exclusions")),
        meaningful_change=_optional(root, "meaningful_change", _meaningful_change, check_source),
        response=_optional(root, "response", _response, check_source),
        remission=_optional(root, "remission", _remission, check_source),
        default_interval_days=root.get("default_interval_days", int, optional=True),
        missing_item_rule=root.text("missing_item_rule"),
        licence=root.text("licence"),
        attribution=root.text("attribution"),
        loinc=_loinc(root, check_source),
        sources=sources,
        as_of=root.get("as_of", date),
    )
    _check_consistency(root, instrument)
    return instrument


SourceCheck = Callable[[Fields, str], str]


def _source_checker(root: Fields, known: set[str]) -> SourceCheck:
    if not known:
        root.fail("sources", "must list at least one source")

    def check(fields: Fields, key: str) -> str:
        source_id = fields.text(key)
        if source_id not in known:
            fields.fail(key, f"source {source_id!r} is not listed in sources")
        return source_id

    return check


def _matching_id(root: Fields, path: str) -> str:
    instrument_id = root.text("id")
    if not path.endswith(f"/{instrument_id}.yaml"):
        root.fail("id", f"{instrument_id!r} does not match the file name")
    return instrument_id


def _source(row: Fields) -> Source:
    row.only({"id", "title", "url", "doi"})
    url = row.text("url", optional=True) if "url" in row.data else None
    doi = row.text("doi", optional=True) if "doi" in row.data else None
    if url is None and doi is None:
        row.fail("url", "a source needs a url or a doi")
    return Source(id=row.text("id"), title=row.text("title"), url=url, doi=doi)


def _options(rows: list[Fields]) -> tuple[Option, ...]:
    options = []
    for row in rows:
        row.only({"label", "value"})
        options.append(Option(label=row.text("label"), value=row.number("value")))
    return tuple(options)


def _items(root: Fields) -> tuple[Item, ...]:
    shared = _options(root.rows("options")) if "options" in root.data else ()
    items = []
    for row in root.rows("items"):
        row.only({"id", "text", "loinc", "options", "scored"})
        options = _options(row.rows("options")) if "options" in row.data else shared
        if not options:
            row.fail("options", "the item has no answer options")
        loinc = row.text("loinc", optional=True) if "loinc" in row.data else None
        scored = row.get("scored", bool) if "scored" in row.data else True
        items.append(Item(row.text("id"), row.text("text"), options, loinc, scored))
    if not items:
        root.fail("items", "must list at least one item")
    return tuple(items)


def _scoring(root: Fields, check_source: SourceCheck) -> Scoring:
    scoring = root.child("scoring")
    assert scoring is not None
    scoring.only({"method", "min", "max", "source"})
    method = scoring.text("method")
    if method not in METHODS:
        scoring.fail("method", f"must be one of {', '.join(METHODS)}")
    return Scoring(
        cast(ScoringMethod, method),
        scoring.number("min"),
        scoring.number("max"),
        check_source(scoring, "source"),
    )


def _bands(root: Fields, check_source: SourceCheck) -> tuple[Band, ...]:
    rows = root.rows("bands")
    if not rows:
        root.text("no_bands_reason")
        return ()
    check_source(root, "bands_source")
    bands = []
    for row in rows:
        row.only({"code", "label", "min", "max"})
        bands.append(
            Band(row.text("code"), row.text("label"), row.number("min"), row.number("max"))
        )
    return tuple(bands)


def _flag(row: Fields, check_source: SourceCheck) -> Flag:
    row.only({"code", "item", "min_value", "label", "source"})
    return Flag(
        row.text("code"),
        row.text("item"),
        row.number("min_value"),
        row.text("label"),
        check_source(row, "source"),
    )


def _cut_point(row: Fields, check_source: SourceCheck) -> CutPoint:
    row.only({"code", "label", "min", "sex", "source"})
    sex = row.text("sex", optional=True) if "sex" in row.data else None
    if sex not in (None, "female", "male"):
        row.fail("sex", "must be female or male")
    return CutPoint(
        row.text("code"), row.text("label"), row.number("min"), sex, check_source(row, "source")
    )


def _subscale(row: Fields, check_source: SourceCheck) -> Subscale:
    row.only({"code", "label", "items", "source"})
    items = tuple(str(i) for i in row.get("items", list))
    return Subscale(row.text("code"), row.text("label"), items, check_source(row, "source"))


def _exclusion(row: Fields, check_source: SourceCheck) -> Exclusion:
    row.only({"when_item", "when_value", "excluded_items", "reason", "source"})
    excluded = tuple(str(i) for i in row.get("excluded_items", list))
    return Exclusion(
        row.text("when_item"),
        row.number("when_value"),
        excluded,
        row.text("reason"),
        check_source(row, "source"),
    )


def _optional(
    root: Fields, key: str, build: Callable[[Fields, SourceCheck], T], check_source: SourceCheck
) -> T | None:
    child = root.child(key, optional=True)
    if child is None:
        if key == "meaningful_change":
            root.text("no_meaningful_change_reason")
        return None
    return build(child, check_source)


def _meaningful_change(row: Fields, check_source: SourceCheck) -> MeaningfulChange:
    row.only({"points", "percent", "text", "source", "applies_to"})
    points = row.number("points") if "points" in row.data else None
    percent = row.number("percent") if "percent" in row.data else None
    if (points is None) == (percent is None):
        row.fail("points", "give exactly one of points or percent")
    applies_to = row.data.get("applies_to", "either")
    if applies_to not in ("either", "improvement"):
        row.fail("applies_to", "must be either or improvement")
    return MeaningfulChange(
        row.text("text"), check_source(row, "source"), points, percent, applies_to
    )


def _response(row: Fields, check_source: SourceCheck) -> Response:
    row.only({"percent_reduction", "text", "source"})
    return Response(row.number("percent_reduction"), row.text("text"), check_source(row, "source"))


def _remission(row: Fields, check_source: SourceCheck) -> Remission:
    row.only({"max_total", "text", "source"})
    return Remission(row.number("max_total"), row.text("text"), check_source(row, "source"))


def _loinc(root: Fields, check_source: SourceCheck) -> Loinc:
    row = root.child("loinc")
    assert row is not None
    row.only({"panel", "total", "source", "note"})
    panel = row.text("panel", optional=True)
    total = row.text("total", optional=True)
    note = row.text("note", optional=True)
    source = check_source(row, "source") if row.data.get("source") is not None else None
    if (panel or total) and source is None:
        row.fail("source", "a LOINC code needs the source that verifies it")
    if not (panel and total) and note is None:
        row.fail("note", "say why a LOINC code is missing")
    return Loinc(panel, total, note, source)


def _check_consistency(root: Fields, instrument: Instrument) -> None:
    item_ids = set(instrument.item_ids)
    if len(item_ids) != len(instrument.items):
        root.fail("items", "item ids must be unique")
    referenced = [f.item for f in instrument.flags]
    referenced += [i for s in instrument.subscales for i in s.items]
    referenced += [i for e in instrument.exclusions for i in (e.when_item, *e.excluded_items)]
    for item_id in referenced:
        if item_id not in item_ids:
            root.fail("items", f"{item_id!r} is referenced but not an item")
    _check_partition(root, instrument)


def _check_partition(root: Fields, instrument: Instrument) -> None:
    expected = instrument.scoring.min
    for band in instrument.bands:
        if band.min != expected or band.max < band.min:
            root.fail("bands", f"band {band.code!r} must start at {expected} (no gaps or overlaps)")
        expected = band.max + 1
    if instrument.bands and instrument.bands[-1].max != instrument.scoring.max:
        root.fail("bands", f"the last band must end at {instrument.scoring.max}")
