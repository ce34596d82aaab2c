"""Issue #20: `mitra accounts ...` for the person running a server-mode Mitra."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import ZONE
from typer.testing import CliRunner

from mitra.errors import ForbiddenError
from mitra.interfaces.cli.app import make_app
from mitra.services import accounts
from mitra.services.context import Mitra
from mitra.settings import Settings

PASSWORD = "a long walk by the river"


@pytest.fixture
def server_cli(settings: Settings) -> Callable[..., Any]:
    env = {
        "MITRA_DATABASE_URL": settings.resolved_database_url,
        "MITRA_TIMEZONE": ZONE,
        "MITRA_DATA_DIR": str(settings.data_dir),
        "MITRA_SERVER": "true",
        "MITRA_LOOPBACK_ONLY": "true",
    }

    def run(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(make_app(), list(args), env=env, input=input)

    return run


def test_accounts_add_list_disable_enable_reset(
    server_cli: Callable[..., Any], mitra: Mitra
) -> None:
    added = server_cli("accounts", "add", "Ana", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "Added account ana" in added.stdout
    assert PASSWORD not in added.stdout
    assert server_cli("accounts", "add", "ben", input=f"{PASSWORD}\n{PASSWORD}\n").exit_code == 0
    listed = json.loads(server_cli("accounts", "list", "--json").stdout)
    assert [(row["name"], row["disabled_at"], row["second_factor"]) for row in listed] == [
        ("ana", None, False),
        ("ben", None, False),
    ]
    throttle = accounts.Throttle()
    accounts.sign_in(mitra, throttle, "ana", PASSWORD, "127.0.0.1")
    disabled = server_cli("accounts", "disable", "ana")
    assert disabled.stdout.strip() == "Disabled ana; 1 session(s) ended."
    text = server_cli("accounts", "list").stdout
    assert "ana  disabled  no code  created" in text
    assert "ben  active  no code  created" in text
    with pytest.raises(ForbiddenError):
        accounts.sign_in(mitra, throttle, "ana", PASSWORD, "127.0.0.1")
    assert server_cli("accounts", "enable", "ana").stdout.strip() == "Enabled ana."
    new = "another long walk home"
    reset = server_cli("accounts", "reset", "ana", input=f"{new}\n{new}\n")
    assert reset.exit_code == 0, reset.output
    assert accounts.sign_in(mitra, accounts.Throttle(), "ana", new, "127.0.0.1").journal_id > 1


def test_accounts_refuse_bad_input_with_one_line_and_write_nothing(
    server_cli: Callable[..., Any], mitra: Mitra
) -> None:
    short = server_cli("accounts", "add", "cleo", input="short\nshort\n")
    assert short.exit_code == 2
    assert "password: must be at least 12 characters" in short.stderr
    bad = server_cli("accounts", "add", "[bold]x[/]", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert bad.exit_code == 2
    assert "name: must be 3-64 lowercase letters" in bad.stderr
    missing = server_cli("accounts", "disable", "nobody")
    assert missing.exit_code == 2
    assert "no account named 'nobody'" in missing.stderr
    assert accounts.list_accounts(mitra) == []


def test_accounts_invite_prints_a_one_time_link(
    server_cli: Callable[..., Any], mitra: Mitra
) -> None:
    done = server_cli("accounts", "invite", "--days", "2", "--base-url", "https://mitra.home/")
    assert done.exit_code == 0, done.output
    link, note = done.stdout.strip().splitlines()
    assert link.startswith("https://mitra.home/invite/")
    assert note == "Valid for 2 day(s), once. Send it privately."
    secret = link.rsplit("/", 1)[1]
    assert accounts.invitation_is_live(mitra, secret) is True
    accounts.accept_invitation(mitra, secret, "dana", PASSWORD)
    assert accounts.invitation_is_live(mitra, secret) is False


def test_accounts_delete_needs_the_confirming_flag_and_erases_the_journal(
    server_cli: Callable[..., Any], mitra: Mitra
) -> None:
    from mitra.domain.products import Product, ProductForm
    from mitra.services import journal

    journal_id = accounts.add_account(mitra, "ana", PASSWORD)
    ana = mitra.for_journal(accounts.list_accounts(mitra)[0].journal_id)
    assert journal_id > 0
    journal.add_product(ana, Product(name="Red Bali", form=ProductForm.LEAF_POWDER))
    refused = server_cli("accounts", "delete", "ana")
    assert refused.exit_code == 2
    assert "Nothing deleted" in refused.stdout
    assert [a.name for a in accounts.list_accounts(mitra)] == ["ana"]
    done = server_cli("accounts", "delete", "ana", "--yes-delete-everything")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "Deleted account ana and erased 1 rows of its journal."
    assert accounts.list_accounts(mitra) == []


def test_accounts_commands_refuse_personal_mode(cli: Callable[..., Any]) -> None:
    done = cli("accounts", "list")
    assert done.exit_code == 2
    assert "accounts are for server mode: set MITRA_SERVER=true" in done.stderr
