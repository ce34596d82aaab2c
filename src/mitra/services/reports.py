"""The clinician report: a 1-2 page summary for a busy clinician, then appendix tables, as HTML or
PDF, for a period the person chooses and with the sections they choose.

Data for the period is read in one transaction; trends, charts and n-of-1 findings come from the
dashboard service (the same server-side SVGs as the insights page); open safety alerts from the
safety service. Every report, and every failure to make one, leaves an activity record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from mitra import __version__
from mitra.adapters.files import write_private
from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.knowledge.evidence import load_claims, load_sources
from mitra.adapters.reports import html, pdf
from mitra.adapters.reports import model as m
from mitra.adapters.reports.charts import Chart
from mitra.adapters.reports.protect import protect_pdf
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain.analytics import daily, nof1, trends
from mitra.domain.clock import local_day
from mitra.domain.journal import AdverseEffect, Medication, UseEvent, Vital
from mitra.domain.products import Product
from mitra.domain.responses import QuestionnaireResponse
from mitra.errors import InvalidInputError
from mitra.services import dashboard, taper, use_pattern
from mitra.services import report_parts as parts
from mitra.services.context import Mitra
from mitra.services.knowledge import known_numbers
from mitra.services.outcomes import recorded

FORMATS = ("html", "pdf")
MAX_DAYS = 3660


@dataclass(frozen=True)
class PeriodData:
    uses: list[UseEvent]
    use: use_pattern.UseData
    place: str | None
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


DEFAULT_DAYS = 90
OFFERED_DAYS = (30, 90, 365)


def default_period(mitra: Mitra, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The last `days` whole days (ending yesterday), or since the first entry if that is
    shorter."""
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        times = [
            found
            for r in (repo.uses, repo.checkins, responses)
            if (found := r.first_time(conn)) is not None
        ]
    end = local_day(mitra.now(), tz) - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    if times:
        start = max(start, min(local_day(t, tz) for t in times))
    return min(start, end), end


def chosen_period(
    mitra: Mitra, start: date | None, end: date | None, days: int | None = None
) -> tuple[date, date]:
    """The report's days for the CLI and the web alike: the dates given; else the last `days`
    whole days (by default 90, or since the first entry if that is shorter)."""
    first, last = default_period(mitra, days or DEFAULT_DAYS)
    if end is not None:
        last = end
    if days is not None or end is not None:
        first = last - timedelta(days=(days or DEFAULT_DAYS) - 1)
    return (start if start is not None else min(first, last)), last


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


def _read(conn: Connection, start: date, end: date, tz: str) -> PeriodData:
    since, until = _bounds(start, end, tz)
    conditions = repo.get_preference(conn, "conditions") or ""
    use = use_pattern.read_uses(conn, tz, start, end)
    return PeriodData(
        uses=list(reversed(use.uses)),
        use=use,
        place=repo.get_preference(conn, "country"),
        effects=list(reversed(repo.effects.list(conn, since=since, until=until))),
        vitals=list(reversed(repo.vitals.list(conn, since=since, until=until))),
        responses=list(reversed(responses.list(conn, since=since, until=until))),
        products={p.id: p for p in repo.products.list(conn) if p.id is not None},
        medications=repo.medications.list(conn),
        conditions=tuple(c for c in conditions.split(",") if c),
    )


def _alerts(conn: Connection) -> tuple[tuple[m.Line, ...], tuple[str, ...]]:
    from mitra.services import safety

    found = safety.open_alerts_in(conn)
    return parts.clinician_alerts(found), parts.info_alerts(found)


@dataclass(frozen=True)
class _Insights:
    board: dashboard.Dashboard
    overview: Chart
    timelines: tuple[Chart, ...]
    charts: tuple[Chart, ...]
    findings: tuple[m.Finding, ...]
    note: str


def _insights(mitra: Mitra, conn: Connection, start: date, end: date) -> _Insights:
    """Charts, ratings and n-of-1 findings over the report's own whole days (a period reaching
    today stops at yesterday); the n-of-1 analysis uses up to 52 weeks."""
    from mitra.services import insight_charts

    period = dashboard.report_period(start, end)
    board = dashboard.build_in(mitra, conn, period, only_period=True)
    drawn = insight_charts.dashboard_charts(board)
    charts: tuple[Chart, ...] = (drawn.grams, drawn.doses)
    if drawn.vitals is not None:
        charts += (drawn.vitals,)
    findings = tuple(
        m.Finding(
            f.outcome,
            parts.third_person(f.same_day.sentence.replace(f"; {nof1.NOT_PROOF}", ""))
            if f.same_day
            else "Not enough days with both ratings and grams.",
            (),
        )
        for f in board.nof1
    )
    caveats = tuple(dict.fromkeys(parts.third_person(c) for f in board.nof1 for c in f.caveats))
    note = (
        f"Charts cover the whole days {board.start.isoformat()} to {board.end.isoformat()}; "
        f"the n-of-1 findings use up to {board.nof1_weeks} weeks. Each is an association in one "
        "person's data, not proof of cause." + "".join(f" {c}" for c in caveats)
    )
    return _Insights(
        board, insight_charts.overview(board), drawn.questionnaires, charts, findings, note
    )


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


def _whole_days(board: dashboard.Dashboard) -> list[daily.CheckinDay]:
    """The period's check-in days, as the dashboard averaged them (whole days only)."""
    by_scale = {t.scale: t.values for t in board.checkins}
    return [
        daily.CheckinDay(day, {scale: values[i] for scale, values in by_scale.items()})
        for i, day in enumerate(board.days)
    ]


def build_report(
    mitra: Mitra, start: date, end: date, sections: Sequence[str] | None = None
) -> m.Report:
    """Everything the report shows for the local days `start`..`end` (both included). The
    user's zone, the period's entries, the charts' data and the alerts are read in one
    transaction (the taper section reads its plan in its own)."""
    now = mitra.now()
    chosen = choose_sections(sections)
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        today = now.astimezone(ZoneInfo(tz)).date()
        check_period(start, end, today)
        data = _read(conn, start, end, tz)
        seen = _insights(mitra, conn, start, end)
        alerts = _alerts(conn)
    instruments = knowledge.load_instruments()
    board = seen.board
    return m.Report(
        start=start,
        end=end,
        generated_at=now,
        version=__version__,
        tz=tz,
        sections=chosen,
        conditions=parts.conditions(data.conditions),
        place=data.place or "not stated",
        item9=parts.item9_flags(data.responses, instruments, tz),
        ratings=parts.rating_rows(_whole_days(board)),
        kratom_trend=trends.slope([d.grams_leaf for d in board.use.days], board.weeks).describe(
            "g"
        ),
        decomposition=board.use.decomposition or "",
        overview=seen.overview,
        timelines=seen.timelines if "insights" in chosen else (),
        scores=parts.score_rows(data.responses, instruments, tz, withdrawal=False),
        withdrawal=parts.score_rows(data.responses, instruments, tz, withdrawal=True),
        use_summary=parts.use_summary(data.use, tz, start, end, today),
        products=parts.product_rows(data.uses, data.products),
        medications=parts.medication_lines(data.medications, start, end),
        alerts=alerts[0] if "alerts" in chosen else None,
        info_alerts=alerts[1] if "alerts" in chosen else (),
        effects=parts.effect_lines(data.effects),
        vitals_summary=parts.vitals_summary(data.vitals),
        charts=seen.charts if "insights" in chosen else (),
        findings=seen.findings if "insights" in chosen else (),
        insights_note=seen.note,
        evidence=parts.evidence_items(load_claims(), load_sources(), data.conditions),
        appendix=_appendix(data, tz) if "appendix" in chosen else {},
        taper=taper.report_section(mitra, start, end) if "taper" in chosen else None,
        dial=known_numbers(),
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
    return _recorded_report(mitra, start, end, fmt, sections, password, None)


def write_report(
    mitra: Mitra,
    start: date,
    end: date,
    fmt: str,
    path: Path,
    sections: Sequence[str] | None = None,
    password: str | None = None,
) -> int:
    """Write the report to `path`; the write is part of the recorded use case, so a report that
    could not be written (a missing folder, a full disk) is recorded as failed, never as OK."""
    return len(_recorded_report(mitra, start, end, fmt, sections, password, path))


def _recorded_report(
    mitra: Mitra,
    start: date,
    end: date,
    fmt: str,
    sections: Sequence[str] | None,
    password: str | None,
    path: Path | None,
) -> bytes:
    if password is not None and fmt != "pdf":
        raise InvalidInputError.one("password", "only a PDF report can be password-protected")

    def work() -> bytes:
        data = render(build_report(mitra, start, end, sections), fmt)
        data = data if password is None else protect_pdf(data, password)
        if path is not None:
            write_private(path, data)
        return data

    action = f"report.{fmt}" if fmt in FORMATS else "report"
    days = (end - start).days + 1
    return recorded(mitra, action, work, lambda data: {"days": days, "bytes": len(data)})


SECTION_TITLES = dict(m.SECTIONS)
