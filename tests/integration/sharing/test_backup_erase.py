"""Erase (every row gone, file compacted, canaries absent from the file's bytes), backup with the
SQLite online backup API, and restore with a checksum comparison of every table."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW
from tests.integration.sharing.seed import seed

from mitra.adapters.store import snapshot
from mitra.adapters.store.engine import Store, build_engine, sqlite_path
from mitra.domain.activity import Status
from mitra.domain.products import Product, ProductForm
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import activity, backup, journal
from mitra.services.context import Mitra

CANARY_NOTE = "canary-note-7f3a9c"
CANARY_PRODUCT = "canary-product-b21e44"


def plant_canaries(mitra: Mitra) -> None:
    product = journal.add_product(mitra, Product(CANARY_PRODUCT, ProductForm.LEAF_POWDER))
    assert product.id is not None
    journal.log_use(mitra, product_id=product.id, amount=2, unit="g", note=CANARY_NOTE)


def file_bytes(path: Path) -> bytes:
    """The journal file and any -wal/-shm beside it, as they are on disk."""
    found = b""
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            found += side.read_bytes()
    return found


@pytest.fixture
def sqlite_mitra(mitra: Mitra) -> Mitra:
    if not mitra.store.engine.dialect.name == "sqlite":
        pytest.skip("file-level checks are for SQLite journals")
    return mitra


def test_erase_removes_every_row_and_leaves_no_canary_in_the_file(sqlite_mitra: Mitra) -> None:
    path = sqlite_path(str(sqlite_mitra.store.engine.url))
    assert path is not None
    seed(sqlite_mitra, days=5)
    plant_canaries(sqlite_mitra)
    before = file_bytes(path)
    assert CANARY_NOTE.encode() in before and CANARY_PRODUCT.encode() in before
    removed = backup.erase(sqlite_mitra)
    assert removed["products"] == 5 and removed["use_events"] > 0 and removed["preferences"] >= 3
    after = file_bytes(path)
    assert CANARY_NOTE.encode() not in after and CANARY_PRODUCT.encode() not in after
    assert b"Red Bali" not in after
    assert Path(f"{path}-wal").stat().st_size == 0
    with sqlite_mitra.store.read() as conn:
        remaining = snapshot.counts(conn)
    assert remaining == {**dict.fromkeys(remaining, 0), "activity": 1}
    record = activity.recent(sqlite_mitra)[0]
    assert (record.action, record.status, record.counts) == ("erase", Status.OK, removed)


def test_erase_empties_every_table_on_each_database(mitra: Mitra) -> None:
    seed(mitra, days=3)
    backup.erase(mitra)
    with mitra.store.read() as conn:
        assert snapshot.is_empty(conn, ignore=("activity",))


def test_erase_from_the_cli_needs_the_explicit_flag(mitra: Mitra, cli: Any) -> None:
    seed(mitra, days=2)
    refused = cli("erase")
    assert refused.exit_code == 2 and "Nothing deleted" in refused.stdout
    assert journal.list_products(mitra) != []
    done = cli("erase", "--yes-delete-everything")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Erased ") and "4 products" in done.stdout
    assert journal.list_products(mitra) == []


def test_backup_then_restore_into_an_empty_journal_matches_every_checksum(
    sqlite_mitra: Mitra,
    tmp_path: Path,
    sqlite_template: Path,
) -> None:
    seed(sqlite_mitra, days=5)
    copy = backup.backup(sqlite_mitra, tmp_path / "journal.backup")
    with sqlite_mitra.store.read() as conn:
        live = backup.checksums(conn)
    assert copy.checksums.pop("activity") != live.pop("activity")  # the backup's own record
    assert copy.checksums == live
    target_path = tmp_path / "fresh" / "mitra.db"
    target_path.parent.mkdir()
    shutil.copy(sqlite_template, target_path)
    target = Mitra(
        Store(build_engine(f"sqlite:///{target_path}")), sqlite_mitra.settings, lambda: NOW
    )
    restored = backup.restore(target, tmp_path / "journal.backup")
    assert {k: v for k, v in restored.checksums.items() if k != "activity"} == copy.checksums
    assert restored.rows == copy.rows
    assert [p.name for p in journal.list_products(target)] == [
        p.name for p in journal.list_products(sqlite_mitra)
    ]
    target.close()


def test_backup_refuses_to_overwrite_a_file(sqlite_mitra: Mitra, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(ConflictError, match="already exists"):
        backup.backup(sqlite_mitra, tmp_path / "taken")
    assert activity.recent(sqlite_mitra)[0].status is Status.FAILED


def test_restore_refuses_a_journal_with_entries_without_force(
    sqlite_mitra: Mitra, tmp_path: Path
) -> None:
    seed(sqlite_mitra, days=2)
    backup.backup(sqlite_mitra, tmp_path / "b.db")
    with pytest.raises(ConflictError, match="--force"):
        backup.restore(sqlite_mitra, tmp_path / "b.db")
    done = backup.restore(sqlite_mitra, tmp_path / "b.db", force=True)
    assert done.counts["products"] == 4


def test_restore_refuses_a_file_that_is_not_a_mitra_journal(mitra: Mitra, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(InvalidInputError, match="not a Mitra journal"):
        backup.restore(mitra, other)
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    with pytest.raises(InvalidInputError, match="revision '9999'"):
        backup.restore(mitra, other)


def test_postgresql_backup_prints_pg_dump_guidance_and_exits_2(
    mitra: Mitra, cli: Any, tmp_path: Path
) -> None:
    result = cli("backup", "-o", str(tmp_path / "b.db"))
    if mitra.store.engine.dialect.name == "sqlite":
        assert result.exit_code == 0, result.output
        assert (tmp_path / "b.db").stat().st_mode & 0o777 == 0o600
    else:
        assert result.exit_code == 2
        assert "pg_dump --format=custom" in result.stderr
