"""Every imported row through the same domain checks as an entry typed by hand.

A checker takes the decoded row (column -> value) and `now`; it raises InvalidInputError (or
ValueError for a value outside a fixed vocabulary) naming the field. A kind's rows use the
registry's check (`Kind.check_row`); tables without a checker (none today) are still type-checked
column by column by the codec.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain.checks import check_time, check_zone
from mitra.errors import Problems
from mitra.services.registry import kind_of_table

Checker = Callable[[dict[str, Any], datetime], None]


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


# The tables that hold no kind of entry; every kind's rows go through its registry check.
CHECKERS: dict[str, Checker] = {
    "preferences": _preference,
    "questionnaire_responses": _response,
    "activity": _activity,
}


def checker_for(table: str) -> Checker | None:
    """The check an imported row of `table` goes through: its kind's one domain check (the same
    as for a form, the API or the CLI), or the table's own check above."""
    kind = kind_of_table(table)
    return kind.check_row if kind is not None else CHECKERS.get(table)
