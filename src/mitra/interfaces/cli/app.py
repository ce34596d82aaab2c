"""The `mitra` command: a root Typer app whose group turns MitraError into one line + exit 2."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from mitra.errors import MitraError
from mitra.interfaces.cli.output import stderr

if TYPE_CHECKING:
    from mitra.services.context import Mitra
    from mitra.settings import Settings

log = logging.getLogger("mitra")


@dataclass
class CliState:
    """Per-invocation state on ctx.obj: settings and journal, each made on first use.

    Loading lazily keeps `mitra <command> --help` working even when a setting is wrong.
    """

    _settings: Settings | None = field(default=None, repr=False)
    _mitra: Mitra | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from mitra.settings import load_settings

            self._settings = load_settings()
            logging.basicConfig(level=self._settings.log_level)
        return self._settings

    def mitra(self) -> Mitra:
        if self._mitra is None:
            from mitra.interfaces.cli.commands.lock import passphrase_if_needed
            from mitra.services.context import open_mitra

            passphrase = passphrase_if_needed(self.settings)
            self._mitra = open_mitra(self.settings, passphrase=passphrase)
        return self._mitra

    def close(self) -> None:
        if self._mitra is not None:
            self._mitra.close()


class ErrorHandlingGroup(TyperGroup):
    """Translates Mitra's typed errors into a one-line message and exit code 2."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        """Refuse arguments that are not text (bytes that are not UTF-8 arrive as lone
        surrogates, which no journal field, file name or database can hold)."""
        given = sys.argv[1:] if args is None else list(args)
        if any(_has_surrogate(arg) for arg in given if isinstance(arg, str)):
            stderr().print(
                "error: an argument is not valid text (it holds bytes that are not UTF-8); "
                "nothing was done"
            )
            raise SystemExit(2)
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MitraError as exc:
            stderr().print(f"[bold red]error:[/] {escape(exc.message)}", markup=True)
            raise typer.Exit(exc.exit_code) from None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


# Every command: name -> (module in mitra.interfaces.cli.commands, attribute, the line `mitra
# --help` shows). A command's module is imported only when that command runs, so `mitra --help`
# loads none of them (#16, cold start); tests/unit/cli/test_command_table.py pins this table to
# the commands themselves (same names, attributes and help lines).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "checkin": (
        "journal",
        "checkin",
        "Record today's daily check-in (daily ratings, not a validated questionnaire).",
    ),
    "timezone": (
        "journal",
        "timezone",
        "Show the time zone your days follow, or save one in the journal.",
    ),
    "history": (
        "entries",
        "show_history",
        "Show the journal day by day, newest first.",
    ),
    "show": (
        "entries",
        "show",
        "Show one entry in full.",
    ),
    "add": (
        "entries",
        "add",
        "Add an entry of any kind from its fields (as `mitra show` names them).",
    ),
    "edit": (
        "entries",
        "edit",
        "Change fields of one entry; everything else stays as it was.",
    ),
    "delete": (
        "entries",
        "delete",
        "Delete one entry, after confirmation.",
    ),
    "onboard": (
        "measures",
        "onboard",
        "Say what you are managing and where you live; this turns the matching measures on.",
    ),
    "evidence": (
        "knowledge",
        "evidence",
        "What studies say about a benefit people report: grade, studies and sources.",
    ),
    "legal": (
        "knowledge",
        "legal",
        "Legal status of kratom leaf and 7-OH products. Not legal advice; check current law.",
    ),
    "help-lines": (
        "knowledge",
        "help_lines",
        "Crisis, poison and substance-use help lines for a country, with the "
        "international\nfallback.",
    ),
    "demo": (
        "demo",
        "demo",
        "Fill a fresh journal with realistic synthetic data (refuses a journal with entries).",
    ),
    "migrate": (
        "server",
        "run_migrations",
        "Create or upgrade the journal's schema (also done on every start).",
    ),
    "login-link": (
        "server",
        "login_link",
        "Print the link that signs a browser in to `mitra serve` (keep it private).",
    ),
    "serve": (
        "server",
        "serve",
        "Start the web app (pages and the REST API) on this machine.",
    ),
    "import": (
        "sharing",
        "import_",
        "Import a Mitra JSON export (into an empty journal) or a KratomTracker-style CSV.",
    ),
    "report": (
        "sharing",
        "report",
        "A report for your clinician: a 1-2 page summary, then appendix tables (PDF or HTML).",
    ),
    "backup": (
        "safekeeping",
        "backup",
        "Copy the journal to FILE (safe while Mitra runs) and check the copy against it.",
    ),
    "restore": (
        "safekeeping",
        "restore",
        "Restore a backup: checks it is a Mitra journal at a known schema revision, "
        "copies\nevery table, and compares a checksum of every table afterwards. An "
        "encrypted backup asks\nfor its passphrase (or takes MITRA_PASSPHRASE).",
    ),
    "erase": (
        "safekeeping",
        "erase",
        "Delete every entry, score, preference and record, then compact the file so "
        "nothing is\nleft in it. Cannot be undone; make a backup or export first if you "
        "may want it back.",
    ),
    "insights": (
        "insights",
        "insights",
        "Trends, use pattern, questionnaire change and the n-of-1 association, in words.",
    ),
    "check-interactions": (
        "alerts",
        "check_interactions",
        "Look names up in the interaction lexicon (class, level, sources) without saving.",
    ),
    "log": (
        "journal",
        "log_app",
        "Log kratom use, an adverse effect or vital signs.",
    ),
    "products": (
        "journal",
        "products_app",
        "Kratom products: list them, add one, or check a 7-OH product against the law.",
    ),
    "meds": (
        "journal",
        "meds_app",
        "Medications and other substances: list, add, stop.",
    ),
    "measures": (
        "measures",
        "measures",
        "Validated questionnaires: take, score, schedule, export.",
    ),
    "kb": (
        "knowledge",
        "kb_app",
        "The knowledge base: search what is known, with sources.",
    ),
    "export": (
        "sharing",
        "export",
        "Export the whole journal: Mitra JSON (lossless), CSV, or a FHIR R4 bundle.",
    ),
    "lock": (
        "lock",
        "lock",
        "Protect the journal with a passphrase (SQLCipher encryption).",
    ),
    "alerts": (
        "alerts",
        "alerts_app",
        "Safety alerts: list them, acknowledge one.",
    ),
    "safety": (
        "alerts",
        "safety_app",
        "Safety engine: run every rule now.",
    ),
    "taper": (
        "taper",
        "taper_app",
        "A taper plan from your own log, at a pace you or your clinician choose. Mitra "
        "never suggests taking kratom or an amount.",
    ),
    "audit": (
        "audit",
        "audit_app",
        "The record of every look at a journal by someone else.",
    ),
    "role": (
        "audit",
        "role",
        "Give a server-mode account a role (or take it away with --remove).",
    ),
    "research": (
        "research",
        "research",
        "Research. donate and withdraw act on your journal; freeze and stats are for a "
        "study's researchers and read only the study's files, never a journal.",
    ),
    "accounts": (
        "accounts",
        "accounts_app",
        "Server mode's accounts: add, list, disable, reset, invite, delete.",
    ),
}


class LazyGroup(ErrorHandlingGroup):
    """The root group: lists COMMANDS, builds a command from its module only when it runs."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][2])
        return build_command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def build_command(name: str) -> Any:
    """The Click command (or group) `name`, built from its module as Typer builds it."""
    module, attribute, _help = COMMANDS[name]
    target = getattr(import_module(f"mitra.interfaces.cli.commands.{module}"), attribute)
    holder = typer.Typer(add_completion=False)
    holder.callback()(_no_options)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group.commands[name]


def _no_options() -> None:
    """A holder group's callback (its only use is to make Typer build a group)."""


def make_app() -> typer.Typer:
    app = typer.Typer(
        cls=LazyGroup,
        no_args_is_help=True,
        add_completion=False,
        help="Mitra: a private journal, measures and safety checks for people who use kratom. "
        "Not medical advice.",
    )

    @app.callback()
    def root(ctx: typer.Context) -> None:
        """Settings are loaded once, on first use; every command gets them from here."""
        ctx.obj = CliState()
        ctx.call_on_close(ctx.obj.close)

    return app


def main() -> None:
    """Console-script entry point: the outermost edge, where an unexpected error is logged."""
    try:
        make_app()()
    except Exception as exc:
        log.error("unexpected error: %s", type(exc).__name__)
        log.debug("traceback", exc_info=True)
        stderr().print("internal error: Mitra hit a bug; nothing more was written. See the log.")
        raise SystemExit(1) from None
