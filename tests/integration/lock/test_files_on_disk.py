"""Files on disk (issue #15, items 11-13): every file holding journal data is 0600 whatever the
umask and the folder; a rewrite copy left by a killed `lock decrypt` (plain text!) is removed on
the next open and was 0600 meanwhile; every connection deletes securely; an erase killed half-way
is finished on the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from mitra.adapters.store import cipher
from mitra.interfaces.cli.app import make_app
from mitra.services import activity, backup, journal, lock
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.settings import Settings

PASSPHRASE = "correct horse battery staple"
Opener = Callable[..., Mitra]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a user may have, so only explicit modes keep files private."""
    previous = os.umask(0o000)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("open_umask")
def test_every_file_written_from_the_journal_is_0600_even_with_an_open_umask(
    journal_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    env = {"MITRA_DATA_DIR": str(journal_settings.data_dir), "MITRA_TIMEZONE": "UTC"}
    existing = out / "report.html"
    existing.write_text("an older report")
    existing.chmod(0o644)
    commands = [
        ("products", "add", "Red Bali"),
        ("export", "json", "-o", str(out / "journal.json")),
        ("export", "csv", "-o", str(out / "tables.zip")),
        ("export", "csv", "-o", str(out / "tables")),
        ("export", "fhir", "-o", str(out / "bundle.json")),
        (
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "html",
            "-o",
            str(existing),
        ),
        ("measures", "calendar", "-o", str(out / "mitra.ics")),
        ("backup", "-o", str(out / "journal.backup")),
    ]
    for command in commands:
        result = CliRunner().invoke(make_app(), list(command), env=env)
        assert result.exit_code == 0, (command, result.output)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert [p.name for p in written if p.parent == out] == [
        "bundle.json",
        "journal.backup",
        "journal.json",
        "mitra.ics",
        "report.html",
        "tables.zip",
    ]
    # the journal tables (taper plans and events included) and preferences
    assert (
        len([p for p in written if p.parent.name == "tables"]) == 13
    )  # the journal tables, research donations included
    assert {p.name: _mode(p) for p in written if _mode(p) != 0o600} == {}
    assert _mode(journal_settings.data_dir / "mitra.db") == 0o600


@pytest.mark.usefixtures("open_umask")
def test_the_journal_is_0600_in_an_existing_0755_folder_and_an_older_0644_one_is_tightened(
    journal_settings: Settings, open_journal: Opener
) -> None:
    journal_settings.data_dir.mkdir(mode=0o755)
    mitra = open_journal()
    journal.list_products(mitra)
    folder = journal_settings.data_dir
    assert {p.name: _mode(p) for p in folder.iterdir()} == {
        "mitra.db": 0o600,
        "mitra.db-wal": 0o600,
        "mitra.db-shm": 0o600,
    }
    mitra.close()
    (folder / "mitra.db").chmod(0o644)
    open_journal()
    assert _mode(folder / "mitra.db") == 0o600


@pytest.mark.usefixtures("open_umask")
def test_an_encrypted_backup_and_the_rewritten_journal_are_0600(
    journal_settings: Settings, open_journal: Opener, tmp_path: Path
) -> None:
    mitra = open_journal()
    journal.list_products(mitra)
    mitra.close()
    (journal_settings.data_dir / "mitra.db").chmod(0o644)
    lock.encrypt(journal_settings, PASSPHRASE)
    assert _mode(journal_settings.data_dir / "mitra.db") == 0o600
    backup.backup(open_journal(PASSPHRASE), tmp_path / "copy.db")
    assert _mode(tmp_path / "copy.db") == 0o600


KILLED_DECRYPT = """
import os, signal, sys
from mitra.adapters.store import cipher
from mitra.services import lock
from mitra.settings import load_settings

settings = load_settings(data_dir=sys.argv[1], timezone="UTC")
path = settings.data_dir / "mitra.db"

def step(name):
    if name == "exported":
        temp = cipher.rewrite_path(path)
        print(oct(temp.stat().st_mode & 0o777), temp.read_bytes()[:16] == cipher.PLAIN_HEADER,
              flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

lock.decrypt(settings, "correct horse battery staple", confirmed=True, progress=step)
"""


def test_a_killed_decrypt_leaves_a_0600_rewrite_copy_that_the_next_open_removes(
    journal_settings: Settings, open_journal: Opener, write_canaries: Callable[[Mitra], None]
) -> None:
    write_canaries(open_journal(PASSPHRASE))
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_DECRYPT, str(journal_settings.data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    assert killed.stdout.split() == ["0o600", "True"]  # plain text, but private
    leftover = cipher.rewrite_path(journal_settings.data_dir / "mitra.db")
    assert leftover.exists()
    mitra = open_journal(PASSPHRASE)
    assert not leftover.exists()
    assert len(journal.list_products(mitra)) == 1


def test_a_rewrite_copy_still_being_written_is_not_removed(
    journal_settings: Settings, open_journal: Opener
) -> None:
    open_journal().close()
    path = journal_settings.data_dir / "mitra.db"
    with cipher.rewriting(path) as temp:
        cipher.remove_stale_rewrite(path)
        assert temp.exists()
    cipher.remove_stale_rewrite(path)
    assert not temp.exists()


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE])
def test_every_connection_deletes_securely(open_journal: Opener, passphrase: str | None) -> None:
    mitra = open_journal(passphrase)
    with mitra.store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1


def test_deleted_text_is_overwritten_at_once_not_only_after_compaction(
    open_journal: Opener, write_canaries: Callable[[Mitra], None], canary: str, journal_file: Path
) -> None:
    mitra = open_journal()
    write_canaries(mitra)
    with mitra.store.write() as conn:
        conn.exec_driver_sql("DELETE FROM checkins")
        conn.exec_driver_sql("DELETE FROM products")
    with mitra.store.engine.connect() as conn:  # outside a transaction, as a checkpoint must be
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [journal_file, Path(f"{journal_file}-wal")]
    assert [p.name for p in files if p.exists() and canary.encode() in p.read_bytes()] == []


def _erase_marker(settings: Settings) -> Path:
    return settings.data_dir / f"mitra.db{backup.ERASE_MARKER_SUFFIX}"


def test_an_erase_killed_before_it_finished_is_finished_on_the_next_start(
    journal_settings: Settings,
    open_journal: Opener,
    write_canaries: Callable[[Mitra], None],
    canary: str,
    journal_file: Path,
) -> None:
    mitra = open_journal()
    seed_demo(mitra, days=10, seed=1, pattern="steady", anxiety_effect_per_g=0.0, force=False)
    write_canaries(mitra)
    mitra.close()
    _erase_marker(journal_settings).write_bytes(b"")  # what a kill right after it leaves
    reopened = open_journal()
    assert not _erase_marker(journal_settings).exists()
    assert journal.list_products(reopened) == []
    assert [(a.action, a.status.value) for a in activity.recent(reopened)] == [("erase", "ok")]
    assert canary.encode() not in journal_file.read_bytes()


def test_an_erase_that_failed_before_deleting_leaves_no_marker_behind(
    journal_settings: Settings, open_journal: Opener
) -> None:
    mitra = open_journal()
    with mitra.store.write() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER no_erase BEFORE DELETE ON preferences "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        conn.exec_driver_sql("INSERT INTO preferences (key, value) VALUES ('timezone', 'UTC')")
    with pytest.raises(sa.exc.IntegrityError, match="refused"):
        backup.erase(mitra)
    assert not _erase_marker(journal_settings).exists()


def test_erase_says_what_remains_outside_mitra_on_each_database(
    client: TestClient, database_url: str
) -> None:
    page = client.post("/settings/erase", data={"confirm": "delete everything"})
    assert page.status_code == 200
    if database_url.startswith("sqlite"):
        assert str(escape(backup.SQLITE_ERASE_NOTE)) in page.text
    else:
        assert str(escape(backup.PG_ERASE_NOTE)) in page.text
        assert "file was compacted" not in page.text
