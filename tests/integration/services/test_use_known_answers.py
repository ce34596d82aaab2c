"""Known-answer journals: synthetic journals with planted truths, written through the services,
and the use figures every page shows for them (issue: insights that read a journal as it was
logged). The clock is fixed at 2026-11-25 12:00 UTC, so today is 25 November in London and in
New York, and a 4-week window covers the 28 whole days 28 October to 24 November 2026.

Each row plants one pattern and states what Home, insights, the report and the API must say:
grams of leaf per day, doses per day, days of use, mg mitragynine per day, mg 7-OH per day and the
trend in grams per week (with its direction from the 95% interval).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.services import dashboard, reports, use_pattern
from mitra.services.context import Mitra
from mitra.services.demo import ingest_demo
from mitra.settings import Settings

TODAY = date(2026, 11, 25)
WINDOW_START = date(2026, 10, 28)
WINDOW_END = date(2026, 11, 24)
LONDON = "Europe/London"
NEW_YORK = "America/New_York"

PRODUCTS = {
    "leaf": Product("Leaf powder", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0),
    "caps": Product(
        "Capsules",
        ProductForm.CAPSULE,
        mitragynine_mg_per_unit=7.5,
        serving_unit=ServingUnit.CAPSULE,
        custom_units=(("capsule", 0.5),),
    ),
    "shot": Product(
        "Shot", ProductForm.TINCTURE, mitragynine_mg_per_unit=15.0, serving_unit=ServingUnit.ML
    ),
    "7oh": Product(
        "7-OH tablets",
        ProductForm.SEVEN_OH,
        seven_oh_mg_per_unit=15.0,
        serving_unit=ServingUnit.TABLET,
    ),
}
KEYS = list(PRODUCTS)

Dose = tuple[str, datetime, float, str]


def at(day: date, hour: int, minute: int = 0, tz: str = LONDON) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


def days_back(count: int, last: date = WINDOW_END) -> list[date]:
    """`count` days ending with `last`, oldest first."""
    return [last - timedelta(days=n) for n in range(count - 1, -1, -1)]


def window_index(day: date) -> int:
    return (day - WINDOW_START).days


@dataclass(frozen=True)
class Truth:
    grams_per_day: float | None
    doses_per_day: float
    days_of_use: int
    mg_mitragynine_per_day: float | None = None
    mg_7oh_per_day: float | None = None
    trend: str | None = "about the same"
    trend_per_week: float | None = 0.0
    rows: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    name: str
    tz: str
    doses: Callable[[], list[Dose]]
    truth: Truth


def flat(today_too: bool = False) -> list[Dose]:
    """6.0 g of leaf in three 2 g doses every day for 60 days; nothing (or one dose) today."""
    doses = [("leaf", at(d, h), 2.0, "g") for d in days_back(60) for h in (8, 14, 20)]
    return doses + ([("leaf", at(TODAY, 8), 2.0, "g")] if today_too else [])


def rising(sign: float = 1.0) -> list[Dose]:
    """One dose a day, 0.5 g a week more (or less) each week; 5.0 g a day on average over the
    window (centred on its middle)."""
    return [
        ("leaf", at(d, 9), round(5.0 + sign * (window_index(d) - 13.5) * 0.5 / 7, 4), "g")
        for d in days_back(35)
    ]


def weekday_weekend() -> list[Dose]:
    """Two 3 g doses on weekdays, three on Saturdays and Sundays."""
    out = []
    for d in days_back(35):
        hours = (8, 14, 20) if d.weekday() >= 5 else (8, 20)
        out += [("leaf", at(d, h), 3.0, "g") for h in hours]
    return out


def more_doses_of_less() -> list[Dose]:
    """6 g a day throughout: two 3 g doses for the first 14 days, four 1.5 g doses for the last."""
    out = []
    for d in days_back(35):
        early = window_index(d) < 14
        hours = (8, 20) if early else (7, 11, 15, 19)
        out += [("leaf", at(d, h), 3.0 if early else 1.5, "g") for h in hours]
    return out


def missing_days() -> list[Dose]:
    """6 g a day, but nothing at all on every fourth day of the window (7 of 28 days)."""
    return [
        ("leaf", at(d, h), 2.0, "g")
        for d in days_back(35)
        if window_index(d) % 4 != 3
        for h in (8, 14, 20)
    ]


def seven_oh_only() -> list[Dose]:
    """Three 15 mg 7-OH tablets a day for 60 days."""
    return [("7oh", at(d, h), 1.0, "tablet") for d in days_back(60) for h in (8, 14, 20)]


def mixed_products() -> list[Dose]:
    """Each day 3 g of leaf powder, 4 capsules of 0.5 g and a 10 ml shot (labelled)."""
    return [
        dose
        for d in days_back(35)
        for dose in (
            ("leaf", at(d, 8), 3.0, "g"),
            ("caps", at(d, 13), 4.0, "capsule"),
            ("shot", at(d, 19), 10.0, "ml"),
        )
    ]


def across_dst() -> list[Dose]:
    """New York, three 2 g doses at 08:00, 14:00 and 20:00 local time, across the end of
    daylight saving time on 1 November 2026 (a 25-hour day)."""
    return [("leaf", at(d, h, tz=NEW_YORK), 2.0, "g") for d in days_back(35) for h in (8, 14, 20)]


def traveller() -> list[Dose]:
    """Lives in New York; spends 10-16 November in London, dosing at 09:00, 15:00 and 21:00
    London time (04:00, 10:00 and 16:00 in New York): still three doses a New York day."""
    out = []
    for d in days_back(35):
        away = date(2026, 11, 10) <= d <= date(2026, 11, 16)
        zone, hours = (LONDON, (9, 15, 21)) if away else (NEW_YORK, (8, 14, 20))
        out += [("leaf", at(d, h, tz=zone), 2.0, "g") for h in hours]
    return out


def around_midnight() -> list[Dose]:
    """A 2 g dose at 00:30 and another at 23:30 every day, including 00:30 today."""
    doses = [("leaf", at(d, h, m), 2.0, "g") for d in days_back(35) for h, m in ((0, 30), (23, 30))]
    return doses + [("leaf", at(TODAY, 0, 30), 2.0, "g")]


CASES = [
    Case(
        "flat",
        LONDON,
        flat,
        Truth(
            6.0,
            3.0,
            28,
            90.0,
            rows={
                "Days with any use": "28 of 28",
                "Grams of leaf per day": "6.0 g (28 days with known grams)",
                "Doses per day": "3.0 (every dose, any unit)",
            },
        ),
    ),
    Case(
        "flat, one dose already today",
        LONDON,
        lambda: flat(today_too=True),
        Truth(6.0, 3.0, 28, 90.0),
    ),
    Case(
        "rising 0.5 g a week",
        LONDON,
        rising,
        Truth(5.0, 1.0, 28, 75.0, trend="rising", trend_per_week=0.5),
    ),
    Case(
        "falling 0.5 g a week",
        LONDON,
        lambda: rising(-1.0),
        Truth(5.0, 1.0, 28, 75.0, trend="falling", trend_per_week=-0.5),
    ),
    Case(
        "weekday and weekend",
        LONDON,
        weekday_weekend,
        Truth(
            (20 * 6 + 8 * 9) / 28,
            (20 * 2 + 8 * 3) / 28,
            28,
            (20 * 90 + 8 * 135) / 28,
            None,
            trend_per_week=None,
        ),
    ),
    Case(
        "more doses of less each",
        LONDON,
        more_doses_of_less,
        Truth(6.0, 3.0, 28, 90.0, rows={"Grams per leaf dose": "2.0 g"}),
    ),
    Case("missing days", LONDON, missing_days, Truth(4.5, 2.25, 21, 67.5, trend_per_week=None)),
    Case(
        "7-OH only",
        LONDON,
        seven_oh_only,
        Truth(
            None,
            3.0,
            28,
            None,
            45.0,
            trend_per_week=0.0,
            rows={
                "7-OH products": "3.0 tablets a day, 45 mg 7-OH a day",
                "Grams of leaf per day": "no leaf products in this period",
            },
        ),
    ),
    Case(
        "leaf, capsules and a shot",
        LONDON,
        mixed_products,
        Truth(5.0, 3.0, 28, 45.0 + 30.0 + 150.0, rows={"Grams per leaf dose": "2.5 g"}),
    ),
    Case(
        "New York across the end of daylight saving",
        NEW_YORK,
        across_dst,
        Truth(6.0, 3.0, 28, 90.0),
    ),
    Case("a traveller across zones", NEW_YORK, traveller, Truth(6.0, 3.0, 28, 90.0)),
    Case(
        "doses at 23:30 and 00:30",
        LONDON,
        around_midnight,
        Truth(4.0, 2.0, 28, 60.0, rows={"Usual first dose (median)": "00:30"}),
    ),
]


def write_journal(mitra: Mitra, doses: list[Dose]) -> None:
    """Through the services: one checked, all-or-nothing write of products and uses."""
    uses = [DemoUse(KEYS.index(key), amount, unit, taken) for key, taken, amount, unit in doses]
    ingest_demo(mitra, DemoJournal(products=list(PRODUCTS.values()), uses=uses))


@pytest.fixture
def journal_in(
    settings_factory: Callable[..., Settings], database_url: str, mitra: Mitra
) -> Callable[[str], Mitra]:
    """The test's journal, seen with the person's zone set to `tz`."""

    def make(tz: str) -> Mitra:
        return Mitra(
            mitra.store, settings_factory(database_url=database_url, timezone=tz), mitra.clock
        )

    return make


def approx(value: float | None) -> Any:
    return None if value is None else pytest.approx(value, abs=1e-3)  # within rounding


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_known_answer_journal_reads_as_planted(
    case: Case, journal_in: Callable[[str], Mitra]
) -> None:
    person = journal_in(case.tz)
    write_journal(person, case.doses())
    board = dashboard.build_dashboard(person, 4)
    assert (board.start, board.end, len(board.days)) == (WINDOW_START, WINDOW_END, 28)
    s = board.use.summary
    truth = case.truth
    assert s.days_known == 28 and s.days_of_use == truth.days_of_use
    assert s.grams_per_day == approx(truth.grams_per_day)
    assert s.doses_per_day == approx(truth.doses_per_day)
    assert s.mg_mitragynine_per_day == approx(truth.mg_mitragynine_per_day)
    assert s.mg_7oh_per_day == approx(truth.mg_7oh_per_day)
    four_weeks = board.use.slopes[0]
    assert four_weeks.weeks == 4
    if truth.trend is not None:
        assert four_weeks.direction == truth.trend
    if truth.trend_per_week is not None:
        assert four_weeks.per_week == pytest.approx(truth.trend_per_week, abs=1e-3)
    rows = dict(board.use.rows)
    for label, value in truth.rows.items():
        assert rows[label] == value


def test_more_doses_of_less_each_shows_in_the_decomposition_and_the_dose_trend(
    journal_in: Callable[[str], Mitra],
) -> None:
    person = journal_in(LONDON)
    write_journal(person, more_doses_of_less())
    use = dashboard.build_dashboard(person, 4).use
    assert use.decomposition is not None
    assert "doses per day 2.0 to 4.0, amount per dose 3.0 g to 1.5 g" in use.decomposition
    assert use.slopes[0].direction == "about the same"
    assert use.dose_slopes[0].direction == "rising"


def test_the_25_hour_day_is_one_day_with_its_three_doses(
    journal_in: Callable[[str], Mitra],
) -> None:
    person = journal_in(NEW_YORK)
    write_journal(person, across_dst())
    days = {d.day: d for d in dashboard.build_dashboard(person, 4).use.days}
    assert [days[date(2026, 11, n)].doses for n in (1, 2)] == [3, 3]
    assert days[date(2026, 11, 1)].gaps_hours == (6.0, 6.0)


def test_today_is_shown_apart_and_never_counted(journal_in: Callable[[str], Mitra]) -> None:
    person = journal_in(LONDON)
    write_journal(person, around_midnight())
    board = dashboard.build_dashboard(person, 4)
    assert board.use.today.day == TODAY and board.use.today.doses == 1
    assert board.use.so_far_today == (
        "So far today: 1 dose, 2.0 g of leaf (not counted until the day is over)."
    )
    assert WINDOW_END == board.end and all(d.day < TODAY for d in board.use.days)


def test_the_flat_journal_reads_the_same_on_home_insights_api_cli_and_report(
    client: TestClient, cli: Any, mitra: Mitra
) -> None:
    """One computation: every place that shows use figures shows the same rows."""
    write_journal(mitra, flat())
    board = dashboard.build_dashboard(mitra, 4)
    expected = board.use.rows
    assert dict(expected)["Days with any use"] == "28 of 28"
    assert board.use.slopes[0].describe("g").startswith("last 4 weeks: about the same")

    home = use_pattern.recent_use(mitra)
    assert home.rows == expected and (home.start, home.end) == (WINDOW_START, WINDOW_END)
    assert home.slope.direction == "about the same"

    report = reports.build_report(mitra, WINDOW_START, TODAY)
    covered, *rows = report.use_summary
    assert tuple(rows) == expected
    assert covered[1] == (
        "2026-10-28 to 2026-11-24 (28 whole days); today (2026-11-25) is not over and is not "
        "counted"
    )

    api = client.get("/api/v1/insights", params={"weeks": 4}).json()
    assert [tuple(r) for r in api["use"]["rows"]] == list(expected)
    assert api["end"] == "2026-11-24"

    page = client.get("/").text
    insights_page = client.get("/insights").text
    for label, value in expected:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
        assert f"<dt>{label}</dt><dd>{value}</dd>" in insights_page

    # The CLI runs on the real clock: compare it with the same computation on that clock.
    on_the_real_clock = dashboard.build_dashboard(Mitra(mitra.store, mitra.settings), 4).use.rows
    words = cli("insights").stdout
    for label, value in on_the_real_clock:
        assert f"  {label}: {value}" in words
    data = json.loads(cli("insights", "--json").stdout)
    assert [tuple(r) for r in data["use"]["rows"]] == list(on_the_real_clock)


def test_a_day_with_an_unconverted_leaf_dose_says_not_converted_in_the_grams_table(
    mitra: Mitra,
) -> None:
    """#17: a capsule logged without its weight is a dose, shown as "not converted", not as a
    day without data."""
    from datetime import UTC, datetime

    from mitra.domain.products import Product, ProductForm
    from mitra.services import journal
    from mitra.services.dashboard import build_dashboard
    from mitra.services.insight_charts import dashboard_charts

    caps = journal.add_product(mitra, Product("Caps", ProductForm.CAPSULE))
    assert caps.id is not None
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    journal.log_use(mitra, product_id=caps.id, amount=2, unit="capsule", taken_at=at)
    table = dashboard_charts(build_dashboard(mitra, 4)).grams.table
    assert {row[0]: row[1] for row in table.rows}["2026-11-24"] == "not converted (1 dose)"
