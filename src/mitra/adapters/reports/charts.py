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
from typing import Final, Literal

from mitra.adapters.reports.svg import Attr, el, num, text


@dataclass(frozen=True)
class Size:
    """A chart's drawing box in SVG units, its text size and how many ticks it gets. The SVG
    scales to its container, so text is `font * shown width / width` pixels on screen."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: int
    x_ticks: int
    y_ticks: int
    short_dates: bool  # "9 Nov" under the axis (the title gives the years)


# The report's page (and a wide screen): 640 units wide, 11-unit text.
WIDE: Final = Size(640, 240, 44, 12, 36, 28, 11, 6, 5, False)
# A phone: 360 units drawn about 358 px wide at a 390 px screen, so 12-unit text stays >= 11 px,
# with four date ticks and four value ticks.
NARROW: Final = Size(360, 260, 34, 10, 50, 28, 12, 4, 4, True)
# Okabe-Ito colours: distinguishable with the common colour-vision differences.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
SHADES = ("#f2f2f2", "#e6e6e6")
INK, GRID, MUTED = "#222222", "#d0d0d0", "#666666"


def font(size: Size, scale: float = 1.0) -> dict[str, Attr]:
    points = round(size.font * scale, 1)
    return {
        "font-family": "sans-serif",
        "font-size": int(points) if points.is_integer() else points,
    }


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
    size: Size = WIDE

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        z = self.size
        return z.left + (z.width - z.left - z.right) * (day - self.start).days / span

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        clamped = min(max(value, self.y_min), self.y_max)
        z = self.size
        return z.height - z.bottom - (z.height - z.top - z.bottom) * (clamped - self.y_min) / span


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
    z = frame.size
    parts = []
    for tick in nice_ticks(frame.y_min, frame.y_max, z.y_ticks):
        y = frame.y(tick)
        parts.append(
            el("line", {"x1": z.left, "x2": z.width - z.right, "y1": y, "y2": y, "stroke": GRID})
        )
        label = f"{tick:g}"
        attrs = {"x": z.left - 4, "y": y + 4.0, "text-anchor": "end", "fill": INK, **font(z)}
        parts.append(text("text", label, attrs))
    base = z.height - z.bottom
    ticks = _x_ticks(frame.start, frame.end, z.x_ticks)
    for index, day in enumerate(ticks):
        x = frame.x(day)
        parts.append(el("line", {"x1": x, "x2": x, "y1": base, "y2": base + 4.0, "stroke": INK}))
        anchor = "middle"
        if z.short_dates and index == 0:
            anchor = "start"
        elif z.short_dates and index == len(ticks) - 1 and x > z.width - z.right - 30:
            anchor = "end"
        label = f"{day.day} {day:%b}" if z.short_dates else day.strftime("%d %b %Y")
        attrs = {"x": x, "y": base + 5.0 + z.font, "text-anchor": anchor, "fill": INK, **font(z)}
        parts.append(text("text", label, attrs))
    axis = {"x1": z.left, "x2": z.width - z.right, "y1": base, "y2": base}
    parts.append(el("line", {**axis, "stroke": INK}))
    parts.append(text("text", y_label, {"x": 4, "y": z.top - 8.0, "fill": MUTED, **font(z)}))
    return parts


def _shades(frame: Frame, shades: Sequence[Shade]) -> list[str]:
    z = frame.size
    parts = []
    for index, shade in enumerate(shades):
        top, bottom = frame.y(shade.high), frame.y(shade.low)
        width = float(z.width - z.left - z.right)
        rect = {"x": z.left, "y": top, "width": width, "height": bottom - top}
        fill = SHADES[index % len(SHADES)]
        parts.append(el("rect", {**rect, "fill": fill}, [text("title", shade.label)]))
        label: dict[str, Attr] = {
            "x": z.width - z.right - 4,
            "y": top + float(z.font),
            "text-anchor": "end",
            "fill": MUTED,
        }
        small = 9 / 11 if not z.short_dates else 1.0
        parts.append(text("text", shade.label, {**label, **font(z, small)}))
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
    z = frame.size
    parts = []
    for marker in markers:
        x = frame.x(marker.day)
        attrs = {"x1": x, "x2": x, "y1": float(z.top), "y2": float(z.height - z.bottom)}
        style = {"stroke": INK, "stroke-dasharray": "3 3"}
        parts.append(el("line", {**attrs, **style}, [text("title", marker.label)]))
        tip = f"{num(x - 4)},{z.top - 8} {num(x + 4)},{z.top - 8} {num(x)},{z.top}"
        parts.append(el("polygon", {"points": tip, "fill": INK}, [text("title", marker.label)]))
    return parts


def _legend(labels: Sequence[str], z: Size = WIDE) -> list[str]:
    """Colour keys in a row; on a narrow chart a key that would run past the edge starts a
    second row."""
    parts, x, y = [], float(z.left), 4.0
    for index, label in enumerate(labels):
        width = 24 + z.font * 6.5 / 11 * len(label)
        if z.short_dates and x > z.left and x + width > z.width:
            x, y = float(z.left), y + z.font + 4
        colour = PALETTE[index % len(PALETTE)]
        parts.append(el("rect", {"x": x, "y": y, "width": 10, "height": 10, "fill": colour}))
        parts.append(text("text", label, {"x": x + 14, "y": y + 9.0, "fill": INK, **font(z)}))
        x += width
    return parts


def _svg(chart_id: str, title: str, desc: str, body: Sequence[str], z: Size = WIDE) -> str:
    head = [text("title", title, {"id": f"{chart_id}-title"})]
    head.append(text("desc", desc, {"id": f"{chart_id}-desc"}))
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {z.width} {z.height}",
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
    body += _markers(frame, markers) + _legend([line.label for line in lines], frame.size)
    table = table or series_table(title, lines)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body, frame.size), table)


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
    z = frame.size
    width = max(1.0, (z.width - z.left - z.right) / (span + 1) * 0.8)
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
    body += [el("g", {"aria-hidden": "true"}, rects), *_legend([label], z)]
    table = series_table(title, [Line(label, bars)], digits, keep_gaps=True)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body, z), table)


def _right_axis(frame: Frame, top: float, label: str) -> list[str]:
    """Tick labels on the right for a second quantity drawn scaled onto the frame."""
    z = frame.size
    parts = []
    for tick in nice_ticks(0.0, top, z.y_ticks):
        y = frame.y(frame.y_min + (frame.y_max - frame.y_min) * tick / top)
        attrs = {"x": z.width - 2, "y": y + 4.0, "text-anchor": "end", "fill": MUTED, **font(z)}
        parts.append(text("text", f"{tick:g}", attrs))
    attrs = {"x": z.width - 2, "y": z.top - 12.0, "text-anchor": "end", "fill": MUTED, **font(z)}
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
    z = frame.size
    width = max(1.0, (z.width - z.left - z.right) / (span + 1) * 0.8)
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
    body += _legend([bars.label, *(line.label for line in lines)], z)
    table = series_table(title, [bars, *lines], keep_gaps=True)
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body, z), table)


def upper_limit(values: Sequence[float | None], floor: float = 1.0) -> float:
    """A round-ish top for a y axis: the next nice tick above the largest value."""
    largest = max((v for v in values if v is not None), default=0.0)
    top = max(largest, floor)
    ticks = nice_ticks(0.0, top * 1.05)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else top
    return ticks[-1] if ticks[-1] >= top else ticks[-1] + step
