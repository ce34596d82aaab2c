"""A study people can donate to, and who is in it at a data freeze.

A study declares what it collects (kinds and period), how it is de-identified (its tier), the
consent text people agree to (versioned), the minimum cell size its statistics show and the k its
exports must reach. A withdrawal removes the person from every freeze made after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from mitra.errors import Problems


class Tier(StrEnum):
    """The de-identification tier declared on every donation and export (docs/research.md)."""

    AGGREGATE = "aggregate"  # HIPAA Safe Harbor style: years, weekly aggregates, no free text
    REGISTERED = "registered"  # one whole-week date shift per person, generalised QIs
    CONTROLLED = "controlled"  # exact dates under a data use agreement, no direct identifiers


KINDS: Final = ("uses", "questionnaires", "checkins")
DEFAULT_K: Final = 5
DEFAULT_MIN_CELL: Final = 5
_STUDY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    purpose: str
    ethics_reference: str
    kinds: tuple[str, ...]
    period_start: date
    period_end: date
    tier: Tier
    consent_version: str
    consent_text: str
    min_cell: int = DEFAULT_MIN_CELL
    k: int = DEFAULT_K

    def covers(self, day: date) -> bool:
        return self.period_start <= day <= self.period_end


def _text(raw: Mapping[str, Any], name: str, problems: Problems) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.add(name, "is required (text)")
        return ""
    return value.strip()


def _date(raw: Mapping[str, Any], name: str, problems: Problems) -> date:
    value = raw.get(name)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.add(name, f"must be a date (YYYY-MM-DD), got {value!r}")
        return date.min


def _count(raw: Mapping[str, Any], name: str, default: int, problems: Problems) -> int:
    value = raw.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 2 <= value <= 1000:
        problems.add(name, f"must be a whole number from 2 to 1000, got {value!r}")
        return default
    return value


def study_from_mapping(raw: Mapping[str, Any]) -> Study:
    """A study from its declaration (study.yaml, parsed); every problem reported at once."""
    problems = Problems()
    study_id = str(raw.get("id", ""))
    if not _STUDY_ID.match(study_id):
        problems.add("id", "2-63 lowercase letters, digits or hyphens")
    kinds = raw.get("kinds")
    if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
        problems.add("kinds", f"a list of one or more of {', '.join(KINDS)}")
        kinds = []
    tier = raw.get("tier")
    if tier not in {t.value for t in Tier}:
        problems.add("tier", f"one of {', '.join(t.value for t in Tier)}")
        tier = Tier.AGGREGATE
    study = Study(
        id=study_id,
        title=_text(raw, "title", problems),
        purpose=_text(raw, "purpose", problems),
        ethics_reference=_text(raw, "ethics_reference", problems),
        kinds=tuple(kinds),
        period_start=_date(raw, "period_start", problems),
        period_end=_date(raw, "period_end", problems),
        tier=Tier(tier),
        consent_version=_text(raw, "consent_version", problems),
        consent_text=_text(raw, "consent_text", problems),
        min_cell=_count(raw, "min_cell", DEFAULT_MIN_CELL, problems),
        k=_count(raw, "k", DEFAULT_K, problems),
    )
    if study.period_end < study.period_start:
        problems.add("period_end", "is before period_start")
    problems.raise_if_any()
    return study


class Event(StrEnum):
    JOINED = "joined"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Participation:
    """One person's act in one study: joined (by donating a package) or withdrew, on a day."""

    participant: str
    event: Event
    on: date
    consent_version: str = ""


@dataclass(frozen=True)
class Membership:
    """Who a freeze holds, and who it leaves out because they withdrew (with the day)."""

    members: tuple[str, ...]
    withdrawn: tuple[tuple[str, date], ...]


def members_at(records: Iterable[Participation], freeze_day: date) -> Membership:
    """Participants who joined on or before the freeze and did not withdraw by then. A
    withdrawal is final: a package donated again after it does not bring the person back."""
    joined: set[str] = set()
    withdrawn: dict[str, date] = {}
    for record in records:
        if record.on > freeze_day:
            continue
        if record.event is Event.JOINED:
            joined.add(record.participant)
        else:
            withdrawn[record.participant] = min(
                withdrawn.get(record.participant, record.on), record.on
            )
    return Membership(
        members=tuple(sorted(joined - withdrawn.keys())),
        withdrawn=tuple(sorted((p, d) for p, d in withdrawn.items() if p in joined)),
    )
