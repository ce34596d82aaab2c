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


ACTION_LABELS: dict[str, str] = {
    "export.json": "Exported the journal (JSON)",
    "export.csv": "Exported the journal (CSV)",
    "export.fhir": "Exported a FHIR bundle",
    "import": "Imported a file",
    "import.json": "Imported a Mitra export",
    "import.kratomtracker": "Imported a KratomTracker file",
    "report.html": "Made a clinician report (HTML)",
    "report.pdf": "Made a clinician report (PDF)",
    "backup": "Backed up the journal",
    "restore": "Restored a backup",
    "erase": "Deleted everything",
    "research.donate": "Gave a de-identified copy to a research study",
    "research.withdraw": "Withdrew from a research study",
}


def action_label(action: str) -> str:
    """The words a person reads for a recorded action (the action's own name when unknown, so a
    new action is never hidden)."""
    return ACTION_LABELS.get(action, action)
