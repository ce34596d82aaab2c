"""Reading KratomTracker-style CSV: date,time,iso_timestamp,strain_code,strain_name,amount_g,notes.

Each row becomes a `TrackerRow` with its line number, or a problem naming the line and the field.
The time is `iso_timestamp` when present (an offset is honoured; without one it is read in the
user's zone), else `date` + `time` in the user's zone.
"""

from __future__ import annotations

import csv
import io
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


def looks_like_tracker(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
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
    zone = ZoneInfo(tz)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if header != list(COLUMNS):
        return [], [FieldProblem("line 1", f"the header must be: {','.join(COLUMNS)}")]
    rows: list[TrackerRow] = []
    problems: list[FieldProblem] = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(COLUMNS):
            problems.append(FieldProblem(f"line {line}", f"has {len(values)} fields, not 7"))
            continue
        try:
            rows.append(_row(line, dict(zip(COLUMNS, values, strict=True)), zone))
        except ValueError as exc:
            problems.append(FieldProblem(f"line {line}", str(exc)))
    return rows, problems
