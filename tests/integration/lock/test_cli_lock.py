"""`mitra lock …` and every other command on an encrypted journal: prompt without echo, or
MITRA_PASSPHRASE; a wrong passphrase is one line on stderr and exit code 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mitra.adapters.store import cipher
from mitra.interfaces.cli.app import make_app
from mitra.settings import Settings

OLD = "correct horse battery staple"
NEW = "a different long passphrase"
Run = Callable[..., Any]


@pytest.fixture
def run(journal_settings: Settings) -> Run:
    def invoke(*args: str, input: str | None = None, passphrase: str | None = None) -> Any:
        env = {
            "MITRA_DATA_DIR": str(journal_settings.data_dir),
            "MITRA_TIMEZONE": "Europe/London",
            "MITRA_PASSPHRASE": passphrase,
        }
        return CliRunner().invoke(make_app(), list(args), env=env, input=input)

    return invoke


@pytest.fixture
def protected(run: Run, journal_file: Path) -> Path:
    """A journal with one product, then protected with `mitra lock setup` at the prompt."""
    assert run("products", "add", "Red Bali", "--form", "leaf_powder").exit_code == 0
    result = run("lock", "setup", input=f"{OLD}\n{OLD}\n")
    assert result.exit_code == 0, result.output
    assert "A forgotten passphrase means the data is gone" in result.stdout
    assert cipher.is_encrypted(journal_file)
    return journal_file


@pytest.mark.usefixtures("protected")
def test_setup_prompts_twice_and_never_echoes_the_passphrase(run: Run) -> None:
    result = run("lock", "status")
    assert result.stdout.startswith("Encrypted: ")
    assert "PBKDF2-HMAC-SHA512, 256,000 iterations" in result.stdout


@pytest.mark.usefixtures("protected")
def test_other_commands_ask_for_the_passphrase_of_an_encrypted_journal(run: Run) -> None:
    result = run("products", input=f"{OLD}\n")
    assert result.exit_code == 0, result.output
    assert "Red Bali" in result.stdout
    assert OLD not in result.output


@pytest.mark.usefixtures("protected")
def test_mitra_passphrase_opens_it_without_a_prompt(run: Run) -> None:
    result = run("products", "--json", passphrase=OLD)
    assert result.exit_code == 0, result.output
    assert '"name": "Red Bali"' in result.stdout


@pytest.mark.parametrize("args", [("products",), ("migrate",), ("lock", "decrypt", "--yes")])
def test_a_wrong_passphrase_is_one_line_and_exit_code_2(
    protected: Path, run: Run, args: tuple[str, ...]
) -> None:
    before = protected.read_bytes()
    result = run(*args, passphrase="not it at all")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: wrong passphrase: the journal stays locked and nothing was changed"
    ]
    assert protected.read_bytes() == before


@pytest.mark.usefixtures("protected")
def test_change_keeps_the_entries_under_the_new_passphrase(run: Run) -> None:
    result = run("lock", "change", input=f"{OLD}\n{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert "Passphrase changed: " in result.stdout
    assert "Red Bali" in run("products", passphrase=NEW).stdout
    assert run("products", passphrase=OLD).exit_code == 2


def test_decrypt_asks_for_confirmation_and_no_changes_nothing(protected: Path, run: Run) -> None:
    refused = run("lock", "decrypt", input=f"{OLD}\nn\n")
    assert refused.exit_code == 1
    assert "Nothing changed." in refused.stdout
    assert cipher.is_encrypted(protected)
    done = run("lock", "decrypt", input=f"{OLD}\ny\n")
    assert done.exit_code == 0, done.output
    assert protected.read_bytes().startswith(cipher.PLAIN_HEADER)
    assert "Red Bali" in run("products").stdout


def test_encrypt_takes_mitra_passphrase_for_scripts(run: Run, journal_file: Path) -> None:
    assert run("products", "add", "Green Maeng Da", "--form", "leaf_powder").exit_code == 0
    result = run("lock", "encrypt", passphrase=OLD)
    assert result.exit_code == 0, result.output
    assert cipher.is_encrypted(journal_file)
    assert run("lock", "encrypt", passphrase=OLD).stderr.startswith(
        "error: the journal is already encrypted"
    )


def test_status_of_a_plain_journal_says_how_to_protect_it(run: Run) -> None:
    result = run("lock", "status")
    assert result.exit_code == 0
    assert "Not encrypted" in result.stdout
    assert "mitra lock setup" in result.stdout
