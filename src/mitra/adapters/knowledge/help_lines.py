"""Read `crisis_lines.yaml` (help lines, emergency numbers, countries with no 24-hour line).

Strict: an unknown field, a malformed number (see `phone_problem`) or an entry with no way to
reach the service raises ConfigurationError naming the file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mitra.adapters.knowledge.evidence import _read_all, _Reader, _unique
from mitra.domain.evidence import INTERNATIONAL, country_of
from mitra.domain.help_lines import (
    CrisisLine,
    EmergencyNumber,
    LineGap,
    LineKind,
    PhoneNumber,
    crisis_first,
    phone_problem,
)
from mitra.errors import ConfigurationError

CRISIS_FILE = "crisis_lines.yaml"

COMMON_FIELDS = frozenset({"country", "sources", "as_of"})
LINE_FIELDS = COMMON_FIELDS | {
    "name",
    "kind",
    "purpose",
    "hours",
    "open_24h",
    "phones",
    "vanity",
    "tty",
    "sms",
    "whatsapp",
    "chat",
    "url",
    "notes",
}
EMERGENCY_FIELDS = COMMON_FIELDS | {"numbers", "note", "notes"}
GAP_FIELDS = COMMON_FIELDS | {"note"}
NUMBER_FIELDS = frozenset({"display", "dial", "label"})


def _only(r: _Reader, allowed: frozenset[str]) -> None:
    unknown = sorted(set(r.entry) - allowed)
    if unknown:
        r.fail(unknown[0], "is not a known field")


def _number(r: _Reader, field: str, index: int, raw: Any) -> PhoneNumber:
    """One number: a plain dialable string ("988", display = dial), or a mapping with
    `display`, `dial` and an optional `label`."""
    if isinstance(raw, str):
        number = PhoneNumber(display=raw, dial=raw)
    else:
        item = _Reader(r.path, f"{r.where}.{field}[{index}]", raw)
        _only(item, NUMBER_FIELDS)
        number = PhoneNumber(item.text("display"), item.text("dial"), item.optional_text("label"))
    problem = phone_problem(number.display, number.dial)
    if problem:
        r.fail(f"{field}[{index}]", problem)
    return number


def _numbers(r: _Reader, field: str, *, required: bool = False) -> tuple[PhoneNumber, ...]:
    raw = r.entry.get(field)
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw:
        r.fail(field, "must be a non-empty list of numbers")
    return tuple(_number(r, field, i, item) for i, item in enumerate(raw))


def _url(r: _Reader, field: str) -> str:
    url = r.optional_text(field)
    if url and not url.startswith("https://"):
        r.fail(field, f"{url!r} must be an https:// address")
    return url


def _flag(r: _Reader, field: str) -> bool:
    value = r.entry.get(field)
    if not isinstance(value, bool):
        r.fail(field, "must be true or false")
    return value


def _crisis_line(r: _Reader) -> CrisisLine:
    _only(r, LINE_FIELDS)
    line = CrisisLine(
        country=r.jurisdiction("country"),
        name=r.text("name"),
        kind=r.choice("kind", LineKind.from_code),
        purpose=r.text("purpose"),
        hours=r.text("hours"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
        open_24h=_flag(r, "open_24h"),
        phones=_numbers(r, "phones"),
        vanity=r.optional_text("vanity"),
        tty=_numbers(r, "tty"),
        sms=_numbers(r, "sms"),
        whatsapp=_numbers(r, "whatsapp"),
        chat=_url(r, "chat"),
        url=_url(r, "url"),
        notes=r.optional_text("notes"),
    )
    if not line.reachable:
        r.fail("phones", "or sms, whatsapp, chat or url is required")
    return line


def _emergency_number(r: _Reader) -> EmergencyNumber:
    _only(r, EMERGENCY_FIELDS)
    return EmergencyNumber(
        country=r.jurisdiction("country"),
        numbers=_numbers(r, "numbers", required=True),
        note=r.text("note"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
        notes=r.optional_text("notes"),
    )


def _gap(r: _Reader) -> LineGap:
    _only(r, GAP_FIELDS)
    return LineGap(
        country=r.jurisdiction("country"),
        note=r.text("note"),
        sources=r.ids("sources"),
        as_of=r.day("as_of"),
    )


def _by_country(key: str, build: Callable[[_Reader], Any]) -> dict[str, Any]:
    return _unique(CRISIS_FILE, _read_all(CRISIS_FILE, key, build), lambda e: e.country)


def load_crisis_lines() -> list[CrisisLine]:
    return _read_all(CRISIS_FILE, "lines", _crisis_line)


def load_emergency_numbers() -> dict[str, EmergencyNumber]:
    """Emergency numbers by country; a country listed twice is refused."""
    return _by_country("emergency_numbers", _emergency_number)


def load_line_gaps() -> dict[str, LineGap]:
    """Sourced "no 24-hour crisis line" statements by country."""
    gaps: dict[str, LineGap] = _by_country("no_24h_line", _gap)
    day_and_night = {
        line.country
        for line in load_crisis_lines()
        if line.kind is LineKind.CRISIS and line.open_24h
    }
    both = sorted(day_and_night & set(gaps))
    if both:
        raise ConfigurationError(
            f"knowledge file {CRISIS_FILE}: {both[0]} has a 24-hour crisis line and a "
            "no_24h_line entry; remove one"
        )
    return gaps


def crisis_lines_for(country: str) -> list[CrisisLine]:
    """Lines for a country (a subdivision such as US-AL uses US) and the INTL fallback.

    `crisis`-kind lines come first, 24-hour ones before the rest; otherwise the country's own lines
    precede the INTL ones, each in file order.
    """
    wanted = country_of(country.strip().upper())
    lines = load_crisis_lines()
    own = [line for line in lines if line.country == wanted]
    return crisis_first(own + [line for line in lines if line.country == INTERNATIONAL])
