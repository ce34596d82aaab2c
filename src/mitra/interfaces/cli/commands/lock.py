"""`mitra lock setup|encrypt|change|decrypt|status`, and the passphrase prompt every command uses.

A passphrase is read from a prompt that never echoes, or from MITRA_PASSPHRASE (for scripts; less
safe). A wrong one prints one line and exits with code 2, like every other refused input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import stdout

if TYPE_CHECKING:
    from mitra.services.lock import Rewritten
    from mitra.settings import Settings

TRADE_OFF = (
    "The journal will be encrypted with your passphrase. Keep it somewhere safe: nobody, not even "
    "Mitra's authors, can open the journal without it. A forgotten passphrase means the data is "
    "gone."
)


def current_passphrase(settings: Settings, prompt: str = "Passphrase") -> str:
    """MITRA_PASSPHRASE when set, else a prompt that does not echo what is typed."""
    if settings.passphrase is not None:
        return settings.passphrase.get_secret_value()
    return str(typer.prompt(prompt, hide_input=True, err=True))


def new_passphrase(settings: Settings, *, use_setting: bool = True) -> str:
    """A new passphrase: MITRA_PASSPHRASE when allowed and set, else typed twice, never echoed."""
    if use_setting and settings.passphrase is not None:
        return settings.passphrase.get_secret_value()
    return str(typer.prompt("New passphrase", hide_input=True, confirmation_prompt=True, err=True))


def passphrase_if_needed(settings: Settings) -> str | None:
    """The passphrase when the journal is encrypted (asked for or from settings), else None."""
    from mitra.services.lock import needs_passphrase

    return current_passphrase(settings) if needs_passphrase(settings) else None


def _done(what: str, result: Rewritten) -> None:
    stdout().print(
        f"{what} {result.rows} rows in {result.tables} tables kept "
        f"(checksum {result.checksum[:16]}…)."
    )


lock = typer.Typer(help="Protect the journal with a passphrase (SQLCipher encryption).")


@lock.command("status")
def lock_status(ctx: typer.Context) -> None:
    """Say whether the journal is encrypted, and with which key derivation."""
    from mitra.services.lock import status

    found = status(state(ctx).settings)
    console = stdout()
    if not found.applies:
        console.print("This journal is on a database server: encrypt the server's disk.")
    elif found.encrypted:
        console.print(f"Encrypted: {found.path}")
        console.print(f"Key derivation: {found.kdf}. Cipher: {found.cipher}.")
    else:
        console.print(f"Not encrypted: {found.path} (`mitra lock setup` protects it).")


@lock.command("setup")
def lock_setup(ctx: typer.Context) -> None:
    """Protect the journal with a passphrase (creates it encrypted, or encrypts it)."""
    from mitra.services.lock import setup

    settings = state(ctx).settings
    stdout().print(TRADE_OFF)
    _done("Protected:", setup(settings, new_passphrase(settings)))


@lock.command("encrypt")
def lock_encrypt(ctx: typer.Context) -> None:
    """Encrypt an existing plain journal; it is verified before the plain file is replaced."""
    from mitra.services.lock import encrypt

    settings = state(ctx).settings
    stdout().print(TRADE_OFF)
    _done("Encrypted:", encrypt(settings, new_passphrase(settings)))


@lock.command("change")
def lock_change(ctx: typer.Context) -> None:
    """Change the passphrase (re-key); every row is kept and checked."""
    from mitra.services.lock import change

    settings = state(ctx).settings
    old = current_passphrase(settings, "Current passphrase")
    _done(
        "Passphrase changed:",
        change(settings, old, new_passphrase(settings, use_setting=False)),
    )


@lock.command("decrypt")
def lock_decrypt(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm without asking: store it as plain text.")
    ] = False,
) -> None:
    """Remove the encryption: the journal is stored as plain text again (asks to confirm)."""
    from mitra.services.lock import decrypt

    settings = state(ctx).settings
    passphrase = current_passphrase(settings)
    confirmed = yes or typer.confirm(
        "Store the journal unencrypted, readable by anyone with the file?", err=True
    )
    if not confirmed:
        stdout().print("Nothing changed.")
        raise typer.Exit(1)
    _done("Decrypted:", decrypt(settings, passphrase, confirmed=True))
