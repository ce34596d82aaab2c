"""Mitra's own JSON export (format version 1; described in docs/export-format.md).

The file is ordinary JSON, laid out so that every row sits on one line of its own: a problem with a
row can then be reported by its line number, and a diff of two exports reads row by row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

FORMAT_NAME = "mitra-journal-export"
FORMAT_VERSION = 1
HEADER_KEYS = ("format", "format_version", "mitra_version", "schema_revision", "exported_at")
_TABLE_LINE = re.compile(r'^\s*"([a-z_]+)": \[\]?,?$')
_ROW_LINE = re.compile(r"^\s*\{.*\},?$")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_lines(
    header: dict[str, Any], tables: Iterable[tuple[str, list[dict[str, Any]]]]
) -> Iterator[str]:
    """The export, line by line (each ends with a newline). Rows are JSON objects, one per line."""
    yield "{\n"
    for key in HEADER_KEYS:
        yield f"  {_dumps(key)}: {_dumps(header[key])},\n"
    yield '  "tables": {\n'
    listed = list(tables)
    for index, (name, rows) in enumerate(listed):
        comma = "," if index < len(listed) - 1 else ""
        if not rows:
            yield f"    {_dumps(name)}: []{comma}\n"
            continue
        yield f"    {_dumps(name)}: [\n"
        for position, row in enumerate(rows):
            yield f"      {_dumps(row)}{',' if position < len(rows) - 1 else ''}\n"
        yield f"    ]{comma}\n"
    yield "  }\n}\n"


@dataclass(frozen=True)
class Document:
    """A parsed export: its header, its tables' rows, and each row's line (None if unknown)."""

    header: dict[str, Any]
    tables: dict[str, list[Any]]
    lines: dict[str, list[int | None]]


class FormatError(ValueError):
    """The text is not a Mitra export; the message says why in plain words."""


def parse(text: str) -> Document:
    """Parse an export; rows are matched to their lines when the file keeps one row per line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise FormatError("nested far more deeply than any Mitra export; not one") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise FormatError("holds a number with thousands of digits; not a Mitra export") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormatError(f'not a Mitra export (no "format": "{FORMAT_NAME}")')
    if data.get("format_version") != FORMAT_VERSION:
        raise FormatError(
            f"export format version {data.get('format_version')!r} is not one this Mitra reads "
            f"({FORMAT_VERSION})"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise FormatError('"tables" must map each table name to a list of rows')
    header = {key: data.get(key) for key in HEADER_KEYS}
    return Document(header, tables, _row_lines(text, tables))


def _row_lines(text: str, tables: dict[str, list[Any]]) -> dict[str, list[int | None]]:
    found: dict[str, list[int]] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        table = _TABLE_LINE.match(line)
        if table:
            current = table.group(1)
            found[current] = []
        elif current is not None and _ROW_LINE.match(line):
            found[current].append(number)
    lines: dict[str, list[int | None]] = {}
    for name, rows in tables.items():
        numbers = found.get(name, [])
        if len(numbers) == len(rows):
            lines[name] = list(numbers)
        else:
            lines[name] = [None] * len(rows)
    return lines
