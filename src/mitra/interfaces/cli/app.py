"""The `mitra` command: a root Typer app whose group turns MitraError into one line + exit 2."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

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


def make_app() -> typer.Typer:
    from mitra.interfaces.cli.commands import demo, entries, journal, knowledge, measures, server

    app = typer.Typer(
        cls=ErrorHandlingGroup,
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

    for module in (journal, entries, measures, knowledge, demo, server):
        module.register(app)
    from mitra.interfaces.cli.commands import safekeeping, sharing

    for module in (sharing, safekeeping):
        module.register(app)
    from mitra.interfaces.cli.commands import lock

    lock.register(app)
    from mitra.interfaces.cli.commands import insights

    insights.register(app)
    from mitra.interfaces.cli.commands import alerts

    alerts.register(app)
    from mitra.interfaces.cli.commands import taper

    taper.register(app)
    from mitra.interfaces.cli.commands import audit

    audit.register(app)
    from mitra.interfaces.cli.commands import research

    research.register(app)
    from mitra.interfaces.cli.commands import accounts

    accounts.register(app)
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
