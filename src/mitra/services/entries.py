"""The generic use cases every journal entry shares: add, replace, delete, get, list.

Each runs in one transaction; the entry is checked by the domain before anything is written, so a
bad entry writes nothing. The typed wrappers in `journal.py` are what interfaces call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from mitra.adapters.store import repositories as repo
from mitra.adapters.store.repositories import Repository
from mitra.domain import journal as j
from mitra.domain.products import Product, check_product
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import safety
from mitra.services.context import Mitra

M = TypeVar("M")


@dataclass(frozen=True)
class Kind(Generic[M]):
    """One kind of entry: its name in URLs and commands, its repository, and its check."""

    name: str
    title: str
    repository: Repository[M]
    check: Callable[[Connection, M, datetime], None]
    before_delete: Callable[[Connection, int], None] | None = None
    # Whether a change can alter a safety alert. Daily check-ins cannot: no safety rule reads them
    # (tests/unit/domain/safety/test_inputs.py keeps this true), so writing one skips evaluation.
    affects_safety: bool = True


def _no_time_check(check: Callable[[M], None]) -> Callable[[Connection, M, datetime], None]:
    def wrapped(_conn: Connection, entity: M, _now: datetime) -> None:
        check(entity)

    return wrapped


def _timed_check(check: Callable[[M, datetime], None]) -> Callable[[Connection, M, datetime], None]:
    def wrapped(_conn: Connection, entity: M, now: datetime) -> None:
        check(entity, now)

    return wrapped


def _check_use(conn: Connection, event: j.UseEvent, _now: datetime) -> None:
    repo.products.get(conn, event.product_id)  # NotFoundError names the missing product


def _refuse_used_product(conn: Connection, product_id: int) -> None:
    uses = repo.uses_of_product(conn, product_id)
    if uses:
        raise ConflictError(
            f"product {product_id} has {uses} logged use(s); delete or move them first, "
            "so no use is left without its product"
        )


PRODUCTS: Kind[Product] = Kind(
    "products", "Product", repo.products, _no_time_check(check_product), _refuse_used_product
)
USES: Kind[j.UseEvent] = Kind("uses", "Kratom use", repo.use_events, _check_use)
CHECKINS: Kind[j.CheckIn] = Kind(
    "checkins",
    "Daily check-in",
    repo.checkins,
    _timed_check(j.check_checkin),
    affects_safety=False,
)
MEDICATIONS: Kind[j.Medication] = Kind(
    "medications", "Medication or substance", repo.medications, _no_time_check(j.check_medication)
)
EFFECTS: Kind[j.AdverseEffect] = Kind(
    "effects", "Adverse effect", repo.adverse_effects, _timed_check(j.check_adverse_effect)
)
VITALS: Kind[j.Vital] = Kind("vitals", "Vital signs", repo.vitals, _timed_check(j.check_vital))

KINDS: dict[str, Kind[Any]] = {
    kind.name: kind for kind in (PRODUCTS, USES, CHECKINS, MEDICATIONS, EFFECTS, VITALS)
}


def add(mitra: Mitra, kind: Kind[M], entity: M, client_id: str | None = None) -> M:
    """Add one entry; with a `client_id` (an entry a phone queued offline), an entry already
    stored with that id is returned instead of a second copy."""
    now = mitra.now()

    def work() -> M:
        with mitra.store.write() as conn:
            if client_id is not None:
                stored = kind.repository.with_client_id(conn, client_id)
                if stored is not None:
                    return stored
            kind.check(conn, entity, now)
            added = kind.repository.add(conn, entity, now, client_id)
            _reevaluate(mitra, kind, conn)
            return added

    return once(mitra, kind.repository, client_id, work)


def once(
    mitra: Mitra, repository: Repository[M], client_id: str | None, work: Callable[[], M]
) -> M:
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
        return stored


def replace(
    mitra: Mitra, kind: Kind[M], entity_id: int, entity: M, expected_version: int | None = None
) -> M:
    """Overwrite an entry; with `expected_version` (from the form or `If-Match`) a stale edit is
    refused with ConflictError."""
    with mitra.store.write() as conn:
        kind.check(conn, entity, mitra.now())
        replaced = kind.repository.replace(conn, entity_id, entity, expected_version)
        _reevaluate(mitra, kind, conn)
        return replaced


def delete(
    mitra: Mitra, kind: Kind[Any], entity_id: int, expected_version: int | None = None
) -> None:
    with mitra.store.write() as conn:
        if kind.before_delete is not None:
            kind.before_delete(conn, entity_id)
        kind.repository.delete(conn, entity_id, expected_version)
        _reevaluate(mitra, kind, conn)


def _reevaluate(mitra: Mitra, kind: Kind[Any], conn: Connection) -> None:
    """Safety alerts for a change, stored in the same transaction as the change."""
    if kind.affects_safety:
        safety.evaluate_and_store(mitra, conn)


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


def kind_named(name: str) -> Kind[Any]:
    try:
        return KINDS[name]
    except KeyError:
        allowed = ", ".join(KINDS)
        raise InvalidInputError.one(
            "kind", f"unknown kind {name!r}; use one of: {allowed}"
        ) from None
