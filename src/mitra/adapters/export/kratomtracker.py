"""Reading KratomTracker-style CSV: date,time,iso_timestamp,strain_code,strain_name,amount_g,notes.

Each row becomes a `TrackerRow` with its line number, or a problem naming the line and the field.
The time is `iso_timestamp` when present (an offset is honoured; without one it is read in the
user's zone), else `date` + `time` in the user's zone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from mitra.errors import FieldProblem

COLUMNS = ("date", "time", "iso_timestamp", "strain_code", "strain_name", "amount_g", "notes")


@dataclass(frozen=True)
class TrackerRow:
    line: int
    taken_at: datetime
    strain_code: str
    strain_name: str
    amount_g: float
    notes: str


MAX_FIELD = 131_072  # Python's csv default; a longer field is refused with its line
_LINE_END = re.compile(r"\r\n|\r|\n")


class TooManyRowsError(ValueError):
    """The file holds more rows than one import may (MITRA_MAX_IMPORT_ROWS)."""


def looks_like_tracker(text: str) -> bool:
    """True when the first line is the tracker header (whatever the line endings: Windows
    `\r\n`, Unix `\n`, or old Mac `\r`)."""
    first = _LINE_END.split(text.lstrip("\ufeff"), maxsplit=1)[0].strip().lower()
    return [name.strip() for name in first.split(",")] == list(COLUMNS)


def _when(fields: dict[str, str], zone: ZoneInfo) -> datetime:
    stamp = fields["iso_timestamp"].strip()
    if stamp:
        try:
            parsed = datetime.fromisoformat(stamp)
        except ValueError:
            raise ValueError("iso_timestamp: not an ISO 8601 time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    try:
        day = date.fromisoformat(fields["date"].strip())
    except ValueError:
        raise ValueError("date: not a date YYYY-MM-DD (and iso_timestamp is empty)") from None
    try:
        clock = time.fromisoformat(fields["time"].strip() or "00:00")
    except ValueError:
        raise ValueError("time: not a time HH:MM") from None
    return datetime.combine(day, clock, tzinfo=zone)


def _amount(text: str) -> float:
    try:
        amount = float(text.strip())
    except ValueError:
        raise ValueError("amount_g: not a number") from None
    if not amount > 0:
        raise ValueError("amount_g: must be more than 0")
    return amount


def _row(line: int, fields: dict[str, str], zone: ZoneInfo) -> TrackerRow:
    name = fields["strain_name"].strip()
    if not name:
        raise ValueError("strain_name: is empty; each row needs the product (strain) name")
    return TrackerRow(
        line=line,
        taken_at=_when(fields, zone),
        strain_code=fields["strain_code"].strip(),
        strain_name=name,
        amount_g=_amount(fields["amount_g"]),
        notes=fields["notes"],
    )


def parse(text: str, tz: str) -> tuple[list[TrackerRow], list[FieldProblem]]:
    """Every row, or every problem (each as `line N` + the reason); never some of each used."""
    rows: list[TrackerRow] = []
    problems: list[FieldProblem] = []
    for item in read(io.StringIO(text.lstrip("\ufeff"), newline=""), tz):
        if isinstance(item, FieldProblem):
            problems.append(item)
        else:
            rows.append(item)
    return rows, problems


def read(
    lines: Iterable[str], tz: str, max_rows: int | None = None
) -> Iterator[TrackerRow | FieldProblem]:
    """Rows one at a time from a text stream (opened with `newline=""`), each a TrackerRow or a
    problem naming its line; memory stays flat however long the file is. More than `max_rows`
    rows raise TooManyRowsError; a field over MAX_FIELD characters ends the file with a problem."""
    zone = ZoneInfo(tz)
    reader = csv.reader(lines)
    try:
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader, [])]
    except csv.Error as exc:
        yield FieldProblem("line 1", _csv_reason(exc))
        return
    if header != list(COLUMNS):
        yield FieldProblem("line 1", f"the header must be: {','.join(COLUMNS)}")
        return
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield FieldProblem(f"line {reader.line_num}", _csv_reason(exc))
            return
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            raise TooManyRowsError(f"the file has more than {max_rows} rows")
        if len(values) != len(COLUMNS):
            yield FieldProblem(f"line {line}", f"has {len(values)} fields, not 7")
            continue
        try:
            yield _row(line, dict(zip(COLUMNS, values, strict=True)), zone)
        except ValueError as exc:
            yield FieldProblem(f"line {line}", str(exc))


def _csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD} characters; this is not a tracker export"
    return f"not readable as CSV ({exc})"
