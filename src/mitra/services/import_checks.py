"""Every imported row through the same domain checks as an entry typed by hand.

A checker takes the decoded row (column -> value) and `now`; it raises InvalidInputError (or
ValueError for a value outside a fixed vocabulary) naming the field. Tables without a checker here
(none today) are still type-checked column by column by the codec.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain import journal as j
from mitra.domain.checks import MAX_NOTE, check_text, check_time, check_zone
from mitra.domain.products import check_product
from mitra.errors import Problems

Checker = Callable[[dict[str, Any], datetime], None]


def _product(row: dict[str, Any], _now: datetime) -> None:
    check_product(repo.products.from_row(row))


def _use(row: dict[str, Any], now: datetime) -> None:
    """What `make_use_event` checks before converting: time, zone, note, a positive amount.

    The stored conversion is kept as it was computed when the use was logged (the product's label
    may have changed since), so it is not recomputed here.
    """
    use = repo.use_events.from_row(row)
    problems = Problems()
    check_time(use.taken_at, now, problems, "taken_at")
    check_zone(use.tz, problems)
    check_text(use.note, MAX_NOTE, problems, "note")
    if not use.amount > 0:
        problems.add("amount", "must be more than 0")
    problems.raise_if_any()


def _checkin(row: dict[str, Any], now: datetime) -> None:
    j.check_checkin(repo.checkins.from_row(row), now)


def _medication(row: dict[str, Any], _now: datetime) -> None:
    j.check_medication(repo.medications.from_row(row))


def _effect(row: dict[str, Any], now: datetime) -> None:
    j.check_adverse_effect(repo.adverse_effects.from_row(row), now)


def _vital(row: dict[str, Any], now: datetime) -> None:
    j.check_vital(repo.vitals.from_row(row), now)


def _response(row: dict[str, Any], now: datetime) -> None:
    """A known instrument, answers among its items' allowed values, a valid time and zone."""
    response = responses.from_row(row)
    instrument = knowledge.get_instrument(response.instrument_id)
    problems = Problems()
    check_time(response.taken_at, now, problems, "taken_at")
    check_zone(response.tz, problems)
    for item_id, value in response.score.answers.items():
        item = instrument.item(item_id)
        if value is not None and value not in item.allowed_values:
            problems.add("answers", f"answer to {item_id} is not one of its allowed values")
    problems.raise_if_any()


def _activity(row: dict[str, Any], now: datetime) -> None:
    record = repo.activity.from_row(row)
    problems = Problems()
    check_time(record.at, now, problems, "at")
    problems.raise_if_any()


def _preference(row: dict[str, Any], _now: datetime) -> None:
    problems = Problems()
    if not str(row.get("key", "")).strip():
        problems.add("key", "a preference needs a key")
    problems.raise_if_any()


CHECKERS: dict[str, Checker] = {
    "preferences": _preference,
    "products": _product,
    "use_events": _use,
    "checkins": _checkin,
    "medications": _medication,
    "adverse_effects": _effect,
    "vitals": _vital,
    "questionnaire_responses": _response,
    "activity": _activity,
}
