"""The dashboard's charts (server-side SVG + table), for the insights page and the report alike."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from mitra.adapters.reports.charts import (
    NARROW,
    WIDE,
    Chart,
    Frame,
    Line,
    Marker,
    Shade,
    Size,
    bar_chart,
    combined_chart,
    line_chart,
    upper_limit,
)
from mitra.domain.analytics.change import Timeline
from mitra.domain.clock import local_day
from mitra.services.dashboard import CheckinTrend, Dashboard


@dataclass(frozen=True)
class DashboardCharts:
    grams: Chart
    doses: Chart
    first_dose: Chart
    checkins: tuple[Chart, ...]
    questionnaires: tuple[Chart, ...]
    vitals: Chart | None


def dashboard_charts(d: Dashboard, *, narrow: bool = False) -> DashboardCharts:
    """The charts, drawn for the report's page or (`narrow`) for a phone's width: the same
    numbers and titles, with larger text and fewer ticks (adapters/reports/charts.py NARROW)."""
    z = NARROW if narrow else WIDE
    return DashboardCharts(
        grams=_grams(d, z),
        doses=_doses(d, z),
        first_dose=_first_dose(d, z),
        checkins=tuple(_checkin(d, trend, z) for trend in d.checkins),
        questionnaires=tuple(_timeline(d, t, z) for t in d.questionnaires if t.points),
        vitals=_vitals(d, z),
    )


def _period(d: Dashboard) -> str:
    return f"{d.start.isoformat()} to {d.end.isoformat()}"


def _grams(d: Dashboard, z: Size = WIDE) -> Chart:
    bars = [(u.day, u.grams_leaf) for u in d.use.days]
    frame = Frame(d.start, d.end, 0.0, upper_limit([v for _, v in bars], 5.0), size=z)
    desc = (
        f"Grams of kratom leaf per day, {_period(d)}. Days with a dose that could not be "
        "converted to grams, and days before the first logged use, have no value."
    )
    chart = bar_chart(
        "chart-grams",
        f"Daily amount (g leaf), {_period(d)}",
        desc,
        frame,
        bars,
        label="g leaf",
        y_label="g/day",
    )
    # A day whose leaf doses were logged but not all converted is not a day without data: the
    # table says so, with its doses counted (#17).
    unconverted = {
        u.day.isoformat(): f"not converted ({u.doses} dose{'s' if u.doses != 1 else ''})"
        for u in d.use.days
        if u.grams_leaf is None and u.doses and (u.leaf_doses is None or u.leaf_doses > 0)
    }
    rows = tuple(
        (row[0], unconverted.get(row[0], row[1])) if row[1] == "no data" else row
        for row in chart.table.rows
    )
    return dataclasses.replace(chart, table=dataclasses.replace(chart.table, rows=rows))


def _doses(d: Dashboard, z: Size = WIDE) -> Chart:
    bars: list[tuple[date, float | None]] = [(u.day, float(u.doses)) for u in d.use.days]
    frame = Frame(d.start, d.end, 0.0, upper_limit([v for _, v in bars], 4.0), size=z)
    desc = f"Number of doses logged per day, {_period(d)}."
    return bar_chart(
        "chart-doses",
        f"Doses per day, {_period(d)}",
        desc,
        frame,
        bars,
        label="doses",
        y_label="doses",
        digits=0,
    )


def _first_dose(d: Dashboard, z: Size = WIDE) -> Chart:
    points = [(u.day, u.first_dose_hour) for u in d.use.days]
    desc = f"Time of the first dose each day (hours after midnight, local time), {_period(d)}."
    return line_chart(
        "chart-first-dose",
        f"Time of first dose, {_period(d)}",
        desc,
        Frame(d.start, d.end, 0.0, 24.0, size=z),
        [Line("first dose (hour)", points, "dots")],
        y_label="hour of day",
    )


def _checkin(d: Dashboard, trend: CheckinTrend, z: Size = WIDE) -> Chart:
    raw = list(zip(d.days, trend.values, strict=True))
    smooth = list(zip(d.days, trend.smoothed, strict=True))
    desc = (
        f"Daily {trend.scale} rating (0 to 10) with a 7-day centred average, {_period(d)}. "
        f"{trend.days_rated} days rated."
    )
    return line_chart(
        f"chart-checkin-{trend.scale}",
        f"{trend.label} (0-10), {_period(d)}",
        desc,
        Frame(d.start, d.end, 0.0, 10.0, size=z),
        [Line("daily rating", raw, "dots"), Line("7-day average", smooth)],
        y_label="0-10",
    )


def _shades(t: Timeline) -> list[Shade]:
    return [
        Shade(max(b.min - 0.5, t.scale_min), min(b.max + 0.5, t.scale_max), b.label)
        for b in t.bands
    ]


def _timeline(d: Dashboard, t: Timeline, z: Size = WIDE) -> Chart:
    start = min(d.start, t.points[0].day)
    end = max(d.end, t.points[-1].day)
    points: list[tuple[date, float | None]] = [(p.day, float(p.total)) for p in t.points]
    markers = [
        Marker(p.day, f"{p.day.isoformat()}: meaningful change since the previous score")
        for p in t.points
        if p.meaningful_since_previous
    ]
    desc = (
        f"{t.title} totals from {start.isoformat()} to {end.isoformat()} "
        f"(scale {t.scale_min} to {t.scale_max}), with the severity bands shaded and a marker "
        f"where a score changed meaningfully since the one before. "
        + (t.since_first or "Only one score so far.")
    )
    return line_chart(
        f"chart-q-{t.instrument_id}",
        f"{t.title} total, {start.isoformat()} to {end.isoformat()}",
        desc,
        Frame(start, end, float(t.scale_min), float(t.scale_max), size=z),
        [Line("total", points)],
        y_label="total",
        shades=_shades(t),
        markers=markers,
    )


def _vitals(d: Dashboard, z: Size = WIDE) -> Chart | None:
    if not d.vitals:
        return None
    tz_days = [(v, local_day(v.measured_at, d.tz)) for v in d.vitals]
    lines = [
        Line(
            label,
            [
                (day, None if getattr(v, name) is None else float(getattr(v, name)))
                for v, day in tz_days
            ],
        )
        for label, name in (
            ("heart rate (/min)", "heart_rate"),
            ("systolic (mmHg)", "systolic"),
            ("diastolic (mmHg)", "diastolic"),
        )
    ]
    top = upper_limit([p[1] for line in lines for p in line.points], 100.0)
    desc = f"Heart rate and blood pressure readings, {_period(d)}."
    return line_chart(
        "chart-vitals",
        f"Heart rate (/min) and blood pressure (mmHg), {_period(d)}",
        desc,
        Frame(d.start, d.end, 0.0, top, size=z),
        lines,
        y_label="value",
    )


OVERVIEW_SCALES = ("mood", "anxiety", "pain")


def overview(d: Dashboard) -> Chart:
    """Kratom per day with mood, anxiety and pain (7-day averages) over the period: the one
    chart on the report's first page."""
    bars = Line("g leaf/day (right)", [(u.day, u.grams_leaf) for u in d.use.days])
    smoothed = {t.scale: t.smoothed for t in d.checkins}
    lines = [
        Line(f"{scale} (7-day avg.)", list(zip(d.days, smoothed[scale], strict=True)))
        for scale in OVERVIEW_SCALES
    ]
    desc = (
        f"Grams of kratom leaf per day (bars, right axis) with the 7-day average of the daily "
        f"mood, anxiety and pain ratings (0 to 10, left axis), {_period(d)}."
    )
    return combined_chart(
        "chart-overview",
        f"Kratom and daily ratings, {_period(d)}",
        desc,
        Frame(d.start, d.end, 0.0, 10.0),
        bars,
        upper_limit([v for _, v in bars.points], 5.0),
        lines,
        y_label="rating 0-10",
        bars_unit="g/day",
    )
