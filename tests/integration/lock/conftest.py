"""Fixtures for the passphrase tests: a SQLite journal file (encryption is SQLite-only), canary
text written through the service layer, and a way to read every byte Mitra left on disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm
from mitra.services import journal
from mitra.services.context import Mitra, open_mitra
from mitra.settings import Settings

NOW_FIXED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CANARY = "CANARY-7f3a9c-kratom-journal"
PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a different long passphrase"


@pytest.fixture
def journal_settings(settings_factory: Callable[..., Settings]) -> Settings:
    """Settings pointing at a SQLite file in this test's data folder (not created yet)."""
    return settings_factory()


@pytest.fixture
def journal_file(journal_settings: Settings) -> Path:
    return journal_settings.data_dir / "mitra.db"


@pytest.fixture
def open_journal(journal_settings: Settings) -> Iterator[Callable[..., Mitra]]:
    """Open the test journal (with a passphrase or not), closing everything opened at the end."""
    opened: list[Mitra] = []

    def open_(passphrase: str | None = None) -> Mitra:
        mitra = open_mitra(journal_settings, passphrase=passphrase)
        mitra.clock = lambda: NOW_FIXED
        opened.append(mitra)
        return mitra

    yield open_
    for mitra in opened:
        mitra.close()


@pytest.fixture
def write_canaries() -> Callable[[Mitra], None]:
    """Write the canary text into a product, a check-in note and a medication, via services."""

    def write(mitra: Mitra) -> None:
        journal.add_product(mitra, Product(f"{CANARY} product", ProductForm.LEAF_POWDER))
        at = NOW_FIXED - timedelta(hours=1)
        journal.record_checkin(mitra, j.CheckIn(at, "Europe/London", mood=5, note=f"{CANARY} note"))

    return write


class FakeClock:
    """A monotonic clock the test moves by hand (idle locking, passphrase back-off)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def files_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (journal, -wal, -shm, backups, leftovers), by name."""
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def disk_bytes() -> Callable[[Path], dict[str, bytes]]:
    return files_bytes


@pytest.fixture
def canary() -> str:
    return CANARY
