"""Stored alerts -> the JSON shape the CLI (`--json`) and the API share."""

from __future__ import annotations

from typing import Any

from mitra.domain.safety import StoredAlert
from mitra.interfaces.knowledge_json import source
from mitra.interfaces.serialize import to_jsonable
from mitra.services import safety


def alert_json(stored: StoredAlert) -> dict[str, Any]:
    a = stored.alert
    return {
        "id": stored.id,
        "rule_id": a.rule_id,
        "severity": a.severity.value,
        "title": a.title,
        "because": a.because,
        "what_to_do": a.what_to_do,
        "sources": [source(s) for s in safety.source_links(a.sources)],
        "status": stored.status,
        "first_seen": stored.first_seen.isoformat(),
        "last_seen": stored.last_seen.isoformat(),
        "acknowledged_at": to_jsonable(stored.acknowledged_at),
        "resolved_at": to_jsonable(stored.resolved_at),
        "times_raised": stored.times_raised,
    }
