"""Server-side SVG charts: escaped, accessible, deterministic, with a matching table."""

from __future__ import annotations

import re
from datetime import date

from mitra.adapters.reports.charts import (
    NARROW,
    Frame,
    Line,
    Marker,
    Shade,
    bar_chart,
    line_chart,
    nice_ticks,
    upper_limit,
)
from mitra.adapters.reports.svg import el, num, text

FRAME = Frame(date(2026, 11, 1), date(2026, 11, 3), 0.0, 10.0)
POINTS = [(date(2026, 11, 1), 2.0), (date(2026, 11, 2), None), (date(2026, 11, 3), 4.0)]


def test_text_and_attributes_are_xml_escaped() -> None:
    assert text("title", '<b> & "q"') == '<title>&lt;b&gt; &amp; "q"</title>'
    assert el("g", {"data-x": 'a"<', "skip": None}) == "<g data-x='a\"&lt;'/>"
    assert num(-0.04) == "0.0" and num(2.25) == "2.2"


def test_a_line_chart_has_title_desc_bands_markers_and_a_table() -> None:
    chart = line_chart(
        "c1",
        "Mood <daily>",
        "desc & more",
        FRAME,
        [Line("rating", POINTS)],
        shades=[Shade(0, 4.5, "Minimal")],
        markers=[Marker(date(2026, 11, 3), "meaningful change")],
    )
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 240"')
    assert 'aria-labelledby="c1-title c1-desc"' in chart.svg and 'role="img"' in chart.svg
    assert '<title id="c1-title">Mood &lt;daily&gt;</title>' in chart.svg
    assert "<title>Minimal</title>" in chart.svg and "<title>meaningful change</title>" in chart.svg
    assert chart.svg.count("<path ") == 2  # the gap on 2 November splits the line
    assert chart.table.headers == ("Date", "rating")
    assert chart.table.rows == (("2026-11-01", "2.0"), ("2026-11-03", "4.0"))
    assert "<script" not in chart.svg and "href" not in chart.svg


def test_the_same_input_gives_identical_bytes() -> None:
    def make() -> str:
        return bar_chart("b", "Grams", "d", FRAME, POINTS, label="g").svg

    assert make() == make()


def test_a_bar_chart_marks_unknown_days_and_lists_them_in_the_table() -> None:
    chart = bar_chart("b", "Grams", "d", FRAME, POINTS, label="g", digits=0)
    assert chart.table.rows[1] == ("2026-11-02", "no data")
    assert chart.svg.count('fill="#d0d0d0"') == 1


def test_dots_and_ticks_and_axis_tops_are_round_numbers() -> None:
    dots = line_chart("d", "t", "d", FRAME, [Line("x", POINTS, "dots")])
    assert dots.svg.count("<circle ") == 2
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10] and nice_ticks(3, 3) == [3]
    assert upper_limit([3.2, None], 1.0) == 4.0 and upper_limit([], 5.0) == 6.0


def test_a_narrow_chart_is_360_units_wide_with_12_unit_text_and_four_date_ticks() -> None:
    frame = Frame(date(2026, 11, 1), date(2026, 11, 28), 0.0, 10.0, size=NARROW)
    chart = line_chart("n", "Mood, 2026-11-01 to 2026-11-28", "d", frame, [Line("r", POINTS)])
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 260"')
    assert 'font-size="11"' not in chart.svg and chart.svg.count('font-size="12"') >= 9
    assert re.findall(r">(\d{1,2} Nov)<", chart.svg) == ["1 Nov", "10 Nov", "19 Nov", "28 Nov"]
