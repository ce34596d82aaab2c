"""The clinician report: a 1-2 page summary for a busy clinician, then appendix tables, as HTML or
PDF, for a period the person chooses and with the sections they choose.

Data for the period is read in one transaction; trends, charts and n-of-1 findings come from the
dashboard service (the same server-side SVGs as the insights page); open safety alerts from the
safety service. Every report, and every failure to make one, leaves an activity record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mitra import __version__
from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.knowledge.evidence import load_claims, load_sources
from mitra.adapters.reports import html, pdf
from mitra.adapters.reports import model as m
from mitra.adapters.reports.charts import Chart
from mitra.adapters.reports.protect import protect_pdf
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain.journal import AdverseEffect, Medication, UseEvent, Vital
from mitra.domain.products import Product
from mitra.domain.responses import QuestionnaireResponse
from mitra.errors import InvalidInputError
from mitra.services import report_parts as parts
from mitra.services import use_pattern
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded

FORMATS = ("html", "pdf")
MAX_DAYS = 3660


@dataclass(frozen=True)
class PeriodData:
    uses: list[UseEvent]
    use: use_pattern.UseData
    effects: list[AdverseEffect]
    vitals: list[Vital]
    responses: list[QuestionnaireResponse]
    products: dict[int, Product]
    medications: list[Medication]
    conditions: tuple[str, ...]


def choose_sections(names: Sequence[str] | None) -> tuple[str, ...]:
    """The sections asked for (all when none), in report order; unknown names are refused."""
    if not names:
        return tuple(m.SECTIONS)
    wanted = {n.strip() for name in names for n in name.split(",") if n.strip()}
    unknown = sorted(wanted - set(m.SECTIONS))
    if unknown:
        allowed = ", ".join(m.SECTIONS)
        raise InvalidInputError.one("sections", f"unknown {', '.join(unknown)}; use: {allowed}")
    return tuple(s for s in m.SECTIONS if s in wanted)


def check_period(start: date, end: date, today: date) -> None:
    if end < start:
        raise InvalidInputError.one("to", "the end of the period is before its start")
    if start > today:
        raise InvalidInputError.one("from", "the period starts in the future")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInputError.one("from", f"a report covers at most {MAX_DAYS} days")


def _bounds(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    first = datetime.combine(start, time(0), tzinfo=zone)
    return first, datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)


def _read(mitra: Mitra, start: date, end: date, tz: str) -> PeriodData:
    since, until = _bounds(start, end, tz)
    with mitra.store.read() as conn:
        conditions = repo.get_preference(conn, "conditions") or ""
        use = use_pattern.read_uses(conn, tz, start, end)
        return PeriodData(
            uses=list(reversed(use.uses)),
            use=use,
            effects=list(reversed(repo.adverse_effects.list(conn, since=since, until=until))),
            vitals=list(reversed(repo.vitals.list(conn, since=since, until=until))),
            responses=list(reversed(responses.list(conn, since=since, until=until))),
            products={p.id: p for p in repo.products.list(conn) if p.id is not None},
            medications=repo.medications.list(conn),
            conditions=tuple(c for c in conditions.split(",") if c),
        )


def _alerts(mitra: Mitra) -> tuple[m.Line, ...]:
    from mitra.services import safety

    return tuple(
        m.Line((s.alert.severity.value, s.alert.title, s.alert.because, s.alert.what_to_do))
        for s in safety.open_alerts(mitra)
    )


def _insights(
    mitra: Mitra, start: date, end: date
) -> tuple[tuple[Chart, ...], tuple[m.Finding, ...], str]:
    """Charts and n-of-1 findings from the dashboard (its periods end today)."""
    from mitra.services import dashboard, insight_charts

    wanted = math.ceil(((end - start).days + 1) / 7)
    weeks = min((p for p in dashboard.PERIODS if p >= wanted), default=max(dashboard.PERIODS))
    board = dashboard.build_dashboard(mitra, weeks)
    drawn = insight_charts.dashboard_charts(board)
    charts = (drawn.grams, *drawn.checkins[:3], *drawn.questionnaires)  # mood, anxiety, pain
    if drawn.vitals is not None:
        charts += (drawn.vitals,)
    findings = tuple(
        m.Finding(
            f.outcome,
            f.same_day.sentence if f.same_day else "Not enough days with both ratings and grams.",
            f.caveats,
        )
        for f in board.nof1
    )
    note = (
        f"Charts cover {board.start.isoformat()} to {board.end.isoformat()} (the dashboard's "
        f"{weeks}-week view, which ends with the last whole day); n-of-1 findings use up to "
        f"{board.nof1_weeks} weeks. "
        "They are associations in one person's data, not proof of cause."
    )
    return charts, findings, note


def _appendix(data: PeriodData, tz: str) -> dict[str, tuple[tuple[str, ...], tuple[m.Line, ...]]]:
    zone = ZoneInfo(tz)

    def when(at: datetime) -> str:
        return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    days: dict[str, list[UseEvent]] = {}
    for use in data.uses:
        days.setdefault(when(use.taken_at)[:10], []).append(use)
    uses = tuple(
        m.Line(
            (
                day,
                str(len(found)),
                parts.number(sum(u.grams_leaf or 0 for u in found)),
                ", ".join(sorted({data.products[u.product_id].name for u in found})),
            )
        )
        for day, found in days.items()
    )
    scores = tuple(
        m.Line(
            (
                when(r.taken_at),
                r.instrument_id,
                parts.number(r.score.total) if r.score.complete else "incomplete",
                r.score.band_label or "—",
            )
        )
        for r in data.responses
    )
    effects = tuple(m.Line((when(e.occurred_at), e.label, str(e.severity))) for e in data.effects)
    vitals = tuple(
        m.Line(
            (
                when(v.measured_at),
                parts.number(v.heart_rate, 0),
                f"{v.systolic}/{v.diastolic}" if v.systolic is not None else "—",
            )
        )
        for v in data.vitals
    )
    return {
        "Kratom use by day": (("Day", "Doses", "g leaf", "Products"), uses),
        "Questionnaires": (("Time", "Instrument", "Total", "Band"), scores),
        "Adverse effects": (("Time", "Effect", "Severity 0-10"), effects),
        "Vital signs": (("Time", "Heart rate", "Blood pressure"), vitals),
    }


def build_report(
    mitra: Mitra, start: date, end: date, sections: Sequence[str] | None = None
) -> m.Report:
    """Everything the report shows for the local days `start`..`end` (both included)."""
    tz = mitra.timezone()
    now = mitra.now()
    today = now.astimezone(ZoneInfo(tz)).date()
    check_period(start, end, today)
    chosen = choose_sections(sections)
    data = _read(mitra, start, end, tz)
    instruments = knowledge.load_instruments()
    charts, findings, note = _insights(mitra, start, end) if "insights" in chosen else ((), (), "")
    return m.Report(
        start=start,
        end=end,
        generated_at=now,
        version=__version__,
        tz=tz,
        sections=chosen,
        conditions=parts.conditions(data.conditions),
        scores=parts.score_rows(data.responses, instruments, tz, withdrawal=False),
        withdrawal=parts.score_rows(data.responses, instruments, tz, withdrawal=True),
        use_summary=parts.use_summary(data.use, tz, start, end, today),
        products=parts.product_rows(data.uses, data.products),
        medications=parts.medication_lines(data.medications, start, end),
        alerts=_alerts(mitra) if "alerts" in chosen else None,
        effects=parts.effect_lines(data.effects),
        vitals_summary=parts.vitals_summary(data.vitals),
        charts=charts,
        findings=findings,
        insights_note=note,
        evidence=parts.evidence_items(load_claims(), load_sources(), data.conditions),
        appendix=_appendix(data, tz) if "appendix" in chosen else {},
    )


def render(report: m.Report, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise InvalidInputError.one("format", f"{fmt!r} is not one of: {', '.join(FORMATS)}")
    text = html.render(report)
    return text.encode("utf-8") if fmt == "html" else pdf.render(text)


def report_bytes(
    mitra: Mitra,
    start: date,
    end: date,
    fmt: str,
    sections: Sequence[str] | None = None,
    password: str | None = None,
) -> bytes:
    """The report as HTML or PDF bytes (recorded as `report.html` / `report.pdf`); with a
    password, the PDF is encrypted (AES-256) and opens only with it."""
    if password is not None and fmt != "pdf":
        raise InvalidInputError.one("password", "only a PDF report can be password-protected")

    def work() -> bytes:
        data = render(build_report(mitra, start, end, sections), fmt)
        return data if password is None else protect_pdf(data, password)

    action = f"report.{fmt}" if fmt in FORMATS else "report"
    days = (end - start).days + 1
    return recorded(mitra, action, work, lambda data: {"days": days, "bytes": len(data)})


def write_report(
    mitra: Mitra,
    start: date,
    end: date,
    fmt: str,
    path: Path,
    sections: Sequence[str] | None = None,
    password: str | None = None,
) -> int:
    data = report_bytes(mitra, start, end, fmt, sections, password)
    path.write_bytes(data)
    return len(data)


SECTION_TITLES = dict(m.SECTIONS)
