"""#16: handlers that touch the database or render a PDF run off the event loop (plain `def`, in
FastAPI's threadpool), so a report being rendered does not hold up anyone else's request."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

import mitra.interfaces.web as web
from mitra.services import entries
from mitra.services.context import Mitra


def test_a_checkin_list_is_answered_while_a_pdf_report_is_being_rendered(
    client: TestClient, mitra: Mitra
) -> None:
    for mood in range(5):
        entries.save(mitra, "checkins", {"mood": mood})
    client.get("/report/download")  # warm up fonts and templates once
    times: dict[str, float] = {}

    def render() -> None:
        times["pdf_start"] = time.monotonic()
        answer = client.get("/report/download")
        times["pdf_end"] = time.monotonic()
        assert answer.headers["content-type"] == "application/pdf"

    worker = threading.Thread(target=render)
    worker.start()
    time.sleep(0.15)
    times["list_start"] = time.monotonic()
    listed = client.get("/api/v1/checkins")
    times["list_end"] = time.monotonic()
    worker.join()
    assert [c["mood"] for c in listed.json()] == [4, 3, 2, 1, 0]
    assert times["list_start"] < times["pdf_end"], times  # the list was asked during the render
    assert times["list_end"] < times["pdf_end"], times  # …and answered before the render ended


def test_no_route_handler_in_pages_or_the_api_is_async_unless_it_awaits() -> None:
    """An `async def` handler that does not await runs on the event loop and blocks it while it
    reads the database; only handlers that await (reading a form, then handing the work to the
    threadpool) may be async."""
    root = Path(web.__file__).parent
    blocking = []
    for path in [*root.glob("pages/*.py"), *root.glob("api/v1/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.AsyncFunctionDef):
                awaits = any(isinstance(n, ast.Await) for n in ast.walk(node))
                if not awaits:
                    blocking.append(f"{path.name}:{node.name}")
    assert blocking == []
