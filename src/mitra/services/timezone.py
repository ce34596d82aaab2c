"""The user's time zone: the one rule (`Mitra.timezone_in`: the journal's `timezone` preference,
else `MITRA_TIMEZONE`, else this machine's zone) and the use case that writes the preference.

Every "day" Mitra shows (history, insights, the report, safety rules that count per day) follows
this zone; each use case reads it once, inside its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitra.adapters.store import repositories as repo
from mitra.domain.checks import check_zone
from mitra.errors import Problems
from mitra.services import safety
from mitra.services.context import Mitra, system_zone

PREFERENCE = "timezone"


@dataclass(frozen=True)
class Zone:
    name: str
    source: str  # "journal" (saved here), "setting" (MITRA_TIMEZONE) or "machine"


def my_zone(mitra: Mitra) -> Zone:
    with mitra.store.read() as conn:
        saved = repo.get_preference(conn, PREFERENCE)
    if saved:
        return Zone(saved, "journal")
    if mitra.settings.timezone:
        return Zone(mitra.settings.timezone, "setting")
    return Zone(system_zone(), "machine")


def set_zone(mitra: Mitra, name: str) -> Zone:
    """Save the zone in the journal (an IANA name such as Europe/London), or with an empty name
    forget it (the setting or the machine's zone applies again). Safety is re-evaluated in the
    same transaction, since per-day rules count days in this zone."""
    text = name.strip()
    if text:
        problems = Problems()
        check_zone(text, problems, "timezone")
        problems.raise_if_any()
    with mitra.store.write() as conn:
        repo.set_preference(conn, PREFERENCE, text)
        safety.evaluate_and_store(mitra, conn)
    return my_zone(mitra)
