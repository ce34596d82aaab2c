"""Which questionnaires a person takes, how often, what is due now, and the schedule as iCalendar.

Pure: `today` and `now` are passed in. Every plan and every due item carries the reason for it.

Who takes what (issue 3): PHQ-9 for everyone (its question 9 is the safety question); GAD-7 for
anxiety, PHQ-9 for depression, PCL-5 for PTSD, PEG for chronic pain; SOWS, SDS and the kratom-use
checklist for anyone who logs regular use. A person may change any interval, switch an instrument
on, or switch one off, except PHQ-9, whose interval can change but which stays on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from mitra.errors import InvalidInputError

CONDITIONS: dict[str, str | None] = {
    "anxiety": "gad7",
    "depression": "phq9",
    "ptsd": "pcl5",
    "chronic_pain": "peg",
    "other": None,
}
CONDITION_LABELS = {
    "anxiety": "Anxiety",
    "depression": "Depression or low mood",
    "ptsd": "PTSD",
    "chronic_pain": "Chronic pain",
    "other": "Something else",
}
ALWAYS = "phq9"
REGULAR_USE = ("sows", "sds", "kud_dsm5")
OFF = "off"
ON_DEMAND = "demand"
MAX_INTERVAL_DAYS = 366
ICAL_LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class Plan:
    """One instrument the person takes: every `interval_days` days, or on demand (None)."""

    instrument_id: str
    interval_days: int | None
    because: str


@dataclass(frozen=True)
class Due:
    instrument_id: str
    interval_days: int | None
    last_taken: date | None
    due_on: date | None
    is_due: bool
    because: str


Override = int | str  # days, OFF or ON_DEMAND


def parse_conditions(text: str | Iterable[str]) -> tuple[str, ...]:
    """'anxiety, Chronic pain' -> ('anxiety', 'chronic_pain'); unknown names are refused."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    found: list[str] = []
    for part in parts:
        name = part.strip().lower().replace(" ", "_").replace("-", "_")
        if not name:
            continue
        if name not in CONDITIONS:
            allowed = ", ".join(CONDITIONS)
            raise InvalidInputError.one("conditions", f"{part.strip()!r} is not one of: {allowed}")
        if name not in found:
            found.append(name)
    return tuple(found)


def parse_override(text: str) -> Override:
    """A schedule setting: a number of days (1-366), 'off' or 'demand' (on demand)."""
    value = text.strip().lower()
    if value in (OFF, ON_DEMAND):
        return value
    if not value.isdigit() or not 1 <= int(value) <= MAX_INTERVAL_DAYS:
        raise InvalidInputError.one(
            "schedule",
            f"{text!r}: give a number of days from 1 to {MAX_INTERVAL_DAYS}, 'off' or 'demand'",
        )
    return int(value)


def check_override(instrument_id: str, override: Override) -> None:
    if instrument_id == ALWAYS and override == OFF:
        raise InvalidInputError.one(
            "schedule", "PHQ-9 stays on: its question 9 is the safety question (change how often)"
        )


def plan(
    defaults: Mapping[str, int | None],
    conditions: Sequence[str],
    regular_use: bool,
    overrides: Mapping[str, Override],
) -> list[Plan]:
    """The instruments this person takes, in the order of `defaults`, each with its reason."""
    reasons = _default_reasons(conditions, regular_use)
    plans: list[Plan] = []
    for instrument_id, default in defaults.items():
        override = overrides.get(instrument_id)
        if override is None and instrument_id in reasons:
            plans.append(Plan(instrument_id, default, reasons[instrument_id]))
        elif override == ON_DEMAND:
            plans.append(Plan(instrument_id, None, "you set it to on demand"))
        elif isinstance(override, int):
            plans.append(Plan(instrument_id, override, f"you set it to every {override} days"))
    return plans


TAPER_MOOD = {"depression": "phq9", "anxiety": "gad7"}
TAPER_WITHDRAWAL = "sows"


def with_taper(
    plans: Sequence[Plan],
    conditions: Sequence[str],
    *,
    sows_every_days: int,
    mood_every_days: int,
    because: str,
) -> list[Plan]:
    """During a taper plan (and for a while after it): the SOWS every `sows_every_days` days,
    and the PHQ-9 / GAD-7 every `mood_every_days` days for the conditions managed. A shorter
    interval than the person's own wins for that time (the taper's reason shown); a longer
    one never replaces theirs. Nothing else changes."""
    wanted = {TAPER_WITHDRAWAL: sows_every_days}
    for condition in conditions:
        if condition in TAPER_MOOD:
            wanted[TAPER_MOOD[condition]] = mood_every_days
    out: list[Plan] = []
    for p in plans:
        every = wanted.pop(p.instrument_id, None)
        if every is not None and (p.interval_days is None or every < p.interval_days):
            out.append(Plan(p.instrument_id, every, because))
        else:
            out.append(p)
    out += [Plan(instrument_id, every, because) for instrument_id, every in wanted.items()]
    return out


def _default_reasons(conditions: Sequence[str], regular_use: bool) -> dict[str, str]:
    reasons = {ALWAYS: "on for everyone: its question 9 is the safety question"}
    for condition in conditions:
        instrument_id = CONDITIONS.get(condition)
        if instrument_id is not None and instrument_id not in reasons:
            reasons[instrument_id] = f"you are managing {CONDITION_LABELS[condition].lower()}"
    if regular_use:
        for instrument_id in REGULAR_USE:
            reasons[instrument_id] = "you log regular kratom use"
    return reasons


def due_list(plans: Iterable[Plan], last_taken: Mapping[str, date], today: date) -> list[Due]:
    """When each planned instrument is next due; due ones first, then by date."""
    items = [_due(p, last_taken.get(p.instrument_id), today) for p in plans]
    far = date.max
    return sorted(items, key=lambda d: (not d.is_due, d.due_on or far))


@dataclass(frozen=True)
class Requested:
    """A clinician's request for an instrument (issue #21)."""

    instrument_id: str
    by: str
    requested_at: datetime
    requested_on: date


def with_requests(
    dues: Sequence[Due], requested: Iterable[Requested], last_complete: Mapping[str, datetime]
) -> list[Due]:
    """A clinician's request makes its instrument due (today) until a complete response comes in
    after it; the reason names who asked and when. Due ones first, as `due_list`."""
    still: dict[str, Requested] = {}
    for asked in requested:
        last = last_complete.get(asked.instrument_id)
        if last is None or last < asked.requested_at:
            still.setdefault(asked.instrument_id, asked)
    found = []
    for due in dues:
        asked_for = still.pop(due.instrument_id, None)
        if asked_for is not None:
            due = replace(
                due,
                is_due=True,
                due_on=asked_for.requested_on,
                because=_asked(asked_for) + f"; otherwise {due.because}",
            )
        found.append(due)
    for asked in still.values():
        found.append(Due(asked.instrument_id, None, None, asked.requested_on, True, _asked(asked)))
    return sorted(found, key=lambda d: (not d.is_due, d.due_on or date.max))


def _asked(asked: Requested) -> str:
    return f"{asked.by} (your clinician) asked for it on {asked.requested_on.isoformat()}"


def _due(p: Plan, last: date | None, today: date) -> Due:
    if p.interval_days is None:
        because = f"on demand ({p.because}); take it when you need it, e.g. daily during a taper"
        return Due(p.instrument_id, None, last, None, False, because)
    if last is None:
        because = f"not taken yet; every {p.interval_days} days ({p.because})"
        return Due(p.instrument_id, p.interval_days, None, today, True, because)
    due_on = last + timedelta(days=p.interval_days)
    is_due = due_on <= today
    because = (
        f"last complete response {last.isoformat()}, every {p.interval_days} days "
        f"({p.because}), so due {due_on.isoformat()}"
    )
    return Due(p.instrument_id, p.interval_days, last, due_on, is_due, because)


def to_ical(
    dues: Iterable[Due],
    titles: Mapping[str, str],
    today: date,
    now: datetime,
    *,
    discreet: bool = False,
) -> str:
    """An RFC 5545 calendar: one all-day repeating event per scheduled instrument (`now` aware).
    `discreet`: neutral wording ("Journal: check-in"), no app, questionnaire or substance name
    anywhere in the file, for a calendar others may see."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    product = "-//Journal//Schedule//EN" if discreet else "-//Mitra//Measures schedule//EN"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}"]
    lines += ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for due in dues:
        if due.interval_days is not None:
            start = max(due.due_on or today, today)
            title = titles.get(due.instrument_id, "")
            lines += _event(due, due.interval_days, title, start, stamp, discreet)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def _event(
    due: Due, interval: int, title: str, start: date, stamp: str, discreet: bool = False
) -> list[str]:
    name = title or due.instrument_id
    summary = f"Mitra: take the {name}"
    description = f"Open Mitra and take the {name}; it is scheduled every {interval} days."
    uid = f"{due.instrument_id}.schedule@mitra.local"
    if discreet:
        summary = "Journal: check-in"
        description = f"Open your journal for a check-in; every {interval} days."
        uid = f"{hashlib.sha256(due.instrument_id.encode()).hexdigest()[:16]}@journal.local"
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
        f"RRULE:FREQ=DAILY;INTERVAL={interval}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:PT9H",
        "END:VALARM",
        "END:VEVENT",
    ]


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newline."""
    out = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > ICAL_LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)
