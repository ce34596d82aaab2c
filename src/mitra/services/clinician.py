"""The clinician's view (issue #21): a dashboard of consenting patients, and one patient's page.

Each patient's data is read through that person's own journal (`Mitra.for_journal`) with the
existing services (questionnaires, safety, journal entries, taper), and only what the consent
grants: kinds out of scope are never read, and entries before the consented period are dropped.
Every look writes an audit event first (`services.audit.record`), naming what was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mitra.adapters.store import clinic as clinic_store
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.clock import local_day
from mitra.domain.consent import Consent, Role, Shared
from mitra.domain.responses import crisis_flags
from mitra.domain.safety import Severity
from mitra.services import audit, consent, entries, questionnaires, registry, safety, taper
from mitra.services.context import Mitra

INSTRUMENTS = ("phq9", "gad7", "pcl5", "peg", "sows")
TREND_DAYS = 14
SORTS = ("priority", "name", *INSTRUMENTS, "alerts", "kratom", "last_entry")
# What each look reads, per kind: the dashboard row reads these kinds when granted.
ROW_KINDS = (Shared.QUESTIONNAIRES, Shared.ALERTS, Shared.USES, Shared.TAPER)


@dataclass(frozen=True)
class Cell:
    """One instrument's latest score in the consented period."""

    total: float | None
    band: str | None
    taken_on: date
    change: str | None  # "improved", "worse", "no meaningful change", or None (no earlier score)
    item9: bool


@dataclass(frozen=True)
class Row:
    consent_id: int
    name: str
    kinds: frozenset[Shared]
    scores: dict[str, Cell]
    crisis_alerts: int | None
    urgent_alerts: int | None
    kratom: str | None  # the trend in words, None when use is not shared
    kratom_change: float | None  # grams of leaf a day, last 14 days minus the 14 before
    taper: str | None
    last_entry: date | None

    @property
    def item9(self) -> bool:
        return any(cell.item9 for cell in self.scores.values())


def _start(scope_start: date | None) -> datetime | None:
    if scope_start is None:
        return None
    return datetime.combine(scope_start, datetime.min.time(), UTC) - timedelta(days=1)


def _in_period(at: datetime, tz: str, start: date | None) -> bool:
    return start is None or local_day(at, tz) >= start


def _cell(result: questionnaires.Result) -> Cell:
    change = result.change
    if change is None or change.meaningful is None:
        words = None
    elif not change.meaningful:
        words = "no meaningful change"
    else:
        words = "improved" if change.direction == "decreased" else "worse"
    score = result.response.score
    return Cell(
        total=None if score.total is None else float(score.total),
        band=score.band_label,
        taken_on=local_day(result.response.taken_at, result.response.tz),
        change=words,
        item9=any(flag.code == "crisis.phq9_item9" for flag in crisis_flags(score)),
    )


def _scores(journal: Mitra, start: date | None) -> dict[str, Cell]:
    cells = {}
    for instrument_id in INSTRUMENTS:
        result = questionnaires.latest(journal, instrument_id)
        if result is not None and _in_period(result.response.taken_at, result.response.tz, start):
            if result.previous is not None:
                if not _in_period(result.previous.taken_at, result.previous.tz, start):
                    result = questionnaires.Result(
                        result.response, result.instrument, None, None
                    )  # the earlier score lies outside the consent: no change shown
            cells[instrument_id] = _cell(result)
    return cells


def _kratom(
    journal: Mitra, today: date, start: date | None
) -> tuple[str, float | None, date | None]:
    begin = today - timedelta(days=2 * TREND_DAYS - 1)
    if start is not None:
        begin = max(begin, start)
    uses = entries.list_all(journal, registry.kind_named("uses"), since=_start(begin))
    uses = [u for u in uses if _in_period(u.taken_at, u.tz, begin)]
    recent = sum(
        u.grams_leaf or 0.0
        for u in uses
        if local_day(u.taken_at, u.tz) > today - timedelta(days=TREND_DAYS)
    )
    earlier = sum(u.grams_leaf or 0.0 for u in uses) - recent
    last = max((local_day(u.taken_at, u.tz) for u in uses), default=None)
    if not uses:
        return f"no use logged (last {2 * TREND_DAYS} days)", None, None
    per_day_recent = recent / TREND_DAYS
    if start is not None and start > today - timedelta(days=2 * TREND_DAYS - 1):
        return f"{per_day_recent:.1f} g/day (last {TREND_DAYS} days)", None, last
    change = per_day_recent - earlier / TREND_DAYS
    arrow = "rising" if change > 0.05 else "falling" if change < -0.05 else "steady"
    return f"{per_day_recent:.1f} g/day, {arrow} ({change:+.1f})", change, last


def build_row(mitra: Mitra, granted: Consent, journal_id: int, day: date) -> Row:
    journal = mitra.for_journal(journal_id)
    scope = granted.scope
    start = scope.start(day)
    scores = _scores(journal, start) if scope.covers(Shared.QUESTIONNAIRES) else {}
    crisis = urgent = None
    if scope.covers(Shared.ALERTS):
        shown = [a for a in safety.open_alerts(journal) if _in_period(a.last_seen, "UTC", start)]
        crisis = sum(1 for a in shown if a.alert.severity is Severity.CRISIS)
        urgent = sum(1 for a in shown if a.alert.severity is Severity.URGENT)
    kratom = change = last_use = None
    if scope.covers(Shared.USES):
        kratom, change, last_use = _kratom(journal, day, start)
    plan = None
    if scope.covers(Shared.TAPER):
        view = taper.current(journal)
        plan = "no plan" if view is None else view.where.state.value
    dates = [cell.taken_on for cell in scores.values()] + ([last_use] if last_use else [])
    return Row(
        consent_id=granted.id,
        name=granted.person_name,
        kinds=scope.kinds,
        scores=scores,
        crisis_alerts=crisis,
        urgent_alerts=urgent,
        kratom=kratom,
        kratom_change=change,
        taper=plan,
        last_entry=max(dates, default=None),
    )


def _sort_key(sort: str) -> Callable[[Row], tuple[Any, ...]]:
    def key(row: Row) -> tuple[Any, ...]:
        if sort == "name":
            return (row.name,)
        if sort in INSTRUMENTS:
            cell = row.scores.get(sort)
            return (cell is None, -(cell.total or 0) if cell else 0, row.name)
        if sort == "alerts":
            return (-(row.crisis_alerts or 0), -(row.urgent_alerts or 0), row.name)
        if sort == "kratom":
            return (row.kratom_change is None, -(row.kratom_change or 0), row.name)
        if sort == "last_entry":
            return (row.last_entry is None, -(row.last_entry.toordinal() if row.last_entry else 0))
        return (not row.item9, -(row.crisis_alerts or 0), -(row.urgent_alerts or 0), row.name)

    return key


def _words(kinds: frozenset[Shared], wanted: tuple[Shared, ...]) -> str:
    return " ".join(kind.value for kind in wanted if kind in kinds)


PAGE_SIZE = 50
CHEAP_SORTS = ("priority", "alerts", "name")  # sorted from keys, not whole rows


@dataclass(frozen=True)
class Board:
    rows: list[Row]
    sort: str
    page: int
    pages: int
    total: int


def _attention(mitra: Mitra, granted: Consent, journal_id: int, day: date) -> tuple[Any, ...]:
    """The priority key of one patient from one query, and only from the kinds shared: the
    item-9 alert is a questionnaire fact as well as an alert; the counts need alerts shared."""
    kinds, start = granted.scope.kinds, granted.scope.start(day)
    if not kinds & {Shared.ALERTS, Shared.QUESTIONNAIRES}:
        return (True, 0, 0, granted.person_name)
    since = None if start is None else datetime.combine(start, datetime.min.time(), UTC)
    with mitra.for_journal(journal_id).store.read() as conn:
        item9, crisis, urgent = clinic_store.open_alert_counts(conn, since)
    if Shared.ALERTS not in kinds:
        crisis = urgent = 0
    return (not item9, -crisis, -urgent, granted.person_name)


def _order(
    mitra: Mitra, found: list[Consent], journals: dict[int, int], sort: str, day: date
) -> list[Consent]:
    if sort == "name":
        return sorted(found, key=lambda c: c.person_name)
    keys = {c.id: _attention(mitra, c, journals[c.id], day) for c in found}
    if sort == "alerts":
        return sorted(found, key=lambda c: (keys[c.id][1], keys[c.id][2], c.person_name))
    return sorted(found, key=lambda c: keys[c.id])


def dashboard(
    mitra: Mitra,
    clinician: audit.Actor,
    source: str,
    sort: str = "priority",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Board:
    """One row per consenting patient, a page of PAGE_SIZE at a time (item-9 flags first by
    default). The priority, alerts and name orders come from one small query per patient (or
    none), so only the page's rows are built; each row shown is a look, recorded first. The
    other orders need every row, so every patient is read and recorded."""
    sort = sort if sort in SORTS else "priority"
    day = consent.today(mitra)
    found = consent.patients(mitra, clinician.account_id)
    with mitra.for_journal(NO_JOURNAL).store.read() as conn:
        journals = clinic_store.granted_journals(conn, [c.id for c in found])
    pages = max(1, -(-len(found) // page_size))
    page = min(max(page, 1), pages)
    if sort in CHEAP_SORTS:
        ordered = _order(mitra, found, journals, sort, day)
        chosen = ordered[(page - 1) * page_size : page * page_size]
    else:
        chosen = found
    rows = []
    for each in chosen:
        granted, journal_id = consent.granted(mitra, clinician.account_id, each.id)
        audit.record(
            mitra,
            clinician,
            granted,
            what="dashboard",
            kinds=_words(granted.scope.kinds, ROW_KINDS),
            period=granted.scope.period_words(),
            source=source,
        )
        rows.append(build_row(mitra, granted, journal_id, day))
    if sort not in CHEAP_SORTS:
        rows = sorted(rows, key=_sort_key(sort))[(page - 1) * page_size : page * page_size]
    elif sort != "name":
        rows = sorted(rows, key=_sort_key(sort))  # the exact order within the page
    return Board(rows, sort, page, pages, len(found))


def actor(account_id: int, name: str) -> audit.Actor:
    return audit.Actor(account_id, name, Role.CLINICIAN.value)
