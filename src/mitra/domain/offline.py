"""Entries queued on a phone while offline carry the id the browser gave them, so a replay that
arrives twice is stored once (issue #17)."""

from __future__ import annotations

import re
from typing import Final

from mitra.errors import InvalidInputError

CLIENT_ID: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")


def check_client_id(text: str | None) -> str | None:
    """A client id as sent (8-64 letters, digits, '-' or '_'); None or empty: none was sent."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    if not CLIENT_ID.fullmatch(cleaned):
        raise InvalidInputError.one(
            "client_id", "must be 8-64 letters, digits, '-' or '_' (a browser-made id)"
        )
    return cleaned
