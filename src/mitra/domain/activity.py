"""Failures are data: every export, import, report, backup or erase leaves a record of how it went.

A record holds the action, whether it succeeded, a reason in plain words and counts — never
journal content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class Activity:
    at: datetime
    action: str
    status: Status
    detail: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    id: int | None = None
