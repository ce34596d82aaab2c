"""Parquet files, a DuckDB database, and SQL over the same Parquet on DuckDB or Spark.

pyarrow, duckdb and pyspark are the optional `research` extra; each is imported inside the
function that needs it, so `mitra --help` and the web app never load them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitra.domain.research.deidentify import TABLES_BY_NAME, Row
from mitra.domain.research.omop import EMPTY_TABLE_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa


def _declared(name: str) -> pa.Schema | None:
    import pyarrow as pa

    table = TABLES_BY_NAME.get(name)
    columns = [(c.name, c.type) for c in table.columns] if table else EMPTY_TABLE_COLUMNS.get(name)
    if columns is None:
        return None
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
    }
    return pa.schema([(n, types[kind]) for n, kind in columns])


def _inferred(rows: Sequence[Row]) -> pa.Schema:
    """OMOP columns typed from their first known value; an all-empty column is a whole number
    when its name ends in _id (OMOP's integer keys) and text otherwise."""
    import pyarrow as pa

    fields = []
    for column in rows[0]:
        known = next((r[column] for r in rows if r[column] is not None), None)
        if known is None:
            kind = pa.int64() if column.endswith("_id") else pa.string()
        else:
            kind = pa.array([known]).type
            if kind == pa.timestamp("us") or str(kind).startswith("timestamp"):
                kind = pa.timestamp("us")
        fields.append((column, kind))
    return pa.schema(fields)


def write_parquet(folder: Path, tables: Mapping[str, Sequence[Row]]) -> list[Path]:
    """One `<table>.parquet` per table; native tables keep their declared types exactly."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        schema = _declared(name)
        if schema is None:
            if not rows:
                continue
            schema = _inferred(rows)
        columns = [f.name for f in schema]
        data = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)
        path = folder / f"{name}.parquet"
        pq.write_table(data, path)
        path.chmod(0o600)
        written.append(path)
    return written


def read_parquet(folder: Path) -> dict[str, list[Row]]:
    import pyarrow.parquet as pq

    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(folder.glob("*.parquet"))}


def write_duckdb(path: Path, folder: Path) -> None:
    """A DuckDB database holding every Parquet table of `folder`."""
    import duckdb

    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as conn:
        for parquet in sorted(folder.glob("*.parquet")):
            conn.execute(
                f'CREATE TABLE "{parquet.stem}" AS SELECT * FROM read_parquet(?)', [str(parquet)]
            )
    path.chmod(0o600)


def duckdb_tables(path: Path) -> dict[str, int]:
    """Rows per table of a DuckDB database (to check what opened)."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as conn:
        names = [r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        counts = {}
        for name in sorted(names):
            row = conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
            counts[name] = int(row[0]) if row else 0
        return counts


def duckdb_query(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    """`sql` over the Parquet tables of `folder`, each a view named after its file."""
    import duckdb

    with duckdb.connect() as conn:
        for parquet in sorted(folder.glob("*.parquet")):
            conn.execute(
                f"CREATE VIEW \"{parquet.stem}\" AS SELECT * FROM read_parquet('{parquet}')"
            )
        return [tuple(r) for r in conn.execute(sql).fetchall()]


@contextmanager
def spark_session() -> Iterator[Any]:
    """A local Spark session (one core, no UI), stopped on leaving."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("mitra-research")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()


def spark_query(spark: Any, folder: Path, sql: str) -> list[tuple[Any, ...]]:
    """The same `sql` on Spark SQL, over the same Parquet files. Only the tables `sql` names are
    opened: Spark reads a file's schema when it is opened, and that costs a second each."""
    for parquet in sorted(folder.glob("*.parquet")):
        if re.search(rf"\b{re.escape(parquet.stem)}\b", sql):
            spark.read.parquet(str(parquet)).createOrReplaceTempView(parquet.stem)
    return [tuple(row) for row in spark.sql(sql).collect()]
