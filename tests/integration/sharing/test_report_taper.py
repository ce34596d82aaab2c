"""The clinician report's taper section (issue 19): the plan's daily target against the grams
logged, its holds and the SOWS taken, on a journal whose plan is known."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.integration.services.test_taper_service import seed, sows

from mitra.services import reports, taper
from mitra.services.context import Mitra

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_the_report_shows_plan_against_logged_holds_and_sows(mitra: Mitra) -> None:
    seed(mitra)  # 6 g of leaf every day up to 24 November
    mitra.clock = lambda: at(1)
    plan = taper.create(mitra, taper.Choice("community-percent"))
    taper.act(mitra, plan.id, "start")
    mitra.clock = lambda: at(10)
    sows(mitra, 9, days_ago=0)
    mitra.clock = lambda: at(20)
    taper.act(mitra, plan.id, "hold", why="a hard week")
    mitra.clock = lambda: NOW
    section = taper.report_section(mitra, date(2026, 10, 1), date(2026, 11, 24))
    assert section is not None and section.chart is not None
    assert section.summary.startswith(
        "5 % of the current amount every 7 days, from a baseline of 6 g of leaf a day in 3 doses"
    )
    assert section.state == "paused"
    rows = {row[0]: row[1] for row in section.chart.table.rows}
    assert rows["2026-11-01"] == "6.0"
    assert rows["2026-11-08"] == "5.7"
    assert rows["2026-11-15"] == "5.5"  # 5.415 rounds up: never more than 5 % a step
    assert rows["2026-11-19"] == "5.5"
    assert rows["2026-11-24"] == "5.5"  # held on the 20th: the 22nd's step never came
    assert [line.cells for line in section.holds] == [("2026-11-20", "person", "a hard week")]
    assert [line.cells for line in section.sows] == [("2026-11-10", "9")]
    html = reports.report_bytes(mitra, date(2026, 10, 1), date(2026, 11, 24), "html").decode()
    assert "<h2>Taper plan</h2>" in html and "a hard week" in html
    assert "not a recommendation" in html


def test_no_plan_no_section(mitra: Mitra) -> None:
    assert taper.report_section(mitra, date(2026, 10, 1), date(2026, 11, 24)) is None
    html = reports.report_bytes(mitra, date(2026, 10, 1), date(2026, 11, 24), "html").decode()
    assert "<h2>Taper plan</h2>" not in html
