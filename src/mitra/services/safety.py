"""Safety use cases: evaluate the journal and store the alerts (before anything shows them), list
them, acknowledge them, and look a medicine name up in the interaction lexicon.

`evaluate_and_store` runs inside the write that changed the journal (pass its connection), so the
alerts a write raises are stored in the same transaction and the next page, command output or API
read shows them at once. Evaluation reads a bounded window (the last 90 days).

A single write passes `changed` (the journal parts it wrote, from the registry: a use writes
`uses`): only the rule families that read those parts are evaluated and reconciled, and only the
tables they read are loaded. Bulk writes, imports, profile changes and `mitra safety check`
evaluate every rule. On the same journal and clock both give the same stored alerts
(tests/properties/test_incremental_safety.py); what differs is that an alert which only the
passing of time would resolve (its evidence leaving the window) is resolved at the next write that
evaluates its family or the next full evaluation, rather than at any write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection

from mitra.adapters.knowledge.evidence import load_legal, load_sources
from mitra.adapters.knowledge.help_lines import crisis_lines_for, load_emergency_numbers
from mitra.adapters.knowledge.safety import load_rules
from mitra.adapters.store import alerts as store
from mitra.adapters.store import repositories as repo
from mitra.adapters.store import tables as t
from mitra.adapters.store.responses import responses
from mitra.domain.evidence import (
    INTERNATIONAL,
    CrisisLine,
    EmergencyNumber,
    JurisdictionStatus,
    Source,
    country_of,
)
from mitra.domain.safety import (
    FAMILIES,
    JOURNAL_PARTS,
    InteractionClass,
    Match,
    Pregnancy,
    Snapshot,
    StoredAlert,
    evaluate,
    families_reading,
    lookup,
    owned_by,
    reconcile,
)
from mitra.services.context import Mitra

WINDOW = timedelta(days=90)
PREGNANCY_KEY = "pregnancy"


def build_snapshot(
    mitra: Mitra, conn: Connection, parts: Collection[str] = JOURNAL_PARTS
) -> Snapshot:
    """The last 90 days of the journal parts asked for (all by default; the others are left
    empty), the medication list, profile place and help numbers."""
    since = mitra.now() - WINDOW
    country = repo.get_preference(conn, "country")
    code = None if country in (None, INTERNATIONAL) else country
    legal, emergency_numbers = _places()
    places = [] if code is None else [code, country_of(code)]
    journal: dict[str, Any] = {p: tuple(_LOADERS[p](conn, since)) for p in parts if p in _LOADERS}
    context = Snapshot(
        tz=mitra.timezone_in(conn),
        jurisdiction=code,
        legal=tuple(dict.fromkeys(legal[p] for p in places if p in legal)),
        crisis_lines=_lines(country or INTERNATIONAL),
        emergency=emergency_numbers.get(country_of(country or INTERNATIONAL)),
        pregnancy=_pregnancy(repo.get_preference(conn, PREGNANCY_KEY)),
    )
    return dataclasses.replace(context, **journal)


# How each journal part of the snapshot is read. No rule reads daily check-ins
# (tests/unit/domain/safety/test_inputs.py keeps that true), so none are read for nothing.
_LOADERS: dict[str, Callable[[Connection, datetime], list[Any]]] = {
    "products": lambda conn, _since: repo.products.list(conn),
    "uses": lambda conn, since: repo.uses.list(conn, since=since),
    "medications": lambda conn, _since: repo.medications.list(conn),
    "responses": lambda conn, since: responses.list(
        conn, where=[t.questionnaire_responses.c.taken_at >= since]
    ),
    "effects": lambda conn, since: repo.effects.list(conn, since=since),
    "vitals": lambda conn, since: repo.vitals.list(conn, since=since),
}


def _pregnancy(saved: str | None) -> Pregnancy | None:
    return Pregnancy(saved) if saved in set(Pregnancy) else None


def read_pregnancy(mitra: Mitra) -> Pregnancy | None:
    """The optional answer on pregnancy and breastfeeding (None when not answered)."""
    with mitra.store.read() as conn:
        return _pregnancy(repo.get_preference(conn, PREGNANCY_KEY))


def set_pregnancy(mitra: Mitra, answer: str | None) -> Pregnancy | None:
    """Save (or with an empty answer, clear) the pregnancy answer, and re-evaluate in the same
    transaction so the pregnancy alert appears or resolves at once."""
    text = (answer or "").strip().lower()
    parsed = Pregnancy.from_code(text) if text else None
    with mitra.store.write() as conn:
        repo.set_preference(conn, PREGNANCY_KEY, parsed.value if parsed else "")
        evaluate_and_store(mitra, conn)
    return parsed


@cache
def _places() -> tuple[dict[str, JurisdictionStatus], dict[str, EmergencyNumber]]:
    """Legal status and emergency numbers, parsed once per process (they ship with Mitra)."""
    return load_legal(), load_emergency_numbers()


@cache
def _lines(country: str) -> tuple[CrisisLine, ...]:
    return tuple(dict.fromkeys(crisis_lines_for(country)))


@contextmanager
def _writing(mitra: Mitra, conn: Connection | None) -> Iterator[Connection]:
    if conn is not None:
        yield conn
        return
    with mitra.store.write() as own:
        yield own


def evaluate_and_store(
    mitra: Mitra, conn: Connection | None = None, *, changed: Collection[str] | None = None
) -> list[StoredAlert]:
    """Evaluate the rules and store the result; returns the alerts raised now (new or again).

    Present conditions update their stored alert (matched by key); absent ones are marked
    resolved, never deleted. With `conn`, runs inside that transaction. With `changed` (the
    journal parts a single write changed), only the rule families reading them are evaluated,
    and only their alerts can be resolved; without it, every rule.
    """
    families = FAMILIES if changed is None else families_reading(changed)
    if not families:
        return []
    parts = set().union(*(f.reads for f in families))
    owns = None if changed is None else owned_by(families)
    now = mitra.now()
    with _writing(mitra, conn) as c:
        fresh = evaluate(build_snapshot(mitra, c, parts), load_rules(), now, families)
        changes = reconcile(store.all_alerts(c), fresh, now, owns)
        added = [store.add(c, new) for new in changes.added]
        store.update_many(c, list(changes.updated))
        raised = set(changes.raised)
        return _ordered(added + [s for s in changes.updated if s.alert.key in raised])


def _ordered(found: list[StoredAlert]) -> list[StoredAlert]:
    return sorted(found, key=lambda s: (s.alert.severity.rank, s.alert.rule_id, s.id or 0))


def list_alerts(mitra: Mitra, *, include_closed: bool = False) -> list[StoredAlert]:
    """Open alerts (unacknowledged, unresolved), crisis first; with `include_closed`, every one."""
    with mitra.store.read() as conn:
        found = store.all_alerts(conn)
    return _ordered([s for s in found if include_closed or s.status == "open"])


def open_alerts(mitra: Mitra) -> list[StoredAlert]:
    return list_alerts(mitra)


def open_alerts_in(conn: Connection) -> list[StoredAlert]:
    """Open alerts, crisis first, inside a use case's own transaction."""
    return _ordered([s for s in store.all_alerts(conn) if s.status == "open"])


def acknowledge(mitra: Mitra, alert_id: int) -> StoredAlert:
    """Mark an alert as seen; it is raised again if its condition recurs with newer evidence."""
    now = mitra.now()
    with mitra.store.write() as conn:
        found = store.get(conn, alert_id)
        if found.acknowledged_at is None:
            found = StoredAlert(
                found.alert,
                found.first_seen,
                found.last_seen,
                now,
                found.resolved_at,
                found.times_raised,
                found.id,
            )
            store.update(conn, found)
    return found


@dataclass(frozen=True)
class NameCheck:
    """What the lexicon says about one typed name: its match and classes, or not checked."""

    name: str
    match: Match | None
    classes: tuple[InteractionClass, ...]

    @property
    def checked(self) -> bool:
        return self.match is not None


def check_name(name: str) -> NameCheck:
    rules = load_rules()
    match = lookup(name, rules.lexicon)
    classes = () if match is None else tuple(rules.classes[c] for c in match.classes)
    return NameCheck(name, match, classes)


def source_links(ids: tuple[str, ...]) -> list[Source]:
    """Each source id as its bibliography entry (`link` is where to check it); an id unknown to
    the bibliography is kept bare, of kind "unknown", with no link."""
    known = load_sources()
    return [known[i] if i in known else Source(i, i, (), None, "unknown") for i in ids]
