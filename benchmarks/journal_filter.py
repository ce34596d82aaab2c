"""The cost of the SQLite journal filter (issue #20, `adapters/store/scope.py`): every statement
a journal's transaction runs is rewritten by a `cloned_traverse` that adds `journal_id = <journal>`
to each journal table it reads. Measured on a demo year, in this process, best of 5 batches:

- Home (`GET /`) and the check-in list (`GET /api/v1/checkins?limit=50`) with the filter, versus
  the same app on the same journal with the filter's `before_execute` hook removed;
- the rewrite alone, per statement, for the statements one Home request runs.

Measured on a store with one journal (personal mode: each transaction's first statement finds
no other journal, so the rewrite is skipped) and after a second journal is added (server mode:
every statement is rewritten).

    python -c "from benchmarks import journal_filter; journal_filter.run()"
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks import api_inprocess
from benchmarks.api_inprocess import AUTH, _per_request
from benchmarks.timing import report
from mitra.adapters.store import journals
from mitra.adapters.store.scope import limit_to_journal, scope_sqlite_statement
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.services.lock import login_secret
from mitra.settings import load_settings

TARGET = 1.10  # personal mode: the filter's check may cost at most a tenth of a request
SERVER_TARGET = 1.5  # server mode: the bound on what isolation may cost


def run() -> None:
    from mitra.interfaces.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "mitra", timezone="Europe/London")
        mitra = open_mitra(settings)
        seed_demo(mitra, days=365, seed=5)
        app = create_app(settings, mitra)
        AUTH.clear()
        AUTH.append((b"authorization", f"Bearer {login_secret(settings)}".encode()))
        statements: list[Any] = []

        def keep(_conn: Any, statement: Any, *_rest: Any) -> None:
            statements.append(statement)

        engine = mitra.store.engine
        for store in ("one journal (personal)", "two journals (server)"):
            if store.startswith("two"):
                with engine.begin() as conn:
                    journals.add(conn, "another person", mitra.now())
            for name, path, query in (
                ("Home (GET /)", "/", b""),
                ("check-in list (GET, 50)", api_inprocess.PATH, b"limit=50"),
            ):
                event.remove(engine, "before_execute", scope_sqlite_statement)
                without = asyncio.run(_per_request(app, "GET", query, b"", 200, path))
                event.listen(engine, "before_execute", scope_sqlite_statement, retval=True)
                ours = asyncio.run(_per_request(app, "GET", query, b"", 200, path))
                target = TARGET if store.startswith("one") else SERVER_TARGET
                report(f"journal filter, {store}, {name}, per request", ours, without, target)
        event.listen(engine, "before_execute", keep)
        asyncio.run(api_inprocess._call(app, "GET", b"", b"", "/"))
        event.remove(engine, "before_execute", keep)
        rewritten = [s for s in statements if hasattr(s, "is_select") or hasattr(s, "table")]
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(20):
                for statement in rewritten:
                    limit_to_journal(statement, 1)
            best = min(best, (time.perf_counter() - start) / (20 * max(len(rewritten), 1)))
        print(
            f"journal filter, the rewrite alone: {best * 1e6:.0f} µs per statement, "
            f"{len(rewritten)} statements in one Home request"
        )
        mitra.close()


if __name__ == "__main__":
    run()
