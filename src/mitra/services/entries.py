"""The generic use cases every journal entry shares: save, add, replace, delete, get, list.

Each runs in one transaction; the entry is checked by the domain before anything is written, so a
bad entry writes nothing. A write returns what it did: the saved entry and the alerts it raised
(already stored, in the same transaction). Which kinds exist is the registry's
(`services/registry.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from mitra.adapters.store.repositories import Repository
from mitra.domain.offline import check_client_id
from mitra.domain.safety import StoredAlert
from mitra.errors import InvalidInputError
from mitra.services import safety
from mitra.services.context import Mitra
from mitra.services.registry import (
    CHECKINS,
    EFFECTS,
    KINDS,
    MEDICATIONS,
    PRODUCTS,
    USES,
    VITALS,
    Kind,
    kind_named,
)

M = TypeVar("M")

__all__ = [
    "CHECKINS",
    "EFFECTS",
    "KINDS",
    "MEDICATIONS",
    "PRODUCTS",
    "USES",
    "VITALS",
    "Kind",
    "Saved",
    "kind_named",
]


@dataclass(frozen=True)
class Saved(Generic[M]):
    """What a write did: the entry as stored (with its id) and the alerts it raised now."""

    entry: M
    alerts: tuple[StoredAlert, ...] = ()


def save(
    mitra: Mitra,
    kind: Kind[Any] | str,
    values: dict[str, Any],
    entity_id: int | None = None,
    expected_version: int | None = None,
) -> Saved[Any]:
    """Create (or, with `entity_id`, replace) one entry from typed field values (None = not
    given: times default to now, zones to the user's); with `expected_version`, a replace of an
    entry changed since then is refused (ConflictError). One transaction: the zone is read, the
    entry built and checked, written, and safety evaluated in it.

    A `client_id` value (an entry a phone queued offline, #17; only kinds marked `offline` take
    one) makes a repeated create answer with the entry already stored, never a second copy."""
    target = kind_named(kind) if isinstance(kind, str) else kind
    given = dict(values)
    client_id = _client_id(target, given.pop("client_id", None))
    now = mitra.now()

    def work() -> Saved[Any]:
        with mitra.store.write() as conn:
            if entity_id is not None:
                target.repository.get(conn, entity_id)  # NotFoundError before any other problem
            elif client_id is not None:
                stored = target.repository.with_client_id(conn, client_id)
                if stored is not None:
                    return Saved(stored)
            entity = target.build_entry(conn, given, now, mitra.timezone_in(conn))
            if entity_id is None:
                written = target.repository.add(conn, entity, now, client_id)
            else:
                written = target.repository.replace(conn, entity_id, entity, expected_version)
            return Saved(written, _reevaluate(mitra, target, conn))

    return _once(mitra, target.repository, None if entity_id else client_id, work)


def add(mitra: Mitra, kind: Kind[M], entity: M, client_id: str | None = None) -> Saved[M]:
    """Add one entry; with a `client_id` (see `save`) an entry already stored with that id is
    returned instead of a second copy."""
    client_id = _client_id(kind, client_id)
    now = mitra.now()

    def work() -> Saved[M]:
        with mitra.store.write() as conn:
            if client_id is not None:
                stored = kind.repository.with_client_id(conn, client_id)
                if stored is not None:
                    return Saved(stored)
            kind.verify(conn, entity, now)
            added = kind.repository.add(conn, entity, now, client_id)
            return Saved(added, _reevaluate(mitra, kind, conn))

    return _once(mitra, kind.repository, client_id, work)


def _client_id(kind: Kind[Any], text: str | None) -> str | None:
    client_id = check_client_id(text)
    if client_id is not None and not kind.offline:
        offline = " and ".join(name for name, k in KINDS.items() if k.offline)
        raise InvalidInputError.one("client_id", f"only {offline} take one")
    return client_id


def _once(
    mitra: Mitra, repository: Repository[M], client_id: str | None, work: Callable[[], Saved[M]]
) -> Saved[M]:
    """Run an add; when a concurrent request stored the same client id first (PostgreSQL lets
    two transactions race to the unique index; SQLite's writers queue), answer with that one."""
    try:
        return work()
    except IntegrityError:
        if client_id is None:
            raise
        with mitra.store.read() as conn:
            stored = repository.with_client_id(conn, client_id)
        if stored is None:
            raise
        return Saved(stored)


def replace(
    mitra: Mitra, kind: Kind[M], entity_id: int, entity: M, expected_version: int | None = None
) -> Saved[M]:
    """Overwrite an entry; with `expected_version` (from the form or `If-Match`) a stale edit is
    refused with ConflictError."""
    with mitra.store.write() as conn:
        kind.verify(conn, entity, mitra.now())
        replaced = kind.repository.replace(conn, entity_id, entity, expected_version)
        return Saved(replaced, _reevaluate(mitra, kind, conn))


def delete(
    mitra: Mitra, kind: Kind[Any], entity_id: int, expected_version: int | None = None
) -> tuple[StoredAlert, ...]:
    """Delete one entry; returns the alerts the deletion raised (usually none)."""
    with mitra.store.write() as conn:
        if kind.before_delete is not None:
            kind.before_delete(conn, entity_id)
        kind.repository.delete(conn, entity_id, expected_version)
        return _reevaluate(mitra, kind, conn)


def _reevaluate(mitra: Mitra, kind: Kind[Any], conn: Connection) -> tuple[StoredAlert, ...]:
    """Safety alerts for a change, stored in the same transaction as the change: only the rules
    that read what the kind's table feeds are evaluated (none for a daily check-in)."""
    if kind.safety_part is None:
        return ()
    return tuple(safety.evaluate_and_store(mitra, conn, changed={kind.safety_part}))


def get(mitra: Mitra, kind: Kind[M], entity_id: int) -> M:
    with mitra.store.read() as conn:
        return kind.repository.get(conn, entity_id)


def get_versioned(mitra: Mitra, kind: Kind[M], entity_id: int) -> tuple[M, int]:
    """The entry and its version, read together: what an edit or delete form carries."""
    with mitra.store.read() as conn:
        return kind.repository.get(conn, entity_id), kind.repository.version(conn, entity_id)


def list_all(
    mitra: Mitra,
    kind: Kind[M],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[M]:
    with mitra.store.read() as conn:
        return kind.repository.list(conn, since=since, until=until, limit=limit, offset=offset)
