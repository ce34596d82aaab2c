"""CSV export: one UTF-8 file per table, with a header row, in a folder or a .zip.

Values are the export's JSON values written as text: times ISO 8601 UTC (`...Z`), dates
`YYYY-MM-DD`, true/false, numbers as Python writes them, JSON columns as compact JSON, and an empty
cell for a missing value. Any spreadsheet opens these files (choose UTF-8 if it asks).

Formula injection (OWASP "CSV Injection"): a text value that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return would run as a formula in a spreadsheet, so it is written with a single quote
in front (`'=SUM(A1)`). A text value that itself starts with `'` gets one more, so the rule can be
reversed without loss: `unescape_cell` drops one leading quote from a text cell. Numbers are not
text: `-2.5` stays `-2.5`.
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

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return neutralised(value)
    return str(value)


def neutralised(text: str) -> str:
    """`text` safe to open in a spreadsheet: a quote in front when it could start a formula (or
    already starts with a quote, so `unescape_cell` can undo this exactly)."""
    return QUOTE + text if text.startswith((*FORMULA_STARTS, QUOTE)) else text


def unescape_cell(text: str) -> str:
    """The inverse of `neutralised` for a text column's cell."""
    return text[1:] if text.startswith(QUOTE) else text


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
