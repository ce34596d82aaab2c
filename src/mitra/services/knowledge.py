"""Knowledge use cases: evidence for a claim, risks, background, care pointers, legal status by
jurisdiction, help lines by country, and full-text search across all of it.

Everything here reads the sourced knowledge files (cached once per process: they ship with the
package and do not change while it runs); only the user's own country comes from the journal.
Each entry is handed out with its sources resolved and, when it was checked more than 12 months
before the `today` the caller passes in, a "may be out of date" note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Generic, TypeVar

from mitra.adapters.knowledge import evidence as files
from mitra.adapters.knowledge import help_lines as lines_file
from mitra.domain import evidence as model
from mitra.domain.clock import local_day
from mitra.domain.dialing import dial_strings
from mitra.domain.evidence import (
    INTERNATIONAL,
    Claim,
    CrisisLine,
    EmergencyNumber,
    JurisdictionStatus,
    LineKind,
    Locality,
    Risk,
    Source,
    Study,
    Topic,
)
from mitra.domain.help_lines import LineGap
from mitra.errors import NotFoundError
from mitra.services import places
from mitra.services.context import Mitra
from mitra.services.questionnaires import read_profile

E = TypeVar(
    "E", Claim, Risk, Topic, JurisdictionStatus, Locality, CrisisLine, EmergencyNumber, LineGap
)

SECTIONS = {
    "claims": "Claimed benefits",
    "risks": "Risks",
    "about": "About kratom",
    "care": "Evidence-based care",
    "legal": "Legal status",
    "help": "Help lines",
}
SNIPPET_CHARS = 180


@dataclass(frozen=True)
class StudyRow:
    """One row of an evidence table: the study and the source it comes from."""

    study: Study
    source: Source


@dataclass(frozen=True)
class Shown(Generic[E]):
    """An entry as the user meets it: its sources resolved, and a note when it may be stale."""

    entry: E
    sources: tuple[Source, ...]
    stale_note: str = ""
    studies: tuple[StudyRow, ...] = ()

    @property
    def stale(self) -> bool:
        return bool(self.stale_note)


@dataclass(frozen=True)
class LegalAnswer:
    """The legal status shown for the code asked about, with the local rules (city and county
    bans) inside it; a subdivision may fall back to its country, and `fallback_note` says so.
    For a subdivision with its own entry, `federal` is its country's entry (federal law applies
    there too), and `seven_oh_note` says when the federal 7-OH status is the only one Mitra has."""

    asked: str
    shown: Shown[JurisdictionStatus]
    fallback_note: str = ""
    localities: tuple[Shown[Locality], ...] = ()
    federal: Shown[JurisdictionStatus] | None = None
    seven_oh_note: str = ""


@dataclass(frozen=True)
class MyJurisdiction:
    """The user's own jurisdiction (None before onboarding) and its legal status if known."""

    code: str | None
    answer: LegalAnswer | None


@dataclass(frozen=True)
class HelpLines:
    """Help lines for a country, crisis lines first, with the international fallback."""

    country: str
    lines: tuple[Shown[CrisisLine], ...]
    emergency: Shown[EmergencyNumber] | None
    international_only: bool
    no_24h_line: Shown[LineGap] | None = None
    name: str = ""

    @property
    def first(self) -> CrisisLine | None:
        """The line to call first: the country's own first crisis line with a phone number
        (file order), never the international fallback."""
        own = model.country_of(self.country)
        for item in self.lines:
            line = item.entry
            if line.kind is LineKind.CRISIS and line.country == own and line.phone:
                return line
        return None

    @property
    def rest(self) -> tuple[Shown[CrisisLine], ...]:
        """Every line but the first one."""
        return tuple(item for item in self.lines if item.entry is not self.first)


@dataclass(frozen=True)
class Document:
    """One searchable entry: the section it is in, its id, title and text."""

    section: str
    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class Hit:
    """A search result: where it is, what it is called, a snippet, and its score."""

    section: str
    id: str
    title: str
    snippet: str
    score: int

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section]


# --- cached knowledge ---------------------------------------------------------------------------


@cache
def bibliography() -> dict[str, Source]:
    return files.load_sources()


@cache
def _claims() -> tuple[Claim, ...]:
    return tuple(files.load_claims())


@cache
def _risks() -> tuple[Risk, ...]:
    return tuple(files.load_risks())


@cache
def _about() -> tuple[Topic, ...]:
    return tuple(files.load_about())


@cache
def _care() -> tuple[Topic, ...]:
    return tuple(files.load_treatments())


@cache
def _legal() -> dict[str, JurisdictionStatus]:
    return files.load_legal()


def legal_entries() -> dict[str, JurisdictionStatus]:
    """Every legal entry by code (read once per process)."""
    return _legal()


def today(mitra: Mitra) -> date:
    """Today in the user's zone: the date staleness is judged against."""
    return local_day(mitra.now(), mitra.timezone())


def stale_note(as_of: date, today: date) -> str:
    if not model.is_stale(as_of, today):
        return ""
    months = model.STALE_AFTER_MONTHS
    return f"May be out of date: last checked {as_of.isoformat()}, more than {months} months ago."


def show(entry: E, today: date, studies: Iterable[Study] = ()) -> Shown[E]:
    """The entry with its sources (and each study's source) resolved and its staleness judged."""
    sources = bibliography()
    rows = tuple(StudyRow(study, sources[study.source]) for study in studies)
    cited = tuple(sources[source_id] for source_id in entry.sources)
    return Shown(entry, cited, stale_note(entry.as_of, today), rows)


# --- evidence, risks, background, care ----------------------------------------------------------


def _find(entries: Iterable[E], prefix: str, wanted: str, what: str) -> E:
    key = wanted.strip().lower()
    full = key if key.startswith(prefix) else prefix + key
    for entry in entries:
        if getattr(entry, "id", None) == full:
            return entry
    raise NotFoundError(f"no {what} {wanted!r} in the knowledge base")


def list_claims(today: date) -> list[Shown[Claim]]:
    """Every claimed benefit, in file order, with its grade."""
    return [show(claim, today, claim.studies) for claim in _claims()]


def get_claim(claim_id: str, today: date) -> Shown[Claim]:
    """One claim by id (`claim.anxiety` or just `anxiety`), with its evidence table."""
    claim = _find(_claims(), "claim.", claim_id, "claim")
    return show(claim, today, claim.studies)


def list_risks(today: date) -> list[Shown[Risk]]:
    return [show(risk, today, risk.studies) for risk in _risks()]


def get_risk(risk_id: str, today: date) -> Shown[Risk]:
    """One risk by id (`risk.liver` or just `liver`), with its evidence table."""
    risk = _find(_risks(), "risk.", risk_id, "risk")
    return show(risk, today, risk.studies)


def about_topics(today: date) -> list[Shown[Topic]]:
    """Background on the plant, its alkaloids, mechanism and reported use (descriptive)."""
    return [show(topic, today) for topic in _about()]


def care_topics(today: date) -> list[Shown[Topic]]:
    """What clinical sources say about care, framed as things to talk to a professional about."""
    return [show(topic, today) for topic in _care()]


# --- legal status -------------------------------------------------------------------------------


def _code(text: str, field: str) -> str:
    """The code of the place `text` names (a code, a name or an alias: `Florida` -> US-FL)."""
    return places.resolve(text, field).code


def list_legal(today: date) -> list[Shown[JurisdictionStatus]]:
    """Every jurisdiction with an entry, each country followed by its subdivisions."""
    entries = sorted(_legal().values(), key=lambda j: (model.country_of(j.code), j.code))
    return [show(entry, today) for entry in entries]


def legal_status(code: str, today: date) -> LegalAnswer:
    """The entry for `code`; a subdivision without one (US-TX) falls back to its country (US).

    Raises NotFoundError naming the code when neither has an entry.
    """
    wanted = _code(code, "jurisdiction")
    entries = _legal()
    country = model.country_of(wanted)
    if wanted in entries:
        federal = entries.get(country) if country != wanted else None
        return _answer(wanted, entries[wanted], today, federal=federal)
    if country != wanted and country in entries:
        note = (
            f"Mitra has no entry for {wanted}, so this is the entry for {country}, "
            f"{entries[country].name}. Local law may add to it."
        )
        return _answer(wanted, entries[country], today, note)
    raise NotFoundError(f"no legal-status entry for {wanted!r} in the knowledge base")


def _answer(
    asked: str,
    entry: JurisdictionStatus,
    today: date,
    note: str = "",
    federal: JurisdictionStatus | None = None,
) -> LegalAnswer:
    localities = tuple(show(locality, today) for locality in entry.localities)
    seven_oh_note = ""
    if federal is not None and entry.seven_oh_status is None and federal.seven_oh_status:
        seven_oh_note = (
            f"Mitra has no 7-OH entry for {entry.name}, so the federal 7-OH status applies: "
            f"{federal.seven_oh_status.value}."
        )
    shown_federal = None if federal is None else show(federal, today)
    return LegalAnswer(asked, show(entry, today), note, localities, shown_federal, seven_oh_note)


def my_jurisdiction(mitra: Mitra) -> MyJurisdiction:
    """The country saved at onboarding and its legal status (None where Mitra has no entry)."""
    code = read_profile(mitra).country
    if code is None or code == INTERNATIONAL:
        return MyJurisdiction(None, None)
    try:
        return MyJurisdiction(code, legal_status(code, today(mitra)))
    except NotFoundError:
        return MyJurisdiction(code, None)


# --- help lines ---------------------------------------------------------------------------------


def help_lines(country: str, today: date) -> HelpLines:
    """The country's lines (a subdivision uses its country), crisis lines first, then the
    international fallback; `international_only` when Mitra has none for the country."""
    code = _code(country, "country")
    unique: list[CrisisLine] = []
    for line in lines_file.crisis_lines_for(code):
        if line not in unique:
            unique.append(line)
    wanted = model.country_of(code)
    emergency = lines_file.load_emergency_numbers().get(wanted)
    gap = lines_file.load_line_gaps().get(wanted)
    return HelpLines(
        country=code,
        lines=tuple(show(line, today) for line in unique),
        emergency=None if emergency is None else show(emergency, today),
        international_only=not any(line.country == wanted != INTERNATIONAL for line in unique),
        no_24h_line=None if gap is None else show(gap, today),
        name=places.name_of(code),
    )


@cache
def known_numbers() -> frozenset[str]:
    """The dial string of every help-line and emergency number Mitra ships: the numbers to
    link when they appear in free text such as an alert's advice."""
    lines = [line.phone for line in lines_file.load_crisis_lines()]
    emergency = [e.number for e in lines_file.load_emergency_numbers().values()]
    return dial_strings(lines + emergency)


def my_country(mitra: Mitra) -> str:
    """The user's country, or INTL before onboarding."""
    return read_profile(mitra).country or INTERNATIONAL


def my_help_lines(mitra: Mitra) -> HelpLines:
    """The help lines and emergency number for the person's own place (INTL before they said)."""
    return help_lines(my_country(mitra), today(mitra))


# --- search -------------------------------------------------------------------------------------


@cache
def _index() -> tuple[Document, ...]:
    """Every entry as a searchable document, built once per process."""
    docs = [Document("claims", c.id, c.title, c.summary) for c in _claims()]
    docs += [Document("risks", r.id, r.title, r.summary) for r in _risks()]
    docs += [Document("about", t.id, t.title, t.summary) for t in _about()]
    docs += [Document("care", t.id, t.title, t.summary) for t in _care()]
    docs += [
        Document("legal", j.code, j.title, _legal_text(j))
        for j in sorted(_legal().values(), key=lambda j: j.code)
    ]
    docs += [
        Document("help", line.country, f"{line.name} ({line.country})", line.purpose)
        for line in lines_file.load_crisis_lines()
    ]
    return tuple(docs)


def _legal_text(j: JurisdictionStatus) -> str:
    local = " ".join(f"{place.name}: {place.summary}" for place in j.localities)
    events = " ".join(event.summary for event in j.events)
    return " ".join(part for part in (j.summary, j.notes, local, events) if part)


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the first query word it contains."""
    lowered, words = text.lower(), model.terms(query)
    found = [at for word in words if (at := lowered.find(word)) >= 0]
    start = max(0, min(found, default=0) - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + width
    clipped = text[start:end].strip()
    return ("…" if start else "") + clipped + ("…" if end < len(text) else "")


def search(query: str, limit: int = 50) -> list[Hit]:
    """Entries matching any word of `query`, best first: a title match counts twice a summary
    match; ties keep the order of the sections."""
    words = model.terms(query)
    hits = [
        Hit(doc.section, doc.id, doc.title, snippet(doc.summary, query), model.score(doc, words))
        for doc in model.search(_index(), query)
    ]
    return hits[:limit]
