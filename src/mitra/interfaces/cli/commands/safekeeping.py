"""Keeping or removing the journal as a whole: `mitra backup`, `mitra restore`, `mitra erase`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.commands.progress import progress_bar
from mitra.interfaces.cli.output import stdout


def backup(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Backup file to create.")],
) -> None:
    """Copy the journal to FILE (safe while Mitra runs) and check the copy against it.

    An encrypted journal's backup is encrypted with the same passphrase. For PostgreSQL it
    prints how to use pg_dump instead, and exits with code 2."""
    from mitra.services import backup as service

    with progress_bar("Backing up") as update:
        done = service.backup(state(ctx).mitra(), output, update)
    stdout().print(f"Backed up to {output}: {done.rows} rows in {len(done.checksums)} tables.")


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `mitra backup`.")],
    force: Annotated[
        bool, typer.Option(help="Replace a journal that already has entries.")
    ] = False,
) -> None:
    """Restore a backup: checks it is a Mitra journal at a known schema revision, copies
    every table, and compares a checksum of every table afterwards. An encrypted backup asks
    for its passphrase (or takes MITRA_PASSPHRASE)."""
    from mitra.interfaces.cli.commands.lock import current_passphrase
    from mitra.services import backup as service

    mitra = state(ctx).mitra()
    passphrase = None
    if service.is_encrypted_backup(file):
        passphrase = current_passphrase(state(ctx).settings, "Passphrase of the backup")
    with progress_bar("Restoring") as update:
        done = service.restore(mitra, file, force=force, progress=update, passphrase=passphrase)
    stdout().print(
        f"Restored {done.rows} rows from {file}; all {len(done.checksums)} table checksums match."
    )


def erase(
    ctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes-delete-everything", help="Required: confirms you mean to delete everything."
        ),
    ] = False,
) -> None:
    """Delete every entry, score, preference and record, then compact the file so nothing is
    left in it. Cannot be undone; make a backup or export first if you may want it back."""
    from mitra.services import backup as service

    if not yes:
        stdout().print(
            "Nothing deleted. This removes your whole journal for good; to go ahead, run "
            "`mitra erase --yes-delete-everything`."
        )
        raise typer.Exit(2)
    removed = service.erase(state(ctx).mitra())
    total = sum(removed.values())
    parts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in removed.items() if n)
    stdout().print(f"Erased {total} rows ({parts or 'the journal was already empty'}).")
    stdout().print(service.erase_note(state(ctx).mitra()))
