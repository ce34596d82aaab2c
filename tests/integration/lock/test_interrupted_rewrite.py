"""Kill -9 during `encrypt` and `change`, at every step boundary and at moments in between: the
journal must still open, with the old or the new passphrase, holding every row it held."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mitra.errors import LockedError, WrongPassphraseError
from mitra.services import lock
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.settings import Settings, load_settings

pytestmark = pytest.mark.slow

OLD = "correct horse battery staple"
NEW = "a different long passphrase"
STEPS = ["started", "exported", "verified", "replaced"]
RUN = """
import os, signal, sys
from mitra.services import lock
from mitra.settings import load_settings

folder, operation, kill_at = sys.argv[1:4]
settings = load_settings(data_dir=folder, timezone="UTC")

def step(name):
    if name == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

print("ready", flush=True)
if operation == "encrypt":
    lock.encrypt(settings, "correct horse battery staple", step)
else:
    lock.change(settings, "correct horse battery staple", "a different long passphrase", step)
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def year_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, lock.Rewritten]:
    """A plain journal with a year of demo data, and its checksum; copied by each test."""
    folder = tmp_path_factory.mktemp("year")
    settings = load_settings(data_dir=folder, timezone="UTC")
    mitra = open_mitra(settings)
    seed_demo(mitra, days=365, seed=5, pattern="steady", anxiety_effect_per_g=0.0, force=False)
    mitra.close()
    return folder / "mitra.db", lock.checksum(settings)


def _journal(year: tuple[Path, lock.Rewritten], folder: Path, encrypted: bool) -> Settings:
    folder.mkdir()
    shutil.copy(year[0], folder / "mitra.db")
    settings = load_settings(data_dir=folder, timezone="UTC")
    if encrypted:
        lock.encrypt(settings, OLD)
    return settings


def _start(folder: Path, operation: str, kill_at: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, str(folder), operation, kill_at],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def _finish(process: subprocess.Popen[str]) -> int:
    process.communicate(timeout=60)  # also closes the pipe
    return process.returncode


def _opens_with(
    settings: Settings, candidates: list[str | None]
) -> tuple[str | None, lock.Rewritten]:
    """The first candidate passphrase (None: plain) that opens the journal, and its checksum."""
    for passphrase in candidates:
        try:
            return passphrase, lock.checksum(settings, passphrase)
        except (WrongPassphraseError, LockedError):
            continue
    raise AssertionError("the journal opened with neither the old nor the new passphrase")


CASES: list[tuple[str, Callable[[], list[str | None]]]] = [
    ("encrypt", lambda: [None, OLD]),
    ("change", lambda: [OLD, NEW]),
]


@pytest.mark.parametrize("kill_at", STEPS)
@pytest.mark.parametrize(("operation", "candidates"), CASES, ids=["encrypt", "change"])
def test_a_kill_at_each_step_leaves_a_journal_that_opens_with_old_or_new_passphrase(
    year_journal: tuple[Path, lock.Rewritten],
    tmp_path: Path,
    operation: str,
    candidates: Callable[[], list[str | None]],
    kill_at: str,
) -> None:
    settings = _journal(year_journal, tmp_path / "j", encrypted=operation == "change")
    process = _start(tmp_path / "j", operation, kill_at)
    assert _finish(process) == -signal.SIGKILL
    used, found = _opens_with(settings, candidates())
    assert found == year_journal[1]
    assert used == (candidates()[1] if kill_at == "replaced" else candidates()[0])


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.25, 0.45])
@pytest.mark.parametrize(("operation", "candidates"), CASES, ids=["encrypt", "change"])
def test_a_kill_at_any_moment_leaves_every_row_readable_and_a_rerun_succeeds(
    year_journal: tuple[Path, lock.Rewritten],
    tmp_path: Path,
    operation: str,
    candidates: Callable[[], list[str | None]],
    delay: float,
) -> None:
    settings = _journal(year_journal, tmp_path / "j", encrypted=operation == "change")
    process = _start(tmp_path / "j", operation, "never")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    _finish(process)
    used, found = _opens_with(settings, candidates())
    assert found == year_journal[1]
    if used == candidates()[0]:  # interrupted before the rename: running it again completes it
        rerun = _start(tmp_path / "j", operation, "never")
        assert _finish(rerun) == 0
        assert _opens_with(settings, candidates()[1:]) == (candidates()[1], year_journal[1])
