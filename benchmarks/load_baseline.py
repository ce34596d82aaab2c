"""The load benchmark's baseline: a bare Starlette app running the same SQL as Mitra's check-in
list and create, through raw `sqlite3` (same pragmas: WAL, synchronous=FULL, BEGIN IMMEDIATE).

Run by `benchmarks/load.py` with uvicorn; the journal file comes from LOAD_DB.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

COLUMNS = "id, recorded_at, tz, mood, anxiety, pain, sleep, craving, note, created_at"
RATINGS = ("mood", "anxiety", "pain", "sleep", "craving")


def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(os.environ["LOAD_DB"], isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


CONN = _connect()


def _row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip([c.strip() for c in COLUMNS.split(",")], values, strict=True))
    for key in ("recorded_at", "created_at"):
        row[key] = datetime.fromisoformat(row[key]).replace(tzinfo=UTC).isoformat()
    return row


async def list_checkins(request: Request) -> JSONResponse:
    limit = int(request.query_params.get("limit", "100"))
    offset = int(request.query_params.get("offset", "0"))
    CONN.execute("BEGIN")
    rows = CONN.execute(
        f"SELECT {COLUMNS} FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    CONN.execute("COMMIT")
    return JSONResponse([_row(r) for r in rows])


async def create_checkin(request: Request) -> JSONResponse:
    body = json.loads(await request.body())
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    values = [now, "Europe/London", *[body.get(k) for k in RATINGS], body.get("note", ""), now]
    CONN.execute("BEGIN IMMEDIATE")
    cursor = CONN.execute(
        "INSERT INTO checkins (recorded_at, tz, mood, anxiety, pain, sleep, craving, note, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    )
    row = CONN.execute(f"SELECT {COLUMNS} FROM checkins WHERE id = ?", (cursor.lastrowid,))
    created = _row(row.fetchone())
    CONN.execute("COMMIT")
    return JSONResponse(created, status_code=201)


app = Starlette(
    routes=[
        Route("/api/v1/checkins", list_checkins, methods=["GET"]),
        Route("/api/v1/checkins", create_checkin, methods=["POST"]),
    ]
)
