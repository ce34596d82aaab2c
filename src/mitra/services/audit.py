"""The record of every look at a person's journal by someone else (issue #21).

`record` appends one hash-chained event (`domain.audit`) in a transaction of its own, before
the data is read, so no look goes unrecorded (a read that then fails is still a recorded
attempt). `disclosures` is the person's own accounting of disclosures; `verify` checks the whole
chain (`mitra audit verify`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mitra.adapters.store import clinic as store
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain import audit
from mitra.domain.consent import Consent
from mitra.services.context import Mitra


@dataclass(frozen=True)
class Actor:
    account_id: int
    name: str
    role: str


def record(
    mitra: Mitra,
    actor: Actor,
    consent: Consent,
    *,
    what: str,
    kinds: str,
    period: str,
    source: str,
    action: str = "R",
) -> audit.Event:
    with mitra.for_journal(NO_JOURNAL).store.write() as conn:
        store.lock_chain(conn)
        previous = store.head(conn)
        fields = {
            "id": store.next_id(conn),
            "recorded_at": mitra.now(),
            "actor_account_id": actor.account_id,
            "actor_name": actor.name,
            "actor_role": actor.role,
            "subject_account_id": consent.person_account_id,
            "subject_name": consent.person_name,
            "action": action,
            "what": what[:40],
            "kinds": kinds[:200],
            "period": period[:200],
            "source": source[:100],
        }
        event = audit.Event(**fields, previous_hash=previous, hash="")  # type: ignore[arg-type]
        digest = audit.chain_hash(previous, event.fields())
        store.append(conn, fields, previous, digest)
        return audit.Event(**fields, previous_hash=previous, hash=digest)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Disclosure:
    event: audit.Event
    words: str


def disclosures(mitra: Mitra, person_account_id: int) -> list[Disclosure]:
    """Every recorded look at this person's journal, newest first, in plain words."""
    base = mitra.for_journal(NO_JOURNAL)
    with base.store.read() as conn:
        tz = base.timezone_in(conn)
        found = store.events(conn, person_account_id)
    return [Disclosure(event, audit.describe(event, tz)) for event in reversed(found)]


def verify(mitra: Mitra) -> audit.Verdict:
    with mitra.for_journal(NO_JOURNAL).store.read() as conn:
        return audit.verify(store.events(conn))
