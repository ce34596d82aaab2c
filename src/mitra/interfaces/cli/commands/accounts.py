"""`mitra accounts add|list|disable|enable|reset|invite|delete`: server mode's accounts, for the
person running the server (issue #20). Passwords are typed at a prompt that does not echo (or
piped on stdin, twice); they are never taken as an argument, which would land in shell history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout

if TYPE_CHECKING:
    from mitra.services.context import Mitra

NameArg = Annotated[str, typer.Argument(help="The account name (3-64 of a-z 0-9 . _ -).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _server_mitra(ctx: typer.Context) -> Mitra:
    """The store, in server mode only: a personal journal has no accounts and holds one journal."""
    from mitra.errors import ConfigurationError

    current = state(ctx)
    if not current.settings.server:
        raise ConfigurationError(
            "accounts are for server mode: set MITRA_SERVER=true (and MITRA_BEHIND_TLS=true, as "
            "`mitra serve --server` runs) before `mitra accounts` (docs/deploy.md)"
        )
    return current.mitra()


def _new_password(prompt: str) -> str:
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True))


def add(ctx: typer.Context, name: NameArg) -> None:
    """Add an account with its own new, empty journal (the password is asked for twice)."""
    from mitra.services import accounts

    mitra = _server_mitra(ctx)
    accounts.check_name(name)
    account_id = accounts.add_account(mitra, name, _new_password("Password"))
    stdout().print(f"Added account {name.strip().lower()} (id {account_id}).")


def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the accounts: name, created, disabled or not, second factor on or not."""
    from mitra.services import accounts

    found = accounts.list_accounts(_server_mitra(ctx))
    rows = [
        {
            "name": account.name,
            "id": account.id,
            "created_at": account.created_at,
            "disabled_at": account.disabled_at,
            "second_factor": account.totp_secret is not None,
        }
        for account in found
    ]
    if as_json:
        print_json(rows)
        return
    console = stdout()
    if not rows:
        console.print("No accounts yet (`mitra accounts add NAME` or `mitra accounts invite`).")
        return
    for row in rows:
        status = "disabled" if row["disabled_at"] else "active"
        factor = "code on" if row["second_factor"] else "no code"
        created = f"{row['created_at']:%Y-%m-%d}"
        console.print(f"{row['name']}  {status}  {factor}  created {created}")


def disable(ctx: typer.Context, name: NameArg) -> None:
    """Disable an account: it can no longer sign in, and every session of it ends now."""
    from mitra.services import accounts

    ended = accounts.disable(_server_mitra(ctx), name)
    stdout().print(f"Disabled {name.strip().lower()}; {ended} session(s) ended.")


def enable(ctx: typer.Context, name: NameArg) -> None:
    """Let a disabled account sign in again."""
    from mitra.services import accounts

    accounts.enable(_server_mitra(ctx), name)
    stdout().print(f"Enabled {name.strip().lower()}.")


def reset(ctx: typer.Context, name: NameArg) -> None:
    """Give an account a new password (asked for twice); its second factor is turned off and
    every session of it ends."""
    from mitra.services import accounts

    mitra = _server_mitra(ctx)
    accounts.check_name(name)
    accounts.reset_password(mitra, name, _new_password("New password"))
    stdout().print(
        f"New password set for {name.strip().lower()}; its sessions ended and its "
        "authenticator code is off (it can be turned on again after signing in)."
    )


def invite(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", min=1, max=90, help="Days the link stays valid.")
    ] = 7,
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="The server's address as people reach it."),
    ] = "https://<your host>",
) -> None:
    """Print a one-time invitation link: whoever opens it can create one account."""
    from mitra.services import accounts

    secret = accounts.invite(_server_mitra(ctx), days)
    console = stdout()
    console.print(f"{base_url.rstrip('/')}/invite/{secret}", soft_wrap=True)
    console.print(f"Valid for {days} day(s), once. Send it privately.")


def delete(
    ctx: typer.Context,
    name: NameArg,
    yes: Annotated[
        bool,
        typer.Option("--yes-delete-everything", help="Required: confirms the journal goes too."),
    ] = False,
) -> None:
    """Delete an account and erase its whole journal (as `mitra erase` does). Cannot be undone."""
    from mitra.services import accounts

    mitra = _server_mitra(ctx)
    name = accounts.check_name(name)
    if not yes:
        stdout().print(
            f"Nothing deleted. This erases {name}'s whole journal for good; to go ahead, run "
            f"`mitra accounts delete {name} --yes-delete-everything`."
        )
        raise typer.Exit(2)
    removed = accounts.delete_account(mitra, name)
    stdout().print(
        f"Deleted account {name} and erased {sum(removed.values())} rows of its journal."
    )


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Server mode's accounts: add, list, disable, reset, invite, delete.")
    app.add_typer(group, name="accounts")
    group.command("add")(add)
    group.command("list")(list_)
    group.command("disable")(disable)
    group.command("enable")(enable)
    group.command("reset")(reset)
    group.command("invite")(invite)
    group.command("delete")(delete)
