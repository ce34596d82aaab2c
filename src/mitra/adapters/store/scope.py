"""One journal per transaction, on SQLite: every statement is limited to the journal's rows.

PostgreSQL enforces this itself (row-level security, migration 0008). SQLite has no such thing,
so before a statement runs on a connection opened for a journal (`Store`, execution option
`tables.JOURNAL_OPTION`), every SELECT in it (subqueries included) gets `journal_id = <journal>`
for each journal table it reads, and every UPDATE and DELETE of a journal table gets it too.
Inserts are stamped by the column's default (`tables.current_journal`). A repository that forgot
its filter still sees one journal only. Statements on the bare engine (migrations, maintenance)
and raw SQL strings are left alone: those are not use cases.

The rewrite costs about a third of a millisecond per statement (docs/benchmarks.md), so it is
skipped in a transaction whose first statement found no journal in the store but its own (a
personal journal: one journal, or a server before its first account). That proof holds for the
whole transaction: a write transaction holds SQLite's write lock from BEGIN IMMEDIATE, and a read
transaction reads the one snapshot its first statement opened (WAL), so a journal added by
another connection meanwhile is not seen by it; the next transaction finds it and filters.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Delete, Update
from sqlalchemy.sql.selectable import Alias, FromClause, Join, Select

from mitra.adapters.store.tables import FILTER_OPTION, JOURNAL_OPTION, PER_JOURNAL

APP_ROLE = "mitra_app"  # the PostgreSQL role every transaction runs as (migration 0008)
COLUMN = "journal_id"


def _journal_froms(frm: FromClause) -> list[FromClause]:
    """The journal tables (or aliases of them) a FROM item reads directly."""
    if isinstance(frm, Join):
        return _journal_froms(frm.left) + _journal_froms(frm.right)
    table = frm.element if isinstance(frm, Alias) else frm
    if isinstance(table, sa.Table) and table.info.get(PER_JOURNAL):
        return [frm]
    return []


def _limit_select(select: Select[Any], journal_id: int) -> None:
    criteria = [
        frm.c[COLUMN] == journal_id
        for final in select.get_final_froms()
        for frm in _journal_froms(final)
    ]
    if criteria:
        select._where_criteria += tuple(criteria)


def limit_to_journal(statement: Any, journal_id: int) -> Any:
    """`statement` seeing and changing only the rows of `journal_id`."""
    if isinstance(statement, Update | Delete):
        table = statement.table
        if isinstance(table, sa.Table) and table.info.get(PER_JOURNAL):
            statement = statement.where(table.c[COLUMN] == journal_id)
    elif not isinstance(statement, Select | sa.CompoundSelect | sa.Insert):
        return statement
    return visitors.cloned_traverse(
        statement, {}, {"select": lambda select: _limit_select(select, journal_id)}
    )


def scope_sqlite_statement(
    conn: Connection,
    statement: Any,
    multiparams: Any,
    params: Any,
    _execution_options: Any,
) -> tuple[Any, Any, Any]:
    """`before_execute` hook of a SQLite engine (see the module's text)."""
    options = conn.get_execution_options()
    journal_id = options.get(JOURNAL_OPTION)
    if journal_id is not None and options.get(FILTER_OPTION, True):
        statement = limit_to_journal(statement, int(journal_id))
    return statement, multiparams, params
