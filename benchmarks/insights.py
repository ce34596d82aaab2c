"""Insights: (1) the n-of-1 computation (Mitra's `nof1.associations` from day series) against a
plain NumPy/SciPy reference of the same maths on the same arrays, outputs asserted equal; target
<= 1.5x. (2) The /insights page (52 weeks) for 1 and 5 patient-years of demo entries, each reported
with its ratio to the 1-year time; target: well under a second."""

from __future__ import annotations

import math
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient
from scipy import stats  # type: ignore[import-untyped]  # scipy ships no stubs

from benchmarks.insights_data import day_series
from benchmarks.timing import best_of, report
from mitra.domain.analytics import nof1
from mitra.domain.demo import DemoKnobs, generate
from mitra.interfaces.web.app import create_app
from mitra.services.context import open_mitra
from mitra.services.demo import ingest_demo
from mitra.services.lock import login_secret
from mitra.settings import load_settings

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def reference(y: np.ndarray, grams: np.ndarray, previous: np.ndarray) -> list[float]:
    """OLS + Newey-West (Bartlett, NW-1994 bandwidth, calendar-day lags, n/(n-k)) + t interval."""
    keep = ~(np.isnan(y) | np.isnan(grams) | np.isnan(previous))
    t = np.flatnonzero(keep)
    n = len(t)
    x = np.column_stack((np.ones(n), t / 7.0, grams[keep], previous[keep]))
    beta, *_ = np.linalg.lstsq(x, y[keep], rcond=None)
    bread = np.linalg.inv(x.T @ x)
    full = np.zeros((t[-1] - t[0] + 1, 4))
    full[t - t[0]] = x * (y[keep] - x @ beta)[:, None]
    lags = math.floor(4 * (n / 100) ** (2 / 9))
    meat = full.T @ full
    for lag in range(1, lags + 1):
        g = full[lag:].T @ full[:-lag]
        meat += (1 - lag / (lags + 1)) * (g + g.T)
    se = np.sqrt(np.diag(bread @ meat @ bread * n / (n - 4)))
    q = stats.t.ppf(0.975, n - 4)
    return [beta[2], beta[2] - q * se[2], beta[2] + q * se[2], beta[3], se[3]]


def bench_nof1() -> None:
    uses, checkins = day_series(365)
    arrays = nof1.series(uses, checkins)
    names = ("mood", "anxiety", "pain", "sleep", "craving")
    ours = nof1.associations(uses, checkins)
    for finding, name in zip(ours, names, strict=True):
        ref = reference(arrays[name], arrays["grams"], arrays["previous"])
        assert finding.same_day is not None and finding.previous_day is not None
        got = [finding.same_day.per_gram, finding.same_day.low, finding.same_day.high]
        got += [finding.previous_day.per_gram, finding.previous_day.se]
        assert np.allclose(got, ref, rtol=1e-9, atol=1e-12), (name, got, ref)
    subject = best_of(30, lambda: nof1.associations(uses, checkins))
    baseline = best_of(
        30,
        lambda: [
            reference(a[n], a["grams"], a["previous"])
            for a in [nof1.series(uses, checkins)]
            for n in names
        ],
    )
    report("n-of-1, one year, 5 outcomes: Mitra vs NumPy/SciPy reference", subject, baseline, 1.5)


def _page_time(folder: Path, days: int) -> float:
    settings = load_settings(data_dir=folder, timezone="UTC")
    mitra = open_mitra(settings)
    mitra.clock = lambda: NOW
    ingest_demo(mitra, generate(DemoKnobs(days=days, seed=1, tz="UTC"), NOW))
    client = TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000")
    client.headers["Authorization"] = f"Bearer {login_secret(settings)}"
    assert client.get("/insights?weeks=52").status_code == 200
    took = best_of(7, lambda: client.get("/insights?weeks=52"))
    mitra.close()
    return took


def bench_page() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one = _page_time(Path(tmp) / "one", 365)
        five = _page_time(Path(tmp) / "five", 5 * 365)
    report("/insights?weeks=52, 1 patient-year (vs itself)", one, one, 1.0)
    report("/insights?weeks=52, 5 patient-years vs 1 patient-year", five, one, 1.5)
    verdict = "ok" if five < 1.0 else "OVER TARGET"
    print(f"/insights 5 patient-years: {five:.3f} s (target well under 1 s) {verdict}")


def run() -> None:
    bench_nof1()
    bench_page()
