"""Set up, encrypt, change and decrypt: every row kept (checksum), wrong passphrases and unsafe
requests refused with the journal untouched."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mitra.adapters.store import cipher
from mitra.errors import ConflictError, InvalidInputError, WrongPassphraseError
from mitra.services import lock
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.settings import Settings

OLD = "correct horse battery staple"
NEW = "a different long passphrase"
HOLD_OPEN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM products").fetchall()
print("open", flush=True)
sys.stdin.read()
conn.close()
"""
Opener = Callable[..., Mitra]


@pytest.fixture
def demo_journal(open_journal: Opener, journal_settings: Settings) -> lock.Rewritten:
    """A plain journal with 60 days of demo data; returns its tables, rows and checksum."""
    mitra = open_journal()
    seed_demo(mitra, days=60, seed=3, pattern="steady", anxiety_effect_per_g=0.0, force=False)
    mitra.close()
    return lock.checksum(journal_settings)


def test_encrypt_keeps_every_row_and_the_file_is_then_encrypted(
    demo_journal: lock.Rewritten, journal_settings: Settings, journal_file: Path
) -> None:
    result = lock.encrypt(journal_settings, OLD)
    assert result == demo_journal
    assert demo_journal.rows > 150
    assert cipher.is_encrypted(journal_file)
    assert lock.checksum(journal_settings, OLD) == demo_journal
    assert lock.status(journal_settings).encrypted is True


def test_change_re_keys_keeping_every_row_and_the_old_passphrase_stops_working(
    demo_journal: lock.Rewritten, journal_settings: Settings
) -> None:
    lock.encrypt(journal_settings, OLD)
    assert lock.change(journal_settings, OLD, NEW) == demo_journal
    assert lock.checksum(journal_settings, NEW) == demo_journal
    with pytest.raises(WrongPassphraseError):
        lock.verify(journal_settings, OLD)


@pytest.mark.usefixtures("demo_journal")
def test_change_with_a_wrong_current_passphrase_changes_nothing(
    journal_settings: Settings, journal_file: Path
) -> None:
    lock.encrypt(journal_settings, OLD)
    before = journal_file.read_bytes()
    with pytest.raises(WrongPassphraseError):
        lock.change(journal_settings, "guess", NEW)
    assert journal_file.read_bytes() == before
    assert sorted(p.name for p in journal_file.parent.iterdir()) == ["mitra.db"]


def test_decrypt_needs_explicit_confirmation_then_keeps_every_row(
    demo_journal: lock.Rewritten, journal_settings: Settings, journal_file: Path
) -> None:
    lock.encrypt(journal_settings, OLD)
    with pytest.raises(InvalidInputError, match="confirm"):
        lock.decrypt(journal_settings, OLD, confirmed=False)
    assert cipher.is_encrypted(journal_file)
    assert lock.decrypt(journal_settings, OLD, confirmed=True) == demo_journal
    assert journal_file.read_bytes().startswith(cipher.PLAIN_HEADER)


def test_setup_creates_a_new_journal_encrypted_and_migrated(
    journal_settings: Settings, journal_file: Path, open_journal: Opener
) -> None:
    result = lock.setup(journal_settings, OLD)
    assert cipher.is_encrypted(journal_file)
    assert result.rows == 2  # alembic_version and the personal journal: an empty, migrated journal
    with open_journal(OLD).store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM products").scalar() == 0


def test_setup_of_an_existing_plain_journal_encrypts_it(
    demo_journal: lock.Rewritten, journal_settings: Settings
) -> None:
    assert lock.setup(journal_settings, OLD) == demo_journal


@pytest.mark.parametrize("passphrase", ["", "short"])
@pytest.mark.usefixtures("demo_journal")
def test_a_new_passphrase_under_eight_characters_is_refused(
    journal_settings: Settings, journal_file: Path, passphrase: str
) -> None:
    with pytest.raises(InvalidInputError, match="passphrase: use at least 8 characters"):
        lock.encrypt(journal_settings, passphrase)
    assert not cipher.is_encrypted(journal_file)


@pytest.mark.usefixtures("demo_journal")
def test_encrypting_twice_or_re_keying_a_plain_journal_is_a_conflict(
    journal_settings: Settings,
) -> None:
    with pytest.raises(ConflictError, match="not encrypted"):
        lock.change(journal_settings, OLD, NEW)
    lock.encrypt(journal_settings, OLD)
    with pytest.raises(ConflictError, match="already encrypted"):
        lock.encrypt(journal_settings, NEW)


def test_encrypt_refuses_while_another_program_has_the_journal_open(
    demo_journal: lock.Rewritten, journal_settings: Settings, journal_file: Path
) -> None:
    # Another process, like a running `mitra serve` (within one process SQLite's locks cannot
    # tell two copies of the library apart, which is why the web app closes its journal first).
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(journal_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    try:
        with pytest.raises(ConflictError, match="another program has the journal open"):
            lock.encrypt(journal_settings, OLD)
    finally:
        holder.communicate("", timeout=30)
    assert not cipher.is_encrypted(journal_file)
    assert not Path(f"{journal_file}{cipher.REWRITE_SUFFIX}").exists()
    assert lock.checksum(journal_settings) == demo_journal


def test_a_copy_left_by_an_interrupted_run_is_removed_and_never_used(
    demo_journal: lock.Rewritten, journal_settings: Settings, journal_file: Path
) -> None:
    leftover = Path(f"{journal_file}{cipher.REWRITE_SUFFIX}")
    leftover.write_bytes(b"half a file")
    assert lock.encrypt(journal_settings, OLD) == demo_journal
    assert not leftover.exists()


@pytest.mark.usefixtures("demo_journal")
def test_the_steps_are_reported_in_order(journal_settings: Settings) -> None:
    steps: list[str] = []
    lock.encrypt(journal_settings, OLD, steps.append)
    assert steps == ["started", "exported", "verified", "replaced"]


def test_a_postgresql_journal_cannot_be_encrypted(
    settings_factory: Callable[..., Settings],
) -> None:
    settings = settings_factory(database_url="postgresql+psycopg://mitra:s3cret-pw@127.0.0.1/m")
    assert lock.status(settings).applies is False
    with pytest.raises(ConflictError, match="disk or server encryption"):
        lock.setup(settings, OLD)
