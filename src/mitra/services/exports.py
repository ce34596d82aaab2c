"""Export use cases: the whole journal as Mitra JSON or CSV, and as a FHIR R4 bundle.

Each export reads the journal in one read transaction, is written by the adapters, and leaves an
activity record (counts on success, the reason on failure). Export is always the person's own act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mitra import __version__
from mitra.adapters.export import csv_format, json_format
from mitra.adapters.export.codec import encode_row, encode_time
from mitra.adapters.files import write_private_text
from mitra.adapters.store import snapshot
from mitra.adapters.store.migrate import head_revision
from mitra.adapters.store.tables import data_columns
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded
from mitra.services.registry import stored_tables

Progress = Callable[[int, int], None]
Tables = list[tuple[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the files, and the rows per table."""

    paths: tuple[Path, ...]
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def read_tables(mitra: Mitra, progress: Progress | None = None) -> Tables:
    """Every table of the person's data, encoded as JSON values, in one read transaction."""
    result: Tables = []
    with mitra.store.read() as conn:
        tables = stored_tables()
        total = sum(snapshot.counts(conn, tables).values())
        done = 0
        for table in tables:
            rows = [encode_row(table, row) for row in snapshot.read_rows(conn, table)]
            result.append((table.name, rows))
            done += len(rows)
            if progress is not None:
                progress(done, total)
    return result


def _counts(tables: Tables) -> dict[str, int]:
    return {name: len(rows) for name, rows in tables}


def json_text(mitra: Mitra, progress: Progress | None = None) -> tuple[str, dict[str, int]]:
    """The JSON export as text (format: docs/export-format.md), and its rows per table."""
    tables = read_tables(mitra, progress)
    header = {
        "format": json_format.FORMAT_NAME,
        "format_version": json_format.FORMAT_VERSION,
        "mitra_version": __version__,
        "schema_revision": head_revision(),
        "exported_at": encode_time(mitra.now()),
    }
    return "".join(json_format.write_lines(header, tables)), _counts(tables)


def csv_files(
    mitra: Mitra, progress: Progress | None = None
) -> tuple[dict[str, str], dict[str, int]]:
    """One CSV text per table (header row first), and the rows per table."""
    tables = read_tables(mitra, progress)
    columns = {table.name: [c.name for c in data_columns(table)] for table in stored_tables()}
    files = {name: csv_format.table_text(columns[name], rows) for name, rows in tables}
    return files, _counts(tables)


def export_json(mitra: Mitra, path: Path, progress: Progress | None = None) -> Exported:
    def work() -> Exported:
        text, counts = json_text(mitra, progress)
        write_private_text(path, text)
        return Exported((path,), counts)

    return recorded(mitra, "export.json", work, lambda done: done.counts)


def export_csv(mitra: Mitra, target: Path, progress: Progress | None = None) -> Exported:
    """CSV files into the folder `target`, or into one .zip when `target` ends with .zip."""

    def work() -> Exported:
        files, counts = csv_files(mitra, progress)
        return Exported(tuple(csv_format.write(target, files)), counts)

    return recorded(mitra, "export.csv", work, lambda done: done.counts)


def json_download(mitra: Mitra) -> bytes:
    """The JSON export for a browser download (recorded like any export)."""

    def work() -> tuple[str, dict[str, int]]:
        return json_text(mitra)

    text, _counts_ = recorded(mitra, "export.json", work, lambda done: done[1])
    return text.encode("utf-8")


def csv_download(mitra: Mitra) -> bytes:
    """The CSV export as one .zip for a browser download (recorded like any export)."""

    def work() -> tuple[dict[str, str], dict[str, int]]:
        return csv_files(mitra)

    files, _counts_ = recorded(mitra, "export.csv", work, lambda done: done[1])
    return csv_format.zip_bytes(files)


def normalised(text: str) -> str:
    """An export with what legitimately differs between two exports of the same data removed:
    `exported_at`, and activity records of the export/import round trip itself (the last
    `import.json` record). Ids and `created_at` are kept on import, so they need no normalising."""
    document = json_format.parse(text)
    header = {**document.header, "exported_at": None}
    tables = [(name, list(rows)) for name, rows in document.tables.items()]
    for name, rows in tables:
        if name == "activity" and rows and rows[-1].get("action") == "import.json":
            rows.pop()
    return "".join(json_format.write_lines(header, tables))
