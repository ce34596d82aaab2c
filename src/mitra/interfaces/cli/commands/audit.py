"""`mitra audit verify` and `mitra role` (issue #21)."""

from __future__ import annotations

from typing import Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import stdout

audit_app = typer.Typer(help="The record of every look at a journal by someone else.")


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the audit chain: exit 1 and name the first event removed, altered or out of
    place; otherwise print the count and the chain's head (keep it to compare later)."""
    from mitra.services import audit

    verdict = audit.verify(state(ctx).mitra())
    if not verdict.ok:
        stdout().print(f"Audit chain BROKEN: {verdict.reason}.", markup=False)
        raise typer.Exit(1)
    stdout().print(f"Audit chain intact: {verdict.events} events; head {verdict.head}.")


def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account's name.")],
    role_name: Annotated[
        str,
        typer.Argument(metavar="ROLE", help="clinician, clinic_admin, server_admin or researcher."),
    ],
    remove: Annotated[bool, typer.Option("--remove", help="Take the role away.")] = False,
) -> None:
    """Give a server-mode account a role (or take it away with --remove)."""
    from mitra.services import consent

    held = consent.grant_role(state(ctx).mitra(), name, role_name, on=not remove)
    stdout().print(f"{name}: " + ", ".join(sorted(r.value for r in held)), markup=False)
