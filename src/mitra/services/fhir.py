"""The FHIR R4 export use case: read the journal once, build the collection Bundle, write it.

The Patient is a pseudonym: a random id made on the first FHIR export and kept in the journal's
preferences (`fhir_pseudonym`), so later bundles from the same journal name the same patient
while carrying nothing that identifies the person.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from mitra.adapters.export import fhir
from mitra.adapters.files import write_private
from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain.clock import local_day
from mitra.services import taper
from mitra.services.context import Mitra
from mitra.services.exports import Exported
from mitra.services.outcomes import recorded

PSEUDONYM_KEY = "fhir_pseudonym"


def journal_data(mitra: Mitra) -> fhir.JournalData:
    """Everything the bundle needs, in one transaction (the pseudonym is made on first use)."""
    now = mitra.now()
    today = local_day(now, mitra.timezone())
    with mitra.store.write() as conn:
        pseudonym = repo.get_preference(conn, PSEUDONYM_KEY)
        if pseudonym is None:
            pseudonym = str(uuid.uuid4())
            repo.set_preference(conn, PSEUDONYM_KEY, pseudonym)
        return fhir.JournalData(
            pseudonym=pseudonym,
            now=now,
            today=today,
            products={p.id: p for p in repo.products.list(conn) if p.id is not None},
            uses=list(reversed(repo.uses.list(conn))),
            medications=repo.medications.list(conn),
            effects=list(reversed(repo.effects.list(conn))),
            vitals=list(reversed(repo.vitals.list(conn))),
            checkins=list(reversed(repo.checkins.list(conn))),
            responses=list(reversed(responses.list(conn))),
            instruments=knowledge.load_instruments(),
            tapers=taper.shareable(conn, now),
        )


def bundle(mitra: Mitra) -> dict[str, Any]:
    return fhir.bundle(journal_data(mitra))


def _counts(document: dict[str, Any]) -> dict[str, int]:
    return dict(Counter(entry["resource"]["resourceType"] for entry in document["entry"]))


def bundle_bytes(mitra: Mitra) -> tuple[bytes, dict[str, int]]:
    document = bundle(mitra)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return text.encode("utf-8"), _counts(document)


def export_fhir(mitra: Mitra, path: Path) -> Exported:
    def work() -> Exported:
        data, counts = bundle_bytes(mitra)
        write_private(path, data)
        return Exported((path,), counts)

    return recorded(mitra, "export.fhir", work, lambda done: done.counts)


def fhir_download(mitra: Mitra) -> bytes:
    data, _counts_ = recorded(mitra, "export.fhir", lambda: bundle_bytes(mitra), lambda d: d[1])
    return data
