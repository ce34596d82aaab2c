"""The insights dashboard and the clinician report read the user's time zone in the same
transaction as their data (issue 16): one transaction each, counted on the engine itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from mitra.adapters.reports import model as m
from mitra.services import dashboard, reports
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo


@contextmanager
def transactions(mitra: Mitra) -> Iterator[list[int]]:
    begun: list[int] = []

    def count(_conn: object) -> None:
        begun.append(1)

    event.listen(mitra.store.engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(mitra.store.engine, "begin", count)


def test_the_dashboard_reads_its_zone_and_data_in_one_transaction(mitra: Mitra) -> None:
    seed_demo(mitra, days=30, seed=2)
    with transactions(mitra) as begun:
        board = dashboard.build_dashboard(mitra, weeks=4)
    assert (len(begun), board.tz, len(board.days)) == (1, "Europe/London", 28)


def test_the_report_reads_its_zone_data_and_alerts_in_one_transaction(mitra: Mitra) -> None:
    seed_demo(mitra, days=30, seed=2)
    without_taper = [s for s in m.SECTIONS if s != "taper"]
    with transactions(mitra) as begun:
        report = reports.build_report(mitra, date(2026, 11, 1), date(2026, 11, 24), without_taper)
    assert (len(begun), report.tz, report.start) == (1, "Europe/London", date(2026, 11, 1))
