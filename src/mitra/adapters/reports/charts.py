"""Server-side SVG charts with a matching data table, shared by the web pages and the report.

Each chart is self-contained SVG text (inline presentation attributes, no script, no external
asset) with `<title>` and `<desc>`, `role="img"` and `aria-labelledby`, plus a `Table` holding the
same numbers for screen readers and for anyone who prefers text. Output is deterministic: the same
input always gives identical bytes, so reports are reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mitra.adapters.reports.svg import Attr, el, num, text

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 36, 28
# Okabe-Ito colours: distinguishable with the common colour-vision differences.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
SHADES = ("#f2f2f2", "#e6e6e6")
INK, GRID, MUTED = "#222222", "#d0d0d0", "#666666"
FONT: dict[str, Attr] = {"font-family": "sans-serif", "font-size": 11}
Point = tuple[date, float | None]


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[Point]
    style: Literal["line", "dots"] = "line"


@dataclass(frozen=True)
class Shade:
    """A horizontal band, e.g. a questionnaire's severity band (both ends inclusive)."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Marker:
    day: date
    label: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    svg: str
    table: Table


@dataclass(frozen=True)
class Frame:
    start: date
    end: date
    y_min: float
    y_max: float

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        clamped = min(max(value, self.y_min), self.y_max)
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (clamped - self.y_min) / span


def fmt(value: float | None, digits: int = 1) -> str:
    """A table cell: fixed digits, 'no data' for a gap."""
    return "no data" if value is None else f"{value:.{digits}f}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round-number ticks (steps of 1, 2 or 5 times a power of ten) covering [low, high]."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _x_ticks(start: date, end: date, count: int = 6) -> list[date]:
    span = (end - start).days
    if span <= 0:
        return [start]
    step = max(1, math.ceil(span / (count - 1)))
    return [date.fromordinal(start.toordinal() + d) for d in range(0, span + 1, step)]


def _axes(frame: Frame, y_label: str) -> list[str]:
    parts = []
    for tick in nice_ticks(frame.y_min, frame.y_max):
        y = frame.y(tick)
        parts.append(
            el("line", {"x1": LEFT, "x2": WIDTH - RIGHT, "y1": y, "y2": y, "stroke": GRID})
        )
        label = f"{tick:g}"
        attrs = {"x": LEFT - 4, "y": y + 4.0, "text-anchor": "end", "fill": INK, **FONT}
        parts.append(text("text", label, attrs))
    for day in _x_ticks(frame.start, frame.end):
        x = frame.x(day)
        base = HEIGHT - BOTTOM
        parts.append(el("line", {"x1": x, "x2": x, "y1": base, "y2": base + 4.0, "stroke": INK}))
        attrs = {"x": x, "y": base + 16.0, "text-anchor": "middle", "fill": INK, **FONT}
        parts.append(text("text", day.strftime("%d %b %Y"), attrs))
    axis = {"x1": LEFT, "x2": WIDTH - RIGHT, "y1": HEIGHT - BOTTOM, "y2": HEIGHT - BOTTOM}
    parts.append(el("line", {**axis, "stroke": INK}))
    parts.append(text("text", y_label, {"x": 4, "y": 28.0, "fill": MUTED, **FONT}))
    return parts


def _shades(frame: Frame, shades: Sequence[Shade]) -> list[str]:
    parts = []
    for index, shade in enumerate(shades):
        top, bottom = frame.y(shade.high), frame.y(shade.low)
        rect = {"x": LEFT, "y": top, "width": float(WIDTH - LEFT - RIGHT), "height": bottom - top}
        fill = SHADES[index % len(SHADES)]
        parts.append(el("rect", {**rect, "fill": fill}, [text("title", shade.label)]))
        label: dict[str, Attr] = {
            "x": WIDTH - RIGHT - 4,
            "y": top + 11.0,
            "text-anchor": "end",
            "fill": MUTED,
        }
        parts.append(text("text", shade.label, {**label, **FONT, "font-size": 9}))
    return parts


def _segments(frame: Frame, points: Sequence[Point]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for day, value in points:
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((frame.x(day), frame.y(value)))
    return [run for run in runs if run]


def _line(frame: Frame, line: Line, colour: str) -> str:
    if line.style == "dots":
        dots = [
            el("circle", {"cx": x, "cy": y, "r": 2.0, "fill": colour})
            for run in _segments(frame, line.points)
            for x, y in run
        ]
        return el("g", {"aria-hidden": "true"}, dots)
    paths = []
    for run in _segments(frame, line.points):
        d = "M" + " L".join(f"{num(x)} {num(y)}" for x, y in run)
        if len(run) == 1:
            x, y = run[0]
            paths.append(el("circle", {"cx": x, "cy": y, "r": 3.0, "fill": colour}))
        paths.append(el("path", {"d": d, "fill": "none", "stroke": colour, "stroke-width": 2}))
    return el("g", {"aria-hidden": "true"}, paths)


def _markers(frame: Frame, markers: Sequence[Marker]) -> list[str]:
    parts = []
    for marker in markers:
        x = frame.x(marker.day)
        attrs = {"x1": x, "x2": x, "y1": float(TOP), "y2": float(HEIGHT - BOTTOM)}
        style = {"stroke": INK, "stroke-dasharray": "3 3"}
        parts.append(el("line", {**attrs, **style}, [text("title", marker.label)]))
        tip = f"{num(x - 4)},{TOP - 8} {num(x + 4)},{TOP - 8} {num(x)},{TOP}"
        parts.append(el("polygon", {"points": tip, "fill": INK}, [text("title", marker.label)]))
    return parts


def _legend(labels: Sequence[str]) -> list[str]:
    parts, x = [], float(LEFT)
    for index, label in enumerate(labels):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(el("rect", {"x": x, "y": 4.0, "width": 10, "height": 10, "fill": colour}))
        parts.append(text("text", label, {"x": x + 14, "y": 13.0, "fill": INK, **FONT}))
        x += 24 + 6.5 * len(label)
    return parts


def _svg(chart_id: str, title: str, desc: str, body: Sequence[str]) -> str:
    head = [text("title", title, {"id": f"{chart_id}-title"})]
    head.append(text("desc", desc, {"id": f"{chart_id}-desc"}))
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        "width": "100%",
        "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        "id": chart_id,
        "class": "chart",
    }
    return el("svg", attrs, [*head, *body])


def series_table(
    caption: str, lines: Sequence[Line], digits: int = 1, *, keep_gaps: bool = False
) -> Table:
    """One row per day that has any value (every day when `keep_gaps`), one column per line."""
    values = [dict(line.points) for line in lines]
    days = sorted(
        {day for line in lines for day, value in line.points if keep_gaps or value is not None}
    )
    rows = tuple((day.isoformat(), *(fmt(v.get(day), digits) for v in values)) for day in days)
    return Table(caption, ("Date", *(line.label for line in lines)), rows)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    frame: Frame,
    lines: Sequence[Line],
    *,
    y_label: str = "",
    shades: Sequence[Shade] = (),
    markers: Sequence[Marker] = (),
    table: Table | None = None,
) -> Chart:
    """Lines (or dots) over dates, with optional horizontal bands and dated markers."""
    body = _shades(frame, shades) + _axes(frame, y_label)
    body += [_line(frame, line, PALETTE[i % len(PALETTE)]) for i, line in enumerate(lines)]
    body += _markers(frame, markers) + _legend([line.label for line in lines])
    table = table or series_table(title, lines)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), table)


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    frame: Frame,
    bars: Sequence[Point],
    *,
    label: str,
    y_label: str = "",
    digits: int = 1,
) -> Chart:
    """One bar per day; a day with no data gets a short grey tick at the axis, not a zero bar."""
    span = max((frame.end - frame.start).days, 1)
    width = max(1.0, (WIDTH - LEFT - RIGHT) / (span + 1) * 0.8)
    body = _axes(frame, y_label)
    base = frame.y(frame.y_min)
    rects = []
    for day, value in bars:
        x = frame.x(day) - width / 2
        if value is None:
            rects.append(
                el("rect", {"x": x, "y": base - 3, "width": width, "height": 3.0, "fill": GRID})
            )
            continue
        top = frame.y(value)
        rects.append(
            el("rect", {"x": x, "y": top, "width": width, "height": base - top, "fill": PALETTE[0]})
        )
    body += [el("g", {"aria-hidden": "true"}, rects), *_legend([label])]
    table = series_table(title, [Line(label, bars)], digits, keep_gaps=True)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), table)


def _right_axis(frame: Frame, top: float, label: str) -> list[str]:
    """Tick labels on the right for a second quantity drawn scaled onto the frame."""
    parts = []
    for tick in nice_ticks(0.0, top):
        y = frame.y(frame.y_min + (frame.y_max - frame.y_min) * tick / top)
        attrs = {"x": WIDTH - 2, "y": y + 4.0, "text-anchor": "end", "fill": MUTED, **FONT}
        parts.append(text("text", f"{tick:g}", attrs))
    attrs = {"x": WIDTH - 2, "y": TOP - 12.0, "text-anchor": "end", "fill": MUTED, **FONT}
    parts.append(text("text", label, attrs))
    return parts


def combined_chart(
    chart_id: str,
    title: str,
    desc: str,
    frame: Frame,
    bars: Line,
    bars_top: float,
    lines: Sequence[Line],
    *,
    y_label: str,
    bars_unit: str,
) -> Chart:
    """Daily bars (e.g. grams of kratom, right axis) under lines on the frame's own scale (e.g.
    0-10 ratings, left axis), in one figure with one title and one table."""
    span = max((frame.end - frame.start).days, 1)
    width = max(1.0, (WIDTH - LEFT - RIGHT) / (span + 1) * 0.8)
    base = frame.y(frame.y_min)
    scale = (frame.y_max - frame.y_min) / bars_top
    rects = []
    for day, value in bars.points:
        if value is None:
            continue
        top = frame.y(frame.y_min + value * scale)
        rect = {"x": frame.x(day) - width / 2, "y": top, "width": width, "height": base - top}
        rects.append(el("rect", {**rect, "fill": PALETTE[0], "fill-opacity": 0.35}))
    body = _axes(frame, y_label) + _right_axis(frame, bars_top, bars_unit)
    body.append(el("g", {"aria-hidden": "true"}, rects))
    body += [_line(frame, line, PALETTE[i + 1]) for i, line in enumerate(lines)]
    body += _legend([bars.label, *(line.label for line in lines)])
    table = series_table(title, [bars, *lines], keep_gaps=True)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), table)


def upper_limit(values: Sequence[float | None], floor: float = 1.0) -> float:
    """A round-ish top for a y axis: the next nice tick above the largest value."""
    largest = max((v for v in values if v is not None), default=0.0)
    top = max(largest, floor)
    ticks = nice_ticks(0.0, top * 1.05)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else top
    return ticks[-1] if ticks[-1] >= top else ticks[-1] + step
