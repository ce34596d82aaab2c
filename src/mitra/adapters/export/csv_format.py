"""CSV export: one UTF-8 file per table, with a header row, in a folder or a .zip.

Values are the export's JSON values written as text: times ISO 8601 UTC (`...Z`), dates
`YYYY-MM-DD`, true/false, numbers as Python writes them, JSON columns as compact JSON, and an empty
cell for a missing value. Any spreadsheet opens these files (choose UTF-8 if it asks).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mitra.adapters.files import open_private, write_private_text


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def table_text(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row[name]) for name in columns])
    return buffer.getvalue()


def write(target: Path, files: dict[str, str]) -> list[Path]:
    """Write `name.csv` files into the folder `target`, or into a zip when it ends with .zip."""
    if target.suffix.lower() == ".zip":
        with (
            open_private(target) as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, text in files.items():
                archive.writestr(f"{name}.csv", text.encode("utf-8"))
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = target / f"{name}.csv"
        write_private_text(path, text)
        written.append(path)
    return written


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{name}.csv", text.encode("utf-8"))
    return buffer.getvalue()
