"""Field checks shared by every journal entry. Pure; each adds to a Problems list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mitra.errors import InvalidInputError, Problems

E = TypeVar("E", bound=Enum)

FUTURE_TOLERANCE: Final = timedelta(minutes=5)
EARLIEST: Final = datetime(1990, 1, 1, tzinfo=ZoneInfo("UTC"))
MAX_NAME: Final = 200
MAX_NOTE: Final = 2000
MAX_URL: Final = 500
MAX_UNIT: Final = 30  # a unit name: g, capsule, or a custom unit such as "scoop"


@dataclass(frozen=True)
class Limits:
    """Plausible ranges; values outside them are refused as typing mistakes, not stored."""

    heart_rate: tuple[int, int] = (20, 250)
    systolic: tuple[int, int] = (50, 260)
    diastolic: tuple[int, int] = (30, 180)
    alkaloid_mg: tuple[float, float] = (0.0, 1000.0)
    unit_grams: tuple[float, float] = (0.01, 100.0)


LIMITS: Final = Limits()


def check_zone(tz: str, problems: Problems, field_name: str = "tz") -> None:
    if len(tz) > 64:  # IANA names are short; a long one would reach the file system as a path
        problems.add(field_name, f"unknown time zone {tz[:64]!r}…")
        return
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(field_name, f"unknown time zone {tz!r}")


def check_time(at: datetime, now: datetime, problems: Problems, field_name: str) -> None:
    """A journal time must carry a zone, not lie in the future, and not be absurdly old."""
    if at.tzinfo is None:
        problems.add(field_name, "time must include a time zone")
        return
    if at > now + FUTURE_TOLERANCE:
        problems.add(field_name, "time is in the future; log it when it has happened")
    elif at < EARLIEST:
        problems.add(field_name, f"time is before {EARLIEST.year}; check the date")


def check_text(value: str, limit: int, problems: Problems, field_name: str) -> None:
    if len(value) > limit:
        problems.add(field_name, f"is {len(value)} characters long; the limit is {limit}")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        problems.add(field_name, "contains control characters")


def check_rating(value: int | None, problems: Problems, field_name: str, top: int = 10) -> None:
    if value is not None and not 0 <= value <= top:
        problems.add(field_name, f"must be a whole number from 0 to {top}, got {value}")


def check_range(
    value: float | None, bounds: tuple[float, float], problems: Problems, field_name: str
) -> None:
    low, high = bounds
    if value is not None and not low <= value <= high:
        problems.add(field_name, f"must be between {low:g} and {high:g}, got {value:g}")


def parse_enum(enum: type[E], value: str, field_name: str) -> E:
    """Turn user text into an enum member, or name the allowed choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidInputError.one(field_name, f"{value!r} is not one of: {choices}") from None
