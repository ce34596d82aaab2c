"""Turning what people type into aware times, in their own zone. Pure: `now` is passed in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mitra.errors import InvalidInputError

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_local_time(text: str, tz: str, field_name: str = "at") -> datetime:
    """'2026-11-20 08:30' (in the user's zone) or an ISO time with offset -> aware datetime."""
    cleaned = text.strip()
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        parsed = _parse_formats(cleaned, field_name)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed


def _parse_formats(text: str, field_name: str) -> datetime:
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise InvalidInputError.one(
        field_name, f"{text!r} is not a time; write it like 2026-11-20 08:30"
    )


def local_day(at: datetime, tz: str) -> date:
    """The calendar day `at` falls on in the user's zone."""
    return at.astimezone(ZoneInfo(tz)).date()


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a local day, as aware datetimes."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end
