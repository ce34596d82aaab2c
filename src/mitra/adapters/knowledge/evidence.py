"""Read the sourced knowledge files (sources, evidence, legal status) into the model.

Help lines are read by `help_lines.py` with the same reader.

Every reader checks the shape of what it reads; anything malformed raises ConfigurationError naming
the file, the entry and the field, so a broken data file fails the test suite and the app start,
never a user's page. Readers are strict: a field no reader knows (a misspelt `seven_oh_staus`)
fails loading, naming the file, entry and field, instead of being silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from enum import Enum
from typing import Any, NoReturn, TypeVar

from mitra.adapters.knowledge.loader import knowledge_files, read_yaml
from mitra.domain.checks import parse_enum
from mitra.domain.evidence import (
    Claim,
    Grade,
    Graded,
    JurisdictionStatus,
    LegalStatus,
    Locality,
    Risk,
    Source,
    Study,
    Topic,
    is_jurisdiction_code,
)
from mitra.domain.legal import EventType, LegalEvent, Measure, Operator, Scope, Substance, Threshold
from mitra.errors import ConfigurationError, InvalidInputError

SOURCES_FILE = "sources.yaml"
SOURCES_FOLDER = "sources"
CLAIMS_FILE = "evidence/claims.yaml"
RISKS_FILE = "evidence/risks.yaml"
ABOUT_FILE = "evidence/about.yaml"
TREATMENTS_FILE = "evidence/treatments.yaml"
LEGAL_FOLDER = "legal"

T = TypeVar("T")
C = TypeVar("C", bound=Enum)
G = TypeVar("G", bound=Graded)
Entry = Mapping[str, Any]


class _Seen(Mapping[str, Any]):
    """An entry that remembers which fields were asked for (`get`, `[]` or `in`)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data, self.seen = data, set[str]()

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class _Reader:
    """Field access on one entry of one file; every problem names `file: where.field`."""

    def __init__(self, path: str, where: str, entry: Any) -> None:
        self.path, self.where = path, where
        if not isinstance(entry, Mapping):
            self.fail("", "must be a mapping")
        self.entry: _Seen = _Seen(entry)
        self.children: list[_Reader] = []

    def get(self, field: str) -> Any:
        """A field's value (None when absent), remembered as known for `check_known`."""
        return self.entry.get(field)

    def check_known(self) -> None:
        """Refuse any field (here or in a nested entry) that no reader asked for."""
        unknown = sorted(str(k) for k in self.entry.data if k not in self.entry.seen)
        if unknown:
            self.fail(unknown[0], "is not a known field (misspelt?)")
        for child in self.children:
            child.check_known()

    def fail(self, field: str, reason: str) -> NoReturn:
        name = f"{self.where}.{field}" if field else self.where
        raise ConfigurationError(f"knowledge file {self.path}: {name} {reason}")

    def text(self, field: str) -> str:
        value = self.get(field)
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            self.fail(field, "must be non-empty text")
        return str(value)

    def optional_text(self, field: str) -> str:
        return self.text(field) if self.get(field) is not None else ""

    def optional_int(self, field: str) -> int | None:
        value = self.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self.fail(field, "must be a whole number")
        return value

    def number(self, field: str) -> float:
        value = self.get(field)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.fail(field, "must be a number, 0 or more")
        return float(value)

    def day(self, field: str) -> date:
        value = self.get(field)
        if not isinstance(value, date):
            self.fail(field, "must be a date (YYYY-MM-DD)")
        return value

    def optional_day(self, field: str) -> date | None:
        return self.day(field) if self.get(field) is not None else None

    def ids(self, field: str) -> tuple[str, ...]:
        value = self.get(field)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.fail(field, "must be a non-empty list of source ids")
        return tuple(value)

    def choice(self, field: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(self.text(field))
        except InvalidInputError as exc:
            self.fail(field, "; ".join(problem.reason for problem in exc.problems))

    def code(self, field: str, enum: type[C]) -> C:
        """An enum member from its code (`measure: mg_per_item`)."""
        return self.choice(field, lambda code: parse_enum(enum, code, field))

    def optional_choice(self, field: str, parse: Callable[[str], T]) -> T | None:
        return self.choice(field, parse) if self.get(field) is not None else None

    def readers(self, field: str) -> list[_Reader]:
        """A reader for each entry of an optional nested list (`studies`, `localities`)."""
        raw = self.get(field) or []
        if not isinstance(raw, list):
            self.fail(field, "must be a list")
        found = [_Reader(self.path, f"{self.where}.{field}[{i}]", e) for i, e in enumerate(raw)]
        self.children += found
        return found

    def jurisdiction(self, field: str) -> str:
        code = self.text(field)
        if not is_jurisdiction_code(code):
            self.fail(field, f"{code!r} is not an ISO 3166 code (US, US-AL) or INTL")
        return code


def _entries(path: str, key: str) -> list[tuple[str, Any]]:
    document = read_yaml(path)
    if not isinstance(document, Mapping) or not isinstance(document.get(key), list):
        raise ConfigurationError(f"knowledge file {path}: top level must have a list {key!r}")
    return [(f"{key}[{index}]", entry) for index, entry in enumerate(document[key])]


def _read_all(path: str, key: str, build: Callable[[_Reader], T]) -> list[T]:
    return [_build(build, _Reader(path, where, entry)) for where, entry in _entries(path, key)]


def _build(build: Callable[[_Reader], T], reader: _Reader) -> T:
    item = build(reader)
    reader.check_known()
    return item


def _source(r: _Reader) -> Source:
    source = Source(
        id=r.text("id"),
        title=r.text("title"),
        authors=tuple(str(a) for a in r.get("authors") or ()),
        year=r.optional_int("year"),
        kind=r.text("kind"),
        url=r.optional_text("url") or None,
        doi=r.optional_text("doi") or None,
        pmid=r.optional_text("pmid") or None,
        note=r.optional_text("seen"),
    )
    if not source.link:
        r.fail("url", "or doi is required")
    return source


def _study(r: _Reader) -> Study:
    return Study(
        design=r.text("design"),
        population=r.text("population"),
        finding=r.text("finding"),
        limitation=r.text("limitation"),
        source=r.text("source"),
        n=r.optional_int("n"),
    )


def _studies(r: _Reader) -> tuple[Study, ...]:
    return tuple(_study(study) for study in r.readers("studies"))


def _graded(kind: type[G]) -> Callable[[_Reader], G]:
    """A reader of one graded entry (a Claim or a Risk: the same fields)."""

    def build(r: _Reader) -> G:
        return kind(
            id=r.text("id"),
            title=r.text("title"),
            grade=r.choice("grade", Grade.from_code),
            summary=r.text("summary"),
            studies=_studies(r),
            sources=r.ids("sources"),
            as_of=r.day("as_of"),
        )

    return build


def _topic(r: _Reader) -> Topic:
    return Topic(
        id=r.text("id"),
        title=r.text("title"),
        summary=r.text("summary"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
    )


def _jurisdiction(r: _Reader) -> JurisdictionStatus:
    return JurisdictionStatus(
        code=r.jurisdiction("code"),
        name=r.text("name"),
        status=r.choice("status", LegalStatus.from_code),
        summary=r.text("summary"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
        seven_oh_status=r.optional_choice("seven_oh_status", LegalStatus.from_code),
        effective=r.optional_day("effective"),
        notes=r.optional_text("notes"),
        localities=tuple(_locality(n) for n in r.readers("localities")),
        events=tuple(_event(e) for e in r.readers("events")),
    )


def _event(r: _Reader) -> LegalEvent:
    return LegalEvent(
        day=r.day("date"),
        type=r.code("type", EventType),
        summary=r.text("summary"),
        sources=r.ids("sources"),
        thresholds=(
            tuple(_threshold(t) for t in r.readers("thresholds"))
            if "thresholds" in r.entry
            else None
        ),
        seven_oh_status=r.optional_choice("seven_oh_status", LegalStatus.from_code),
    )


def _threshold(r: _Reader) -> Threshold:
    return Threshold(
        substance=r.code("substance", Substance),
        measure=r.code("measure", Measure),
        operator=r.code("operator", Operator),
        value=r.number("value"),
        scope=r.code("scope", Scope),
        note=r.optional_text("note"),
    )


def _locality(r: _Reader) -> Locality:
    return Locality(
        name=r.text("name"),
        status=r.choice("status", LegalStatus.from_code),
        summary=r.text("summary"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
        effective=r.optional_day("effective"),
    )


def _unique(path: str, items: list[T], key: Callable[[T], str]) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        if key(item) in found:
            raise ConfigurationError(f"knowledge file {path}: id {key(item)!r} appears twice")
        found[key(item)] = item
    return found


def load_sources() -> dict[str, Source]:
    """Every source, by id: `sources.yaml` plus every file in `sources/` (one per topic)."""
    paths = [SOURCES_FILE, *knowledge_files(SOURCES_FOLDER)]
    entries = [source for path in paths for source in _read_all(path, "sources", _source)]
    return _unique(SOURCES_FILE, entries, lambda s: s.id)


def load_claims() -> list[Claim]:
    claims = _read_all(CLAIMS_FILE, "claims", _graded(Claim))
    _unique(CLAIMS_FILE, claims, lambda c: c.id)
    return claims


def load_risks() -> list[Risk]:
    risks = _read_all(RISKS_FILE, "risks", _graded(Risk))
    _unique(RISKS_FILE, risks, lambda r: r.id)
    return risks


def load_about() -> list[Topic]:
    return _read_all(ABOUT_FILE, "topics", _topic)


def load_treatments() -> list[Topic]:
    return _read_all(TREATMENTS_FILE, "treatments", _topic)


def load_legal() -> dict[str, JurisdictionStatus]:
    """Legal status by jurisdiction code, from every file in `legal/`."""
    entries = [
        status
        for path in knowledge_files(LEGAL_FOLDER)
        for status in _read_all(path, "jurisdictions", _jurisdiction)
    ]
    return _unique(LEGAL_FOLDER, entries, lambda j: j.code)
