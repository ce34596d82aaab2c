"""Import use cases: Mitra's own JSON export, and KratomTracker-style CSV.

All or nothing: every row is checked (types, then the domain's own checks); a bad row is reported
with its line and reason, and nothing is written. Mitra JSON goes into an empty journal only,
keeping ids and `created_at`, so a round trip gives the same export back.

Limits (settings `max_import_bytes`, `max_import_rows`): a file over the size limit is refused
before it is read. A tracker CSV is streamed row by row and written in batches inside the one
transaction (rolled back if any row is bad), so memory stays flat; a JSON export is parsed whole,
which the size check bounds.
"""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.export import json_format, kratomtracker
from mitra.adapters.export.codec import CellError, decode_row
from mitra.adapters.store import journals, snapshot
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.tables import data_columns
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm, check_product
from mitra.errors import ConflictError, FieldProblem, InvalidInputError, MitraError
from mitra.services import safety
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded
from mitra.services.registry import stored_tables

MAX_REPORTED = 50
HEAD_BYTES = 65_536  # enough to see the first line and recognise the format
BATCH = 1_000  # tracker rows written per insert


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
    if not path.exists():
        raise InvalidInputError.one("file", f"there is no file at {path}")
    if not path.is_file():
        raise InvalidInputError.one("file", f"{path} is a folder, not a file")
    try:
        with path.open("rb") as stream:
            return import_stream(mitra, stream, path.stat().st_size)
    except PermissionError:
        raise InvalidInputError.one("file", f"{path} cannot be read (permission denied)") from None


def import_bytes(mitra: Mitra, data: bytes) -> Imported:
    return import_stream(mitra, io.BytesIO(data), len(data))


def import_stream(mitra: Mitra, stream: BinaryIO, size: int) -> Imported:
    """Import from a binary stream of `size` bytes (checked against the limit before reading)."""
    limit = mitra.settings.max_import_bytes
    if size > limit:
        raise InvalidInputError.one(
            "file",
            f"is {size:,} bytes; imports are limited to {limit:,} bytes (MITRA_MAX_IMPORT_BYTES)",
        )
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    try:
        read_text(head[: len(head) - 3] if len(head) == HEAD_BYTES else head)
    except InvalidInputError:
        kind = "import"
    else:
        text = head.decode("utf-8", errors="ignore")
        kind = "import.kratomtracker" if kratomtracker.looks_like_tracker(text) else "import.json"

    def work() -> Imported:
        if kind == "import.kratomtracker":
            return _import_tracker(mitra, stream)
        return _import_json(mitra, read_text(stream.read()))

    return recorded(mitra, kind, work, lambda done: done.counts)


def _limited(problems: list[FieldProblem], total: int | None = None) -> InvalidInputError:
    """The first MAX_REPORTED problems, and how many more there were (`total` when only the
    first ones were kept)."""
    shown = problems[:MAX_REPORTED]
    more = (len(problems) if total is None else total) - MAX_REPORTED
    if more > 0:
        shown.append(FieldProblem("file", f"and {more} more problem(s)"))
    return InvalidInputError(shown)


# --- Mitra JSON ----


def _where(name: str, index: int, line: int | None) -> str:
    return f"line {line} ({name} row {index + 1})" if line else f"{name} row {index + 1}"


def _check_row(table: sa.Table, values: Any, now: Any) -> dict[str, Any]:
    from mitra.services.import_checks import checker_for

    row = decode_row(table, values)
    checker = checker_for(table.name)
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
    unknown = sorted(set(document.tables) - {t.name for t in stored_tables()})
    problems += [FieldProblem("tables", f"{name!r} is not a Mitra table") for name in unknown]
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in stored_tables():
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
    problems += _duplicates(rows)
    if problems:
        raise _limited(problems)
    return rows


def _duplicates(rows: dict[str, list[dict[str, Any]]]) -> list[FieldProblem]:
    """Rows that would collide on a primary key or unique column (e.g. two rows with one id)."""
    problems: list[FieldProblem] = []
    for table in stored_tables():
        keys = [c.name for c in data_columns(table) if c.primary_key or c.unique]
        for key in keys:
            seen = Counter(row.get(key) for row in rows[table.name] if row.get(key) is not None)
            problems += [
                FieldProblem(f"{table.name}", f"{key} {value!r} appears {count} times")
                for value, count in seen.items()
                if count > 1
            ]
    return problems


def _check_row_count(document: json_format.Document, limit: int) -> None:
    total = sum(len(rows) for rows in document.tables.values())
    if total > limit:
        raise InvalidInputError.one(
            "file", f"has {total:,} rows; imports are limited to {limit:,} (MITRA_MAX_IMPORT_ROWS)"
        )


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
    _check_row_count(document, mitra.settings.max_import_rows)
    rows = checked_rows(document, mitra.now())
    with mitra.store.write() as conn:
        journals.refuse_original_ids_when_shared(conn, "importing a Mitra export")
        tables = stored_tables()
        if not snapshot.is_empty(conn, tables=tables):
            raise ConflictError(
                "this journal already has entries; a Mitra export is imported into an empty "
                "journal only (use a fresh MITRA_DATA_DIR, or `mitra erase` first)"
            )
        counts: dict[str, int] = {}
        for table in tables:
            if table.name == "preferences":
                counts[table.name] = snapshot.upsert_preferences(conn, rows[table.name])
            else:
                counts[table.name] = snapshot.insert_rows(conn, table, rows[table.name])
        snapshot.reset_sequences(conn, tables)
        safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
    return Imported("mitra-json", counts)


# --- KratomTracker CSV ----


def _tracker_product(row: kratomtracker.TrackerRow) -> Product:
    code = f" (strain code {row.strain_code})" if row.strain_code else ""
    note = f"Imported from KratomTracker{code}. Form assumed leaf powder; edit it if not."
    return Product(row.strain_name, ProductForm.LEAF_POWDER, notes=note, id=0)


def _tracker_checked(
    row: kratomtracker.TrackerRow, products: dict[str, Product], tz: str, now: datetime
) -> tuple[j.UseEvent | None, list[FieldProblem]]:
    """A new product through `check_product`, the row through `make_use_event`."""
    key = row.strain_name.casefold()
    try:
        if key not in products:
            products[key] = _tracker_product(row)
            check_product(products[key])
        use = j.make_use_event(
            products[key],
            amount=row.amount_g,
            unit="g",
            taken_at=row.taken_at,
            tz=tz,
            now=now,
            note=row.notes,
        )
    except InvalidInputError as exc:
        where = f"line {row.line}"
        return None, [FieldProblem(where, f"{p.field}: {p.reason}") for p in exc.problems]
    return use, []


def _line(problem: FieldProblem) -> int:
    number = problem.field.removeprefix("line ")
    return int(number) if number.isdigit() else 0


def _id(product: Product) -> int:
    assert product.id is not None
    return product.id


@dataclass
class _TrackerWrite:
    """Writes checked tracker rows in batches; new products first, so each use has its id."""

    conn: Connection
    products: dict[str, Product]
    now: datetime
    created: int = 0
    written: int = 0

    def flush(self, batch: list[tuple[j.UseEvent, str]]) -> None:
        for key, product in self.products.items():
            if product.id == 0:
                self.products[key] = repo.products.add(
                    self.conn, dataclasses.replace(product, id=None), self.now
                )
                self.created += 1
        final = [dataclasses.replace(use, product_id=_id(self.products[key])) for use, key in batch]
        self.written += repo.uses.add_many(self.conn, final, self.now)
        batch.clear()


def _import_tracker(mitra: Mitra, stream: BinaryIO) -> Imported:
    """Rows streamed, checked and written in batches in one transaction; any problem (all are
    listed, in line order) rolls every row back."""
    tz, now, limit = mitra.timezone(), mitra.now(), mitra.settings.max_import_rows
    problems: list[FieldProblem] = []  # the first MAX_REPORTED, and how many there were
    seen = 0
    batch: list[tuple[j.UseEvent, str]] = []
    lines = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        with mitra.store.write() as conn:
            products = {p.name.casefold(): p for p in repo.products.list(conn)}
            writer = _TrackerWrite(conn, products, now)
            for item in kratomtracker.read(lines, tz, limit):
                if isinstance(item, FieldProblem):
                    more = [item]
                else:
                    use, more = _tracker_checked(item, products, tz, now)
                    if use is not None and not seen:  # after a problem, only check the rest
                        batch.append((use, item.strain_name.casefold()))
                        if len(batch) >= BATCH:
                            writer.flush(batch)
                problems += more[: max(0, MAX_REPORTED - len(problems))]
                seen += len(more)
            if seen:
                raise _limited(sorted(problems, key=_line), seen)
            writer.flush(batch)
            safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
            return Imported(
                "kratomtracker", {"products": writer.created, "use_events": writer.written}
            )
    except kratomtracker.TooManyRowsError as exc:
        raise InvalidInputError.one(
            "file", f"{exc}; imports are limited to {limit:,} rows (MITRA_MAX_IMPORT_ROWS)"
        ) from None
    except UnicodeDecodeError:
        stream.seek(0)
        read_text(stream.read())  # raises the precise reason (byte and offset)
        raise
    finally:
        lines.detach()  # the caller owns (and closes) the stream
