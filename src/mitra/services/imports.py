"""Import use cases: Mitra's own JSON export, and KratomTracker-style CSV.

All or nothing: the whole file is read and every row checked (types, then the domain's own checks)
before one row is written; a bad row is reported with its line and reason, and nothing is written.
Mitra JSON goes into an empty journal only, keeping ids and `created_at`, so a round trip gives
the same export back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mitra.adapters.export import json_format, kratomtracker
from mitra.adapters.export.codec import CellError, decode_row
from mitra.adapters.store import repositories as repo
from mitra.adapters.store import snapshot
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm, check_product
from mitra.errors import ConflictError, FieldProblem, InvalidInputError, MitraError
from mitra.services import safety
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded

MAX_REPORTED = 50


@dataclass(frozen=True)
class Imported:
    kind: str
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def read_text(data: bytes) -> str:
    """The file's text; a clear error when it is not UTF-8 (a leading BOM is accepted)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError.one(
            "file",
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and import it again",
        ) from None


def import_file(mitra: Mitra, path: Path) -> Imported:
    """Import a Mitra JSON export or a KratomTracker CSV, recognised by their content."""
    data = path.read_bytes()
    return import_bytes(mitra, data)


def import_bytes(mitra: Mitra, data: bytes) -> Imported:
    try:
        text = read_text(data)
    except InvalidInputError:
        kind = "import"
    else:
        kind = "import.kratomtracker" if kratomtracker.looks_like_tracker(text) else "import.json"

    def work() -> Imported:
        text = read_text(data)
        if kind == "import.kratomtracker":
            return _import_tracker(mitra, text)
        return _import_json(mitra, text)

    return recorded(mitra, kind, work, lambda done: done.counts)


def _limited(problems: list[FieldProblem]) -> InvalidInputError:
    shown = problems[:MAX_REPORTED]
    if len(problems) > MAX_REPORTED:
        shown.append(FieldProblem("file", f"and {len(problems) - MAX_REPORTED} more problem(s)"))
    return InvalidInputError(shown)


# --- Mitra JSON ----


def _where(name: str, index: int, line: int | None) -> str:
    return f"line {line} ({name} row {index + 1})" if line else f"{name} row {index + 1}"


def _check_row(table: sa.Table, values: Any, now: Any) -> dict[str, Any]:
    from mitra.services.import_checks import CHECKERS

    row = decode_row(table, values)
    checker = CHECKERS.get(table.name)
    if checker is not None:
        checker(row, now)
    return row


def _problems_of(exc: Exception, where: str) -> list[FieldProblem]:
    if isinstance(exc, CellError):
        return [FieldProblem(where, f"{exc.column}: {exc.reason}")]
    if isinstance(exc, InvalidInputError):
        return [FieldProblem(where, f"{p.field}: {p.reason}") for p in exc.problems]
    if isinstance(exc, MitraError):
        return [FieldProblem(where, exc.message)]
    return [FieldProblem(where, f"a value is not allowed ({type(exc).__name__})")]


def checked_rows(document: json_format.Document, now: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row decoded and checked; InvalidInputError listing each bad row by line."""
    problems: list[FieldProblem] = []
    unknown = sorted(set(document.tables) - {t.name for t in snapshot.user_tables()})
    problems += [FieldProblem("tables", f"{name!r} is not a Mitra table") for name in unknown]
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in snapshot.user_tables():
        found = document.tables.get(table.name, [])
        lines = document.lines.get(table.name, [])
        rows[table.name] = []
        for index, values in enumerate(found):
            where = _where(table.name, index, lines[index] if index < len(lines) else None)
            try:
                rows[table.name].append(_check_row(table, values, now))
            except (MitraError, CellError, ValueError, TypeError, KeyError) as exc:
                problems += _problems_of(exc, where)
    problems += _dangling_products(rows)
    if problems:
        raise _limited(problems)
    return rows


def _dangling_products(rows: dict[str, list[dict[str, Any]]]) -> list[FieldProblem]:
    known = {row["id"] for row in rows.get("products", [])}
    return [
        FieldProblem(
            f"use_events row {index + 1}", "product_id: no product with that id in the file"
        )
        for index, row in enumerate(rows.get("use_events", []))
        if row["product_id"] not in known
    ]


def _import_json(mitra: Mitra, text: str) -> Imported:
    try:
        document = json_format.parse(text)
    except json_format.FormatError as exc:
        raise InvalidInputError.one("file", str(exc)) from None
    rows = checked_rows(document, mitra.now())
    with mitra.store.write() as conn:
        if not snapshot.is_empty(conn):
            raise ConflictError(
                "this journal already has entries; a Mitra export is imported into an empty "
                "journal only (use a fresh MITRA_DATA_DIR, or `mitra erase` first)"
            )
        counts: dict[str, int] = {}
        for table in snapshot.user_tables():
            if table.name == "preferences":
                counts[table.name] = snapshot.upsert_preferences(conn, rows[table.name])
            else:
                counts[table.name] = snapshot.insert_rows(conn, table, rows[table.name])
        snapshot.reset_sequences(conn)
        safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
    return Imported("mitra-json", counts)


# --- KratomTracker CSV ----


def _tracker_product(row: kratomtracker.TrackerRow) -> Product:
    code = f" (strain code {row.strain_code})" if row.strain_code else ""
    note = f"Imported from KratomTracker{code}. Form assumed leaf powder; edit it if not."
    return Product(row.strain_name, ProductForm.LEAF_POWDER, notes=note, id=0)


def _tracker_checked(
    rows: list[kratomtracker.TrackerRow], products: dict[str, Product], tz: str, now: datetime
) -> tuple[list[j.UseEvent], list[FieldProblem]]:
    """Each new product through `check_product`, each row through `make_use_event`."""
    uses: list[j.UseEvent] = []
    problems: list[FieldProblem] = []
    for row in rows:
        key = row.strain_name.casefold()
        try:
            if key not in products:
                products[key] = _tracker_product(row)
                check_product(products[key])
            uses.append(
                j.make_use_event(
                    products[key],
                    amount=row.amount_g,
                    unit="g",
                    taken_at=row.taken_at,
                    tz=tz,
                    now=now,
                    note=row.notes,
                )
            )
        except InvalidInputError as exc:
            where = f"line {row.line}"
            problems += [FieldProblem(where, f"{p.field}: {p.reason}") for p in exc.problems]
    return uses, problems


def _line(problem: FieldProblem) -> int:
    number = problem.field.removeprefix("line ")
    return int(number) if number.isdigit() else 0


def _id(product: Product) -> int:
    assert product.id is not None
    return product.id


def _import_tracker(mitra: Mitra, text: str) -> Imported:
    """Every row parsed and checked (all problems, in line order) before one row is written."""
    tz, now = mitra.timezone(), mitra.now()
    rows, problems = kratomtracker.parse(text, tz)
    with mitra.store.write() as conn:
        products = {p.name.casefold(): p for p in repo.products.list(conn)}
        uses, more = _tracker_checked(rows, products, tz, now)
        if problems or more:
            raise _limited(sorted(problems + more, key=_line))
        created = 0
        for key, product in products.items():
            if product.id == 0:
                products[key] = repo.products.add(conn, dataclasses.replace(product, id=None), now)
                created += 1
        final = [
            dataclasses.replace(use, product_id=_id(products[row.strain_name.casefold()]))
            for use, row in zip(uses, rows, strict=True)
        ]
        written = repo.use_events.add_many(conn, final, now)
        safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
    return Imported("kratomtracker", {"products": created, "use_events": written})
