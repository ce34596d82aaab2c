"""Issue #21's load target: a clinician's dashboard of 500 consenting patients (each a demo
year: uses, check-ins, questionnaires, alerts) renders in <= 1.5x the time of one of 50.

One server-mode SQLite database holds 500 demo journals; clinician `lee50` is shared 50 of them,
`lee500` all 500 (questionnaires, kratom use, alerts, taper). Each side is the best of 3 renders
of GET /clinic (default order: item-9 flags, then crisis and urgent alerts) through the web app
in this process. Seeding takes minutes: `make bench-clinic` (not part of `make bench`).
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from benchmarks.timing import best_of, report
from mitra.interfaces.web.app import create_app
from mitra.services import accounts, consent, demo
from mitra.services.context import Mitra, open_mitra
from mitra.settings import Settings

PASSWORD = "a long walk by the river"
PATIENTS = int(os.environ.get("BENCH_CLINIC_PATIENTS", "500"))
SMALL = PATIENTS // 10
DAYS = 365
KINDS = ["questionnaires", "uses", "alerts", "taper"]
TARGET = 1.5


def _seed(base: Mitra) -> None:
    for name in ("lee50", "lee500"):
        accounts.add_account(base, name, PASSWORD)
        consent.grant_role(base, name, "clinician")
    ids = {a.name: a.id for a in accounts.list_accounts(base)}
    until = consent.today(base) + timedelta(days=365)
    scope = consent.preview(base, KINDS, "all", None, None, until).scope
    started = time.perf_counter()
    for n in range(PATIENTS):
        name = f"p{n:04d}"
        accounts.add_account(base, name, PASSWORD)
        account = next(a for a in accounts.list_accounts(base) if a.name == name)
        demo.seed_demo(base.for_journal(account.journal_id), days=DAYS, seed=n + 1)
        for clinician in ("lee500",) + (("lee50",) if n < SMALL else ()):
            _, code = consent.offer(base, account.id, scope)
            consent.accept(base, ids[clinician], code)
    print(f"  seeded {PATIENTS} demo years in {time.perf_counter() - started:.0f} s")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), timezone="UTC", server=True, loopback_only=True)
        base = open_mitra(settings)
        _seed(base)
        app = create_app(settings, base)
        timings = {}
        for name in ("lee50", "lee500"):
            client = TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False)
            client.post("/login", data={"name": name, "password": PASSWORD})

            def render(client: TestClient = client) -> None:
                answer = client.get("/clinic")
                assert answer.status_code == 200, answer.status_code

            timings[name] = best_of(3, render)
        report(
            f"clinic dashboard, {PATIENTS} patients vs {SMALL} (page of 50)",
            timings["lee500"],
            timings["lee50"],
            TARGET,
        )
        base.close()


if __name__ == "__main__":
    run()
