"""Every page on 5 patient-years of demo entries versus the same page on 1 patient-year (issue 16's
table: target <= 1.2x). Each page is served in-process (TestClient), best of 5, on journals made by
the same demo generator (seed 1) ending at the same fixed now. Downloads that are the whole journal
by design (the exports) are not pages and are left out; so are forms that only post."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from benchmarks.timing import best_of, report
from mitra.domain.demo import DemoKnobs, generate
from mitra.interfaces.web.app import create_app
from mitra.services.context import Mitra, open_mitra
from mitra.services.demo import ingest_demo
from mitra.services.lock import login_secret
from mitra.settings import load_settings

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TARGET = 1.2
PAGES = (
    "/",
    "/alerts",
    "/crisis",
    "/history",
    "/insights",
    "/insights?weeks=52",
    "/measures",
    "/measures/phq9",
    "/more",
    "/settings",
    "/taper",
    "/report",
    "/products",
    "/uses",
    "/uses/new",
    "/checkins",
    "/checkins/new",
    "/medications",
    "/effects",
    "/vitals",
)


def _journal(folder: Path, days: int) -> tuple[Mitra, TestClient]:
    settings = load_settings(data_dir=folder, timezone="UTC")
    mitra = open_mitra(settings)
    mitra.clock = lambda: NOW
    ingest_demo(mitra, generate(DemoKnobs(days=days, seed=1, tz="UTC"), NOW))
    client = TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000")
    client.headers["Authorization"] = f"Bearer {login_secret(settings)}"
    return mitra, client


def _time(client: TestClient, page: str) -> float:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return best_of(5, lambda: client.get(page))


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one_mitra, one = _journal(Path(tmp) / "one", 365)
        five_mitra, five = _journal(Path(tmp) / "five", 5 * 365)
        worst = 0.0
        for page in PAGES:
            small, large = _time(one, page), _time(five, page)
            worst = max(worst, large / small)
            report(f"page {page}, 5 patient-years vs 1", large, small, TARGET)
        print(f"pages: worst 5-year/1-year ratio {worst:.2f}x (target <= {TARGET}x)")
        one_mitra.close()
        five_mitra.close()


if __name__ == "__main__":
    run()
