"""Reading and writing journal entries: domain dataclasses in, domain dataclasses out.

One generic `Repository` per entity; field names of the dataclasses are the column names.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.domain.activity import Activity, Status
from mitra.domain.journal import (
    AdverseEffect,
    CheckIn,
    Effect,
    Medication,
    Schedule,
    SubstanceKind,
    UseEvent,
    Vital,
)
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.errors import ConflictError, NotFoundError

M = TypeVar("M")
RowMap = Mapping[Any, Any]
MAX_ID = 2**63 - 1  # the largest id SQLite's INTEGER and PostgreSQL's bigint can hold


_COLUMN_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _column_fields(model: type[Any]) -> tuple[str, ...]:
    """The dataclass fields stored as columns (all but `id`), looked up once per class."""
    names = _COLUMN_FIELDS.get(model)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(model) if f.name != "id")
        _COLUMN_FIELDS[model] = names
    return names


def _row_dict(entity: Any) -> dict[str, Any]:
    return {name: getattr(entity, name) for name in _column_fields(type(entity))}


Insert = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...], bool]
_INSERTS: dict[tuple[str, str, tuple[str, ...]], Insert] = {}


def _compiled_insert(conn: Connection, table: sa.Table, columns: tuple[str, ...]) -> Insert:
    """One INSERT per table, columns and dialect, compiled once: its SQL, each parameter with
    its column type's own bind processor (UTCDateTime's conversion to naive UTC), positional?"""
    key = (conn.dialect.name, table.name, columns)
    found = _INSERTS.get(key)
    if found is None:
        compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(columns))
        names = compiled.positiontup if compiled.positional else columns
        assert names is not None and set(names) == set(columns), (names, columns)
        params = tuple((n, _bind_processor(table.c[n], conn)) for n in names)
        found = _INSERTS[key] = (compiled.string, params, compiled.positional)
    return found


def _bind_processor(column: sa.Column[Any], conn: Connection) -> Callable[[Any], Any] | None:
    """The column type's conversion for this database (its dialect's own type, as execute())."""
    return column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)


def insert_many(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany of rows that all name the same columns, through one compiled statement with
    values converted once (tests/integration/store: stored exactly as `table.insert()` stores)."""
    if table.info.get(t.PER_JOURNAL) and "journal_id" not in rows[0]:
        # the column's default (`tables.current_journal`) runs only through execute(); this
        # compiled INSERT is sent as driver SQL, so the journal is stamped here, by the same rule
        journal = conn.get_execution_options().get(t.JOURNAL_OPTION, t.PERSONAL_JOURNAL)
        if journal == t.NO_JOURNAL:
            raise ValueError("journal rows written outside any journal's transaction")
        rows = [{**row, "journal_id": int(journal)} for row in rows]
    columns = tuple(rows[0])
    if any(tuple(row) != columns for row in rows):
        conn.execute(table.insert(), rows)
        return
    sql, params, positional = _compiled_insert(conn, table, columns)
    if positional:
        values: list[Any] = [
            tuple(row[n] if p is None else p(row[n]) for n, p in params) for row in rows
        ]
    else:
        values = [{n: row[n] if p is None else p(row[n]) for n, p in params} for row in rows]
    conn.exec_driver_sql(sql, values)


class Repository(Generic[M]):
    """Insert, update, delete, get and list one kind of journal entry."""

    def __init__(
        self,
        table: sa.Table,
        noun: str,
        from_row: Callable[[RowMap], M],
        to_row: Callable[[M], dict[str, Any]] = _row_dict,
        order_by: str | None = None,
    ) -> None:
        self.table = table
        self.noun = noun
        self.from_row = from_row
        self.to_row = to_row
        self.order_by = order_by

    def add(self, conn: Connection, entity: M, now: datetime, client_id: str | None = None) -> M:
        values = {**self.to_row(entity), "created_at": now}
        if client_id is not None:
            values["client_id"] = client_id
        new_id = conn.execute(self.table.insert().values(values)).inserted_primary_key
        assert new_id is not None
        return dataclasses.replace(entity, id=new_id[0])  # type: ignore[type-var]

    def add_plain(self, conn: Connection, entity: M) -> M:
        """Insert a row that has no created_at column (its own time is its record)."""
        new_id = conn.execute(self.table.insert().values(self.to_row(entity))).inserted_primary_key
        assert new_id is not None
        return dataclasses.replace(entity, id=new_id[0])  # type: ignore[type-var]

    def add_many(self, conn: Connection, entities: Sequence[M], now: datetime) -> int:
        if entities:
            rows = [{**self.to_row(entity), "created_at": now} for entity in entities]
            insert_many(conn, self.table, rows)
        return len(entities)

    def with_client_id(self, conn: Connection, client_id: str) -> M | None:
        """The entry a browser already sent with this client id (None: not yet stored)."""
        query = self.table.select().where(self.table.c.client_id == client_id)
        found = self.from_rows(conn.execute(query))
        return found[0] if found else None

    def _check_id(self, entity_id: int) -> None:
        check_id(entity_id, self.noun)

    def replace(
        self, conn: Connection, entity_id: int, entity: M, expected_version: int | None = None
    ) -> M:
        """Overwrite an entry; its version goes up by one. With `expected_version`, an entry
        changed since that version was read is refused (ConflictError), never overwritten."""
        self._check_id(entity_id)
        values = self.to_row(entity)
        if "version" in self.table.c:
            values["version"] = self.table.c.version + 1
        query = self.table.update().where(*self._target(entity_id, expected_version))
        if conn.execute(query.values(values)).rowcount == 0:
            self._missing_or_stale(conn, entity_id, expected_version)
        return dataclasses.replace(entity, id=entity_id)  # type: ignore[type-var]

    def delete(self, conn: Connection, entity_id: int, expected_version: int | None = None) -> None:
        self._check_id(entity_id)
        query = self.table.delete().where(*self._target(entity_id, expected_version))
        if conn.execute(query).rowcount == 0:
            self._missing_or_stale(conn, entity_id, expected_version)

    def version(self, conn: Connection, entity_id: int) -> int:
        """The entry's current version (raised by every edit); NotFoundError if it is gone."""
        self._check_id(entity_id)
        query = sa.select(self.table.c.version).where(self.table.c.id == entity_id)
        found = conn.execute(query).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no {self.noun} with id {entity_id}")
        return int(found)

    def _target(self, entity_id: int, expected: int | None) -> list[sa.ColumnElement[bool]]:
        where = [self.table.c.id == entity_id]
        return where if expected is None else [*where, self.table.c.version == expected]

    def _missing_or_stale(self, conn: Connection, entity_id: int, expected: int | None) -> None:
        current = self.version(conn, entity_id) if expected is not None else None
        if current is None:
            raise NotFoundError(f"no {self.noun} with id {entity_id}")
        raise ConflictError(
            f"this {self.noun} was changed since it was opened (version {expected}, now "
            f"{current}), so nothing was saved; open it again to see the current version"
        )

    def get(self, conn: Connection, entity_id: int) -> M:
        self._check_id(entity_id)
        row = conn.execute(self.table.select().where(self.table.c.id == entity_id)).mappings()
        found = row.first()
        if found is None:
            raise NotFoundError(f"no {self.noun} with id {entity_id}")
        return self.from_row(found)

    def list(
        self,
        conn: Connection,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
        where: Iterable[sa.ColumnElement[bool]] = (),
    ) -> list[M]:
        query = self.table.select().where(*where)
        if self.order_by is not None:
            column = self.table.c[self.order_by]
            if since is not None:
                query = query.where(column >= since)
            if until is not None:
                query = query.where(column < until)
            query = query.order_by(column.desc(), self.table.c.id.desc())
        else:
            query = query.order_by(self.table.c.id)
        query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return self.from_rows(conn.execute(query))

    def from_rows(self, result: sa.CursorResult[Any]) -> builtins.list[M]:
        """Entities from a result's rows, through plain dicts: building one with zip is several
        times cheaper than reading a SQLAlchemy RowMapping field by field."""
        keys = tuple(result.keys())
        return [self.from_row(dict(zip(keys, row, strict=True))) for row in result]

    def count(self, conn: Connection) -> int:
        return int(conn.execute(sa.select(sa.func.count()).select_from(self.table)).scalar_one())

    def first_time(self, conn: Connection) -> datetime | None:
        """The earliest entry's time (None when the table is empty or has no time order)."""
        if self.order_by is None:
            return None
        found = conn.execute(sa.select(sa.func.min(self.table.c[self.order_by]))).scalar_one()
        return cast("datetime | None", found)


_MODEL_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _fields(model: type[Any], row: RowMap) -> dict[str, Any]:
    names = _MODEL_FIELDS.get(model)
    if names is None:
        names = _MODEL_FIELDS[model] = tuple(f.name for f in dataclasses.fields(model))
    return {name: row[name] for name in names if name in row}


def _product_from_row(row: RowMap) -> Product:
    values = _fields(Product, row)
    values["form"] = ProductForm(row["form"])
    values["serving_unit"] = ServingUnit(row["serving_unit"]) if row["serving_unit"] else None
    values["custom_units"] = tuple((name, float(grams)) for name, grams in row["custom_units"])
    return Product(**values)


def _product_to_row(product: Product) -> dict[str, Any]:
    values = _row_dict(product)
    values["custom_units"] = [list(pair) for pair in product.custom_units]
    return values


def _medication_from_row(row: RowMap) -> Medication:
    values = _fields(Medication, row)
    values["kind"] = SubstanceKind(row["kind"])
    values["schedule"] = Schedule(row["schedule"])
    return Medication(**values)


def _effect_from_row(row: RowMap) -> AdverseEffect:
    return AdverseEffect(**{**_fields(AdverseEffect, row), "effect": Effect(row["effect"])})


def _plain(model: type[M]) -> Callable[[RowMap], M]:
    def from_row(row: RowMap) -> M:
        return model(**_fields(model, row))

    return from_row


products = Repository(t.products, "product", _product_from_row, _product_to_row)
uses = Repository(t.use_events, "use event", _plain(UseEvent), order_by="taken_at")
checkins = Repository(t.checkins, "check-in", _plain(CheckIn), order_by="recorded_at")
medications = Repository(t.medications, "medication", _medication_from_row)
effects = Repository(t.adverse_effects, "adverse effect", _effect_from_row, order_by="occurred_at")
vitals = Repository(t.vitals, "vital", _plain(Vital), order_by="measured_at")


def _activity_from_row(row: RowMap) -> Activity:
    return Activity(**{**_fields(Activity, row), "status": Status(row["status"])})


activity = Repository(t.activity, "activity record", _activity_from_row, order_by="at")


def fits_id(entity_id: int) -> bool:
    """Ids beyond a 64-bit integer cannot exist (and would overflow the driver)."""
    return -MAX_ID <= entity_id <= MAX_ID


def check_id(entity_id: int, noun: str) -> None:
    """NotFoundError for an id no row can have."""
    if not fits_id(entity_id):
        raise NotFoundError(f"no {noun} with id {entity_id}")


def uses_of_product(conn: Connection, product_id: int) -> int:
    if not fits_id(product_id):
        return 0
    query = sa.select(sa.func.count()).where(t.use_events.c.product_id == product_id)
    return int(conn.execute(query).scalar_one())


def get_preference(conn: Connection, key: str) -> str | None:
    query = sa.select(t.preferences.c.value).where(t.preferences.c.key == key)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)


def set_preference(conn: Connection, key: str, value: str) -> None:
    exists = get_preference(conn, key) is not None
    if exists:
        statement = t.preferences.update().where(t.preferences.c.key == key)
        conn.execute(statement.values(value=value))
    else:
        conn.execute(t.preferences.insert().values(key=key, value=value))
