"""Backup and restore of an encrypted journal (issue #15, item 1): the backup copies every row and
checks the copy; restore asks for the backup's passphrase, opens it with SQLCipher and compares
every table's checksum. Before the fix, backup said "0 rows in 0 tables" and restore said "not a
Mitra journal"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mitra.adapters.store import cipher
from mitra.errors import InvalidInputError, LockedError, WrongPassphraseError
from mitra.interfaces.cli.app import make_app
from mitra.services import backup, journal
from mitra.services.context import Mitra, open_mitra
from mitra.settings import Settings, load_settings

PASSPHRASE = "correct horse battery staple"
OTHER = "the passphrase of another journal"
Opener = Callable[..., Mitra]


def _cli(data: Path, *args: str, input: str | None = None, passphrase: str | None = None) -> Any:
    env = {"MITRA_DATA_DIR": str(data), "MITRA_TIMEZONE": "UTC", "MITRA_PASSPHRASE": passphrase}
    return CliRunner().invoke(make_app(), list(args), env=env, input=input)


def test_encrypt_add_backup_restore_to_a_fresh_data_dir_keeps_every_entry(
    tmp_path: Path,
) -> None:
    data, fresh, copy = tmp_path / "data", tmp_path / "fresh", tmp_path / "journal.backup"
    assert _cli(data, "lock", "setup", input=f"{PASSPHRASE}\n{PASSPHRASE}\n").exit_code == 0
    for name in ("Red Bali", "Green Maeng Da", "White Borneo"):
        added = _cli(data, "products", "add", name, input=f"{PASSPHRASE}\n")
        assert added.exit_code == 0, added.output
    made = _cli(data, "backup", "-o", str(copy), input=f"{PASSPHRASE}\n")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().endswith("journal.backup: 3 rows in 13 tables.")
    assert cipher.is_encrypted(copy)
    assert copy.stat().st_mode & 0o777 == 0o600
    restored = _cli(fresh, "restore", str(copy), input=f"{PASSPHRASE}\n")
    assert restored.exit_code == 0, restored.output
    assert "table checksums match" in restored.stdout
    listed = _cli(fresh, "products")
    assert all(name in listed.stdout for name in ("Red Bali", "Green Maeng Da", "White Borneo"))


def test_a_backup_of_an_encrypted_journal_copies_and_checks_every_row(
    open_journal: Opener, write_canaries: Callable[[Mitra], None], tmp_path: Path
) -> None:
    mitra = open_journal(PASSPHRASE)
    write_canaries(mitra)
    done = backup.backup(mitra, tmp_path / "copy.db")
    assert done.counts["products"] == 1 and done.counts["checkins"] == 1
    assert done.rows == 2  # the backup's own activity record is written after the copy
    assert set(done.checksums) == set(done.counts)


def test_restoring_an_encrypted_backup_needs_its_own_passphrase(
    open_journal: Opener, write_canaries: Callable[[Mitra], None], tmp_path: Path
) -> None:
    source = open_journal(PASSPHRASE)
    write_canaries(source)
    copy = tmp_path / "copy.db"
    backup.backup(source, copy)
    target_settings = load_settings(data_dir=tmp_path / "other", timezone="UTC")
    target = open_mitra(target_settings, passphrase=OTHER)  # its own, different passphrase
    try:
        assert backup.is_encrypted_backup(copy)
        with pytest.raises(LockedError, match="this backup is encrypted"):
            backup.restore(target, copy)
        with pytest.raises(WrongPassphraseError):
            backup.restore(target, copy, passphrase=OTHER)
        done = backup.restore(target, copy, passphrase=PASSPHRASE)
        assert done.counts["products"] == 1
        assert [p.name for p in journal.list_products(target)] == [
            "CANARY-7f3a9c-kratom-journal product"
        ]
    finally:
        target.close()


def test_a_damaged_backup_is_refused_with_a_reason(
    open_journal: Opener, write_canaries: Callable[[Mitra], None], tmp_path: Path
) -> None:
    mitra = open_journal()
    write_canaries(mitra)
    copy = tmp_path / "copy.db"
    backup.backup(mitra, copy)
    data = bytearray(copy.read_bytes())
    data[0] ^= 0x01  # the magic string's first byte
    copy.write_bytes(bytes(data))
    with pytest.raises(InvalidInputError, match="is damaged"):
        backup.restore(mitra, copy, force=True)


def test_the_backup_of_a_plain_journal_is_plain_private_and_checked(
    journal_settings: Settings, open_journal: Opener, write_canaries: Callable[[Mitra], None]
) -> None:
    mitra = open_journal()
    write_canaries(mitra)
    copy = journal_settings.data_dir / "copy.db"
    done = backup.backup(mitra, copy)
    assert copy.read_bytes()[:16] == cipher.PLAIN_HEADER
    assert copy.stat().st_mode & 0o777 == 0o600
    assert (done.counts["products"], done.counts["checkins"]) == (1, 1)
