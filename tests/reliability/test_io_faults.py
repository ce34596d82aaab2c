"""I/O faults: a full disk, a read-only journal, a journal locked by another program.

Each fault is real: a small tmpfs filled to the last byte, a tmpfs remounted read-only, a second
process holding `BEGIN EXCLUSIVE`. The user must get a clear error (HTTP 503/507 with a message,
or the CLI's one-line error and exit code 2), nothing half-written, and a working journal as soon
as the fault clears. Mounting needs root; without it those cases skip and say why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from tests.reliability.conftest import LiveServer

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import migrate
from mitra.errors import StorageError

TMPFS_BYTES = 4 * 1024 * 1024
NOTE = "x" * 2000


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs of our own, unmounted afterwards."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (run the suite as root or in a container)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES},mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Write a filler file until the filesystem refuses another byte."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0")
        except OSError:
            pass
    return filler


def cli(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mitra", *args],
        env=server.full_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def rows(server: LiveServer, table: str = "checkins") -> int:
    database = server.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as conn:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        count: int = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


def post_checkin(server: LiveServer) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/checkins", json={"mood": 5, "note": NOTE}, timeout=30)


def test_a_full_disk_gives_a_clear_error_saves_nothing_half_way_and_recovers(
    small_disk: Path, live_server: Callable[..., LiveServer], figure: Callable[[str], None]
) -> None:
    server = live_server(database_url=f"sqlite:///{small_disk / 'mitra.db'}")
    acknowledged = 0
    filler = fill(small_disk)
    responses = [post_checkin(server) for _ in range(30)]
    refused = [r for r in responses if not r.is_success]
    acknowledged += sum(r.status_code == 201 for r in responses)
    assert refused, "the disk never filled up"
    assert {r.status_code for r in refused} <= {503, 507}
    assert "disk is full" in refused[0].json()["detail"]
    done = cli(server, "checkin", "--mood", "4", "--note", NOTE)
    assert done.returncode == 2
    assert "disk is full" in done.stderr
    filler.unlink()
    assert post_checkin(server).status_code == 201
    assert rows(server) == acknowledged + 1
    figure(
        f"disk full: {len(refused)} writes refused with {refused[0].status_code}, 0 half-written"
    )


def test_a_read_only_journal_gives_a_clear_error_and_recovers_when_writable_again(
    small_disk: Path, live_server: Callable[..., LiveServer], figure: Callable[[str], None]
) -> None:
    server = live_server(database_url=f"sqlite:///{small_disk / 'mitra.db'}")
    assert post_checkin(server).status_code == 201
    server.stop()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        done = cli(server, "checkin", "--mood", "4")
        assert done.returncode == 2, done.stderr
        assert "read-only" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert cli(server, "checkin", "--mood", "4").returncode == 0
    assert rows(server) == 2
    figure(f"read-only journal: CLI exit 2, {done.stderr.strip().splitlines()[-1]!r}")


def hold_exclusive_lock(database: Path, seconds: float) -> subprocess.Popen[str]:
    """Another program holding the write lock (`BEGIN EXCLUSIVE`) for `seconds`."""
    script = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(database)!r}, isolation_level=None)\n"
        "conn.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
        "conn.execute('ROLLBACK')\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


@pytest.mark.slow
def test_a_journal_locked_by_another_program_gives_503_then_works_when_released(
    live_server: Callable[..., LiveServer], figure: Callable[[str], None]
) -> None:
    server = live_server()
    assert post_checkin(server).status_code == 201
    holder = hold_exclusive_lock(server.data_dir / "mitra.db", seconds=18)
    started = time.monotonic()
    locked_cli = subprocess.Popen(
        [sys.executable, "-m", "mitra", "checkin", "--mood", "3"],
        env=server.full_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    refused = post_checkin(server)
    waited = time.monotonic() - started
    _, cli_error = locked_cli.communicate(timeout=60)
    read = httpx.get(f"{server.url}/api/v1/checkins", timeout=30)
    holder.communicate(timeout=30)
    assert refused.status_code == 503
    assert "busy" in refused.json()["detail"]
    assert locked_cli.returncode == 2 and "busy" in cli_error
    assert read.status_code == 200 and len(read.json()) == 1
    assert post_checkin(server).status_code == 201
    assert rows(server) == 2
    figure(f"locked journal: API 503 after {waited:.1f} s, CLI exit 2, reads still served")


def test_the_disk_filler_really_fills_a_folder(small_disk: Path) -> None:
    filler = fill(small_disk)
    assert shutil.disk_usage(small_disk).free < 4096
    assert filler.stat().st_size > TMPFS_BYTES // 2


def test_a_journal_that_cannot_be_opened_is_a_storage_error_with_a_plain_message(
    tmp_path: Path,
) -> None:
    dangling = tmp_path / "mitra.db"
    dangling.symlink_to(tmp_path / "gone" / "mitra.db")
    engine = build_engine(f"sqlite:///{dangling}")
    with pytest.raises(StorageError, match="could not be opened"):
        migrate(engine)
    engine.dispose()
