"""One consenting patient, seen by their clinician (issue #21): the patient page, the clinician
report (the PDF's own template) and the FHIR bundle, each limited to the consented kinds and
period; and the clinician's questionnaire requests.

Every use case here starts with `look`: the consent must grant the kind asked for today
(`consent.granted`, NotFoundError otherwise), and an audit event is written before anything of
the journal is read. So every clinician read of person data leaves one event in the person's
disclosure log.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mitra.adapters.export import fhir as fhir_export
from mitra.adapters.export.fhir_consent import labelled
from mitra.adapters.reports import html
from mitra.adapters.store import clinic as store
from mitra.adapters.store.responses import responses as stored_responses
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.clock import local_day
from mitra.domain.consent import Consent, Shared
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.taper_review import Review
from mitra.errors import InvalidInputError
from mitra.services import audit, clinician, consent, fhir, questionnaires, reports, taper
from mitra.services.context import Mitra

REPORT_DAYS = 90
# The report's sections each consented kind opens (the rest never show to a clinician:
# conditions, effects and vitals, evidence, the appendix).
SECTIONS_OF = {
    Shared.QUESTIONNAIRES: ("scores", "withdrawal"),
    Shared.CHECKINS: ("ratings",),
    Shared.USES: ("kratom",),
    Shared.MEDICATIONS: ("medications",),
    Shared.ALERTS: ("alerts",),
    Shared.TAPER: ("taper",),
}
REQUESTABLE = clinician.INSTRUMENTS


@dataclass(frozen=True)
class Look:
    consent: Consent
    journal: Mitra
    start: date | None  # the first consented day (None: all)
    today: date


def _words(kinds: frozenset[Shared]) -> str:
    return " ".join(kind.value for kind in Shared if kind in kinds)


def look(
    mitra: Mitra,
    actor: audit.Actor,
    consent_id: int,
    what: str,
    source: str,
    kind: Shared | None = None,
    action: str = "R",
) -> Look:
    """Check the consent, then record the look (before any read), then open the journal."""
    granted, journal_id = consent.granted(mitra, actor.account_id, consent_id, kind)
    kinds = granted.scope.kinds if kind is None else frozenset({kind})
    audit.record(
        mitra,
        actor,
        granted,
        what=what,
        kinds=_words(kinds),
        period=granted.scope.period_words(),
        source=source,
        action=action,
    )
    day = consent.today(mitra)
    return Look(granted, mitra.for_journal(journal_id), granted.scope.start(day), day)


# --- the patient page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    id: int
    instrument_id: str
    requested_at: datetime
    answer: QuestionnaireResponse | None  # the first complete response after the request


@dataclass(frozen=True)
class Page:
    consent: Consent
    row: clinician.Row
    taper: taper.PlanView | None
    requests: list[Request]
    reviews: list[Review]  # the clinician's reviews of the taper plan, newest first
    today: date


def _in_scope(at: datetime, tz: str, start: date | None) -> bool:
    return start is None or local_day(at, tz) >= start


def _requests(mitra: Mitra, seen: Look) -> list[Request]:
    with mitra.for_journal(NO_JOURNAL).store.read() as conn:
        asked = store.requests_of_consent(conn, seen.consent.id)
    if not asked:
        return []
    with seen.journal.store.read() as conn:
        complete = [r for r in stored_responses.list(conn) if r.score.complete]
    found = []
    for row in asked:
        answers = sorted(
            (
                r
                for r in complete
                if r.instrument_id == row["instrument_id"]
                and r.taken_at >= row["requested_at"]
                and _in_scope(r.taken_at, r.tz, seen.start)
            ),
            key=lambda r: r.taken_at,
        )
        found.append(
            Request(
                row["id"],
                row["instrument_id"],
                row["requested_at"],
                answers[0] if answers else None,
            )
        )
    return found


def page(mitra: Mitra, actor: audit.Actor, consent_id: int, source: str) -> Page:
    """What the patient page shows: the dashboard row, the taper plan, the requests."""
    seen = look(mitra, actor, consent_id, "patient page", source)
    row = clinician.build_row(mitra, seen.consent, seen.journal.store.journal_id, seen.today)
    plan = taper.current(seen.journal) if seen.consent.scope.covers(Shared.TAPER) else None
    asked = _requests(mitra, seen) if seen.consent.scope.covers(Shared.QUESTIONNAIRES) else []
    reviews: list[Review] = []
    if seen.consent.scope.covers(Shared.TAPER):
        with mitra.for_journal(NO_JOURNAL).store.read() as conn:
            reviews = store.reviews_of_consent(conn, seen.consent.id)
    return Page(seen.consent, row, plan, asked, reviews, seen.today)


# --- the report -----------------------------------------------------------------------------


def report_sections(kinds: frozenset[Shared]) -> tuple[str, ...]:
    chosen = {s for kind in kinds for s in SECTIONS_OF.get(kind, ())}
    if Shared.QUESTIONNAIRES in kinds:
        chosen.add("insights")  # the questionnaire timelines; the other charts need more kinds
    return tuple(chosen)


def report_period(scope_start: date | None, today: date, days: int) -> tuple[date, date]:
    start = today - timedelta(days=days - 1)
    return (start if scope_start is None else max(start, scope_start)), today


def report_html(
    mitra: Mitra, actor: audit.Actor, consent_id: int, source: str, days: int = REPORT_DAYS
) -> str:
    """The clinician report, live, for the consented kinds over the consented part of the
    last `days` days (ending today)."""
    if days not in reports.OFFERED_DAYS:
        raise InvalidInputError.one("days", f"one of {reports.OFFERED_DAYS}")
    seen = look(mitra, actor, consent_id, "report", source)
    kinds = seen.consent.scope.kinds
    start, end = report_period(seen.start, seen.today, days)
    built = reports.build_report(seen.journal, start, end, report_sections(kinds))
    both = Shared.USES in kinds and Shared.CHECKINS in kinds
    built = dataclasses.replace(
        built,
        place="not shared",
        overview=built.overview if both else None,
        charts=built.charts[:2] if Shared.USES in kinds else (),  # grams and doses, no vitals
        findings=built.findings if both else (),
    )
    return html.render(built)


# --- FHIR -----------------------------------------------------------------------------------


def _without_notes(items: Any, notes: bool) -> list[Any]:
    if notes:
        return list(items)
    return [dataclasses.replace(i, note="") if hasattr(i, "note") and i.note else i for i in items]


def fhir_bundle(mitra: Mitra, actor: audit.Actor, consent_id: int, source: str) -> dict[str, Any]:
    """The FHIR R4 collection Bundle of the consented kinds and period, labelled ETH."""
    seen = look(mitra, actor, consent_id, "FHIR export", source)
    kinds, start = seen.consent.scope.kinds, seen.start
    notes = Shared.NOTES in kinds
    data = fhir.journal_data(seen.journal)

    def kept(items: Any, kind: Shared, when: str) -> list[Any]:
        if kind not in kinds:
            return []
        chosen = [i for i in items if _in_scope(getattr(i, when), i.tz, start)]
        return _without_notes(chosen, notes)

    meds = _without_notes(data.medications, notes) if Shared.MEDICATIONS in kinds else []
    limited = dataclasses.replace(
        data,
        uses=kept(data.uses, Shared.USES, "taken_at"),
        checkins=kept(data.checkins, Shared.CHECKINS, "recorded_at"),
        responses=kept(data.responses, Shared.QUESTIONNAIRES, "taken_at"),
        medications=meds,
        effects=[],
        vitals=[],
        tapers=data.tapers if Shared.TAPER in kinds else [],
    )
    return labelled(fhir_export.bundle(limited))


# --- questionnaire requests -----------------------------------------------------------------


def request_questionnaire(
    mitra: Mitra, actor: audit.Actor, consent_id: int, instrument_id: str, source: str
) -> int:
    """Ask the person to answer an instrument: it shows as due on their Home until a complete
    response comes in."""
    if instrument_id not in REQUESTABLE:
        raise InvalidInputError.one("instrument", f"one of {', '.join(REQUESTABLE)}")
    seen = look(
        mitra,
        actor,
        consent_id,
        f"request {instrument_id}",
        source,
        Shared.QUESTIONNAIRES,
        action="C",
    )
    questionnaires.get_instrument(instrument_id)
    with mitra.for_journal(NO_JOURNAL).store.write() as conn:
        return store.add_request(
            conn, seen.consent.id, seen.consent.person_account_id, instrument_id, mitra.now()
        )
