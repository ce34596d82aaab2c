"""Encryption at rest: canary text written through the services never appears in any byte an
encrypted journal leaves on disk (file, WAL, shared memory, backup), and does in a plain one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from mitra.adapters.store import cipher
from mitra.adapters.store.engine import build_engine
from mitra.errors import ConfigurationError, ConflictError, LockedError, WrongPassphraseError
from mitra.services.backup import backup
from mitra.services.context import Mitra

PASSPHRASE = "correct horse battery staple"
Opener = Callable[..., Mitra]
Writer = Callable[[Mitra], None]
Reader = Callable[[Path], dict[str, bytes]]


def _canary_files(folder: Path, text: str, read: Reader) -> list[str]:
    return sorted(name for name, data in read(folder).items() if text.encode() in data)


def test_a_plain_journal_shows_the_canary_so_the_encrypted_test_can_fail(
    open_journal: Opener, write_canaries: Writer, disk_bytes: Reader, canary: str, tmp_path: Path
) -> None:
    mitra = open_journal()
    write_canaries(mitra)
    backup(mitra, tmp_path / "data" / "backup.db")
    found = _canary_files(tmp_path / "data", canary, disk_bytes)
    assert "backup.db" in found
    assert {"mitra.db", "mitra.db-wal"} & set(found)


def test_an_encrypted_journal_leaves_no_canary_in_file_wal_shm_or_backup(
    open_journal: Opener, write_canaries: Writer, disk_bytes: Reader, canary: str, tmp_path: Path
) -> None:
    mitra = open_journal(PASSPHRASE)
    write_canaries(mitra)
    backup(mitra, tmp_path / "data" / "backup.db")
    on_disk = disk_bytes(tmp_path / "data")
    assert {"mitra.db", "mitra.db-wal", "backup.db"} <= set(on_disk)
    assert _canary_files(tmp_path / "data", canary, disk_bytes) == []
    assert all(not data.startswith(cipher.PLAIN_HEADER) for data in on_disk.values())


def test_the_backup_of_an_encrypted_journal_opens_with_the_same_passphrase_only(
    open_journal: Opener, write_canaries: Writer, canary: str, tmp_path: Path
) -> None:
    mitra = open_journal(PASSPHRASE)
    write_canaries(mitra)
    copy = tmp_path / "copy.db"
    backup(mitra, copy)
    engine = build_engine(f"sqlite:///{copy}", PASSPHRASE)
    with engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM products").scalars().all()
    engine.dispose()
    assert names == [f"{canary} product"]
    with pytest.raises(WrongPassphraseError):
        build_engine(f"sqlite:///{copy}", "not the passphrase")


def test_backup_refuses_to_overwrite_an_existing_file(open_journal: Opener, tmp_path: Path) -> None:
    mitra = open_journal()
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    with pytest.raises(ConflictError):
        backup(mitra, target)
    assert target.read_bytes() == b"keep me"


def test_encrypted_connections_keep_temporary_data_in_memory(open_journal: Opener) -> None:
    mitra = open_journal(PASSPHRASE)
    with mitra.store.read() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("temp_store", "journal_mode", "synchronous", "foreign_keys")
        }
    assert pragmas == {"temp_store": 2, "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_a_wrong_passphrase_is_refused_and_the_file_is_left_byte_for_byte(
    open_journal: Opener, write_canaries: Writer, journal_file: Path
) -> None:
    mitra = open_journal(PASSPHRASE)
    write_canaries(mitra)
    mitra.close()
    before = journal_file.read_bytes()
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        build_engine(f"sqlite:///{journal_file}", "Correct horse battery staple")
    assert journal_file.read_bytes() == before


def test_an_encrypted_journal_without_a_passphrase_is_locked(
    open_journal: Opener, journal_file: Path
) -> None:
    open_journal(PASSPHRASE).close()
    with pytest.raises(LockedError, match="encrypted") as raised:
        build_engine(f"sqlite:///{journal_file}")
    assert raised.value.status == 401
    assert raised.value.exit_code == 2


def test_a_passphrase_for_a_plain_journal_is_refused_rather_than_ignored(
    open_journal: Opener, journal_file: Path
) -> None:
    open_journal().close()
    with pytest.raises(ConflictError, match="not encrypted"):
        build_engine(f"sqlite:///{journal_file}", PASSPHRASE)


@pytest.mark.parametrize(
    "url", ["sqlite://", "postgresql+psycopg://mitra:s3cret-pw@127.0.0.1/mitra"]
)
def test_only_a_journal_file_can_be_encrypted(url: str) -> None:
    with pytest.raises(ConfigurationError):
        build_engine(url, PASSPHRASE)


def test_the_derived_key_is_sqlciphers_own_so_its_tools_open_the_file(
    open_journal: Opener, write_canaries: Writer, journal_file: Path, canary: str
) -> None:
    mitra = open_journal(PASSPHRASE)
    write_canaries(mitra)
    mitra.close()
    conn = cipher.DBAPI.connect(str(journal_file))
    conn.execute("PRAGMA key = 'correct horse battery staple'")  # SQLCipher derives the key itself
    note = conn.execute("SELECT note FROM checkins").fetchone()[0]
    settings = {
        p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("kdf_iter", "cipher_kdf_algorithm")
    }
    conn.close()
    assert note == f"{canary} note"
    assert settings == {"kdf_iter": "256000", "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512"}


@pytest.mark.parametrize(
    ("head", "expected"),
    [(b"SQLite format 3\x00rest", False), (b"\x8f\x01random-salt-bytes", True), (b"", False)],
)
def test_a_file_is_encrypted_when_it_lacks_sqlites_plain_header(
    tmp_path: Path, head: bytes, expected: bool
) -> None:
    path = tmp_path / "file.db"
    path.write_bytes(head)
    assert cipher.is_encrypted(path) is expected
    assert cipher.is_encrypted(tmp_path / "missing.db") is False


def test_store_transactions_work_the_same_on_an_encrypted_journal(open_journal: Opener) -> None:
    mitra = open_journal(PASSPHRASE)
    with pytest.raises(sa.exc.IntegrityError), mitra.store.write() as conn:
        conn.exec_driver_sql("INSERT INTO preferences (key, value) VALUES ('k', 'one')")
        conn.exec_driver_sql("INSERT INTO preferences (key, value) VALUES ('k', 'two')")
    with mitra.store.read() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM preferences WHERE key = 'k'").scalar()
    assert count == 0
