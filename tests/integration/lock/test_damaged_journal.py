"""Damaged journals (issue #15, item 6): damage is reported as damage — "the journal file is
damaged; restore a backup", exit code 2 — and a wrong passphrase as a wrong passphrase. Before the
fix a flipped header byte read as "encrypted, wrong passphrase" and truncation or random damage
ended in "internal error" (exit 1).

How the two are told apart: a wrong key fails SQLCipher's HMAC on every page, damage on some only;
a plain file is checked with SQLite's quick_check, and a plain file whose first bytes were hit is
recognised by the rest of its header."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mitra.adapters.store import cipher
from mitra.errors import DamagedJournalError, WrongPassphraseError
from mitra.interfaces.cli.app import make_app
from mitra.interfaces.web.app import create_app
from mitra.services import journal
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.settings import Settings

PASSPHRASE = "correct horse battery staple"
DAMAGED = "the journal file is damaged (mitra.db); restore a backup"
Damage = Callable[[bytearray], bytearray]


def _flip_header_byte(data: bytearray) -> bytearray:
    data[3] ^= 0x01  # "SQLite format 3" becomes "SQLnte format 3"
    return data


def _truncate(data: bytearray) -> bytearray:
    return data[: len(data) // 2 + 100]


def _random_middle(data: bytearray) -> bytearray:
    rng = random.Random(15)
    middle = len(data) // 2
    data[middle : middle + 4096] = rng.randbytes(4096)
    return data


def _every_page_type(data: bytearray) -> bytearray:
    for start in range(4096, len(data), 4096):  # each b-tree page's type byte, after page 1
        data[start] = 0xFF
    return data


def _damage_page_one(data: bytearray) -> bytearray:
    data[200] ^= 0xFF  # inside page 1, after the salt
    return data


def _journal(settings: Settings, passphrase: str | None = None) -> Path:
    mitra = open_mitra(settings, passphrase=passphrase)
    seed_demo(mitra, days=60, seed=3, pattern="steady", anxiety_effect_per_g=0.0, force=False)
    mitra.close()
    return settings.data_dir / "mitra.db"


def _damage(path: Path, how: Damage) -> None:
    path.write_bytes(bytes(how(bytearray(path.read_bytes()))))


def _cli(settings: Settings, *args: str, passphrase: str | None = None) -> Any:
    env = {
        "MITRA_DATA_DIR": str(settings.data_dir),
        "MITRA_TIMEZONE": "UTC",
        "MITRA_PASSPHRASE": passphrase,
    }
    return CliRunner().invoke(make_app(), list(args), env=env)


@pytest.mark.parametrize("how", [_flip_header_byte, _truncate, _random_middle])
@pytest.mark.parametrize("command", [("products",), ("history",), ("backup", "-o", "x.db")])
def test_every_command_on_a_damaged_plain_journal_says_damaged_and_exits_2(
    journal_settings: Settings, how: Damage, command: tuple[str, ...]
) -> None:
    path = _journal(journal_settings)
    _damage(path, how)
    result = _cli(journal_settings, *command)
    assert result.exit_code == 2, result.output
    assert DAMAGED in " ".join(result.stderr.split())
    assert "passphrase" not in result.stderr


def test_a_flipped_header_byte_is_not_mistaken_for_encryption(journal_settings: Settings) -> None:
    path = _journal(journal_settings)
    _damage(path, _flip_header_byte)
    assert cipher.is_encrypted(path) is False
    with pytest.raises(DamagedJournalError, match="restore a backup"):
        open_mitra(journal_settings)


def test_a_wrong_passphrase_on_an_intact_encrypted_journal_is_a_wrong_passphrase(
    journal_settings: Settings,
) -> None:
    _journal(journal_settings, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        open_mitra(journal_settings, passphrase="not the passphrase")
    result = _cli(journal_settings, "products", passphrase="not the passphrase")
    assert result.exit_code == 2
    assert "wrong passphrase" in result.stderr and "damaged" not in result.stderr


@pytest.mark.parametrize("how", [_damage_page_one, _truncate, _random_middle])
def test_a_damaged_encrypted_journal_with_the_right_passphrase_says_damaged(
    journal_settings: Settings, how: Damage
) -> None:
    path = _journal(journal_settings, PASSPHRASE)
    _damage(path, how)
    assert cipher.is_encrypted(path)
    with pytest.raises(DamagedJournalError, match="restore a backup"):
        open_mitra(journal_settings, passphrase=PASSPHRASE)
    result = _cli(journal_settings, "products", passphrase=PASSPHRASE)
    assert result.exit_code == 2
    assert DAMAGED in " ".join(result.stderr.split())


def test_the_web_app_refuses_to_start_on_a_damaged_journal(journal_settings: Settings) -> None:
    _damage(_journal(journal_settings), _truncate)
    with pytest.raises(DamagedJournalError):
        create_app(journal_settings)
    result = _cli(journal_settings, "serve", "--port", "8765")
    assert result.exit_code == 2
    assert DAMAGED in " ".join(result.stderr.split())


def test_damage_found_while_serving_is_a_503_page_saying_restore_a_backup(
    journal_settings: Settings,
) -> None:
    path = _journal(journal_settings)
    mitra = open_mitra(journal_settings)
    _damage(path, _every_page_type)
    mitra.store.dispose()  # no page cached from before the damage
    with pytest.raises(DamagedJournalError):
        journal.list_products(mitra)
    app = create_app(journal_settings, mitra)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        client.get(app.state.login.url_path)
        page = client.get("/history")
        api = client.get("/api/v1/uses")
    mitra.close()
    assert page.status_code == 503 and DAMAGED in page.text
    assert api.status_code == 503 and api.json()["detail"].startswith(DAMAGED)
