"""Run a sharing use case (export, import, report, backup, restore, erase) and record its outcome.

Success and failure both leave an activity record; a failure's record says why in words that never
quote journal content (for a rejected file: the lines and fields at fault, not their values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mitra.domain.activity import Status
from mitra.errors import InvalidInputError, MitraError, StorageError
from mitra.services import activity
from mitra.services.context import Mitra

T = TypeVar("T")
MAX_DETAIL = 400


def safe_detail(exc: MitraError) -> str:
    """Why it failed, without the values: field names for invalid input, else the message."""
    if isinstance(exc, InvalidInputError):
        fields = ", ".join(problem.field for problem in exc.problems)
        text = f"refused: {len(exc.problems)} problem(s) at {fields}"
    else:
        text = f"{type(exc).__name__}: {exc.message}"
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def recorded(
    mitra: Mitra,
    action: str,
    work: Callable[[], T],
    counts: Callable[[T], dict[str, int]],
    detail: Callable[[T], str] = lambda _result: "",
) -> T:
    """Run `work`; record OK with its counts, or FAILED with the reason, then re-raise."""
    try:
        result = work()
    except MitraError as exc:
        activity.record(mitra, action, Status.FAILED, safe_detail(exc))
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        activity.record(mitra, action, Status.FAILED, f"file error: {reason}")
        raise StorageError(f"could not read or write the file: {reason}") from exc
    activity.record(mitra, action, Status.OK, detail(result), counts(result))
    return result
