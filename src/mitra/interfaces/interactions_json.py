"""A name reading (services.interactions) as JSON-ready data, the same for the REST API and
`mitra check-interactions --json`."""

from __future__ import annotations

from typing import Any

from mitra.interfaces.knowledge_json import source
from mitra.services.interactions import NameReading


def reading_json(r: NameReading) -> dict[str, Any]:
    return {
        "name": r.name,
        "state": r.state.value,
        "checked": r.match is not None,
        "matched": r.match.entry if r.match else None,
        "ingredients": list(r.match.parts) if r.match else [],
        "read_with_typo_allowance": bool(r.match and r.match.fuzzy),
        "severity": r.severity.value if r.severity else None,
        "classes": [
            {
                "id": c.klass.id,
                "name": c.klass.name,
                "level": c.klass.level.value,
                "severity": c.severity.value if c.severity else None,
                "mechanism": c.klass.mechanism,
                "sources": [source(s) for s in c.sources],
            }
            for c in r.classes
        ],
    }
