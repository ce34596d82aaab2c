"""Sharing, for one patient-year of demo data (`mitra demo --days 365`: its questionnaires on
their schedules, PHQ-9 and GAD-7 every two weeks, SOWS and the kratom-use checklist monthly):

- the clinician report as `mitra report` makes it (read, build, render HTML, print PDF, record
  the activity) versus plain `weasyprint.HTML(string=...).write_pdf()` of the very same HTML,
  rendered once beforehand through the same report service. Targets: <= 1.3x, and under 2 s.
- the FHIR export (read, build the bundle, serialise) versus json.dumps of the same bundle dicts,
  built beforehand. Target: <= 5x.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.timing import best_of, report
from mitra.adapters.store.engine import Store, build_engine
from mitra.adapters.store.migrate import migrate
from mitra.services import fhir, questionnaires, reports
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.settings import load_settings

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
START, END = date(2025, 11, 26), date(2026, 11, 25)


def _journal(folder: Path) -> Mitra:
    url = f"sqlite:///{folder / 'mitra.db'}"
    engine = build_engine(url)
    migrate(engine)
    settings = load_settings(data_dir=folder, database_url=url, timezone="Europe/London")
    mitra = Mitra(Store(engine), settings, lambda: NOW)
    seed_demo(mitra, days=365, seed=1)
    questionnaires.onboard(mitra, conditions="anxiety,depression", country="GB")
    return mitra


def _report(mitra: Mitra) -> None:
    from weasyprint import HTML  # type: ignore[import-untyped]

    frozen = reports.report_bytes(mitra, START, END, "html").decode("utf-8")
    subject = best_of(3, lambda: reports.report_bytes(mitra, START, END, "pdf"))
    baseline = best_of(3, lambda: HTML(string=frozen).write_pdf())
    report(
        "clinician report, one patient-year (PDF) vs WeasyPrint on frozen HTML",
        subject,
        baseline,
        1.3,
    )
    print(f"  absolute: {subject:.2f} s (target < 2 s) {'ok' if subject < 2 else 'OVER TARGET'}")


def _fhir(mitra: Mitra) -> None:
    built = fhir.bundle(mitra)
    subject = best_of(5, lambda: fhir.bundle_bytes(mitra))
    baseline = best_of(5, lambda: json.dumps(built, ensure_ascii=False, indent=1).encode())
    entries = len(built["entry"])
    report(
        f"FHIR export, one patient-year ({entries} resources) vs json.dumps", subject, baseline, 5
    )


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="mitra-bench-sharing-") as folder:
        started = time.perf_counter()
        mitra = _journal(Path(folder))
        print(f"  (sharing journal seeded in {time.perf_counter() - started:.1f} s)")
        try:
            _report(mitra)
            _fhir(mitra)
        finally:
            mitra.close()
