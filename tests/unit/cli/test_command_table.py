"""`mitra --help` lists the commands from a static table (`app.COMMANDS`) so that it imports no
command module (#16, cold start). This pins the table to the commands themselves: every command
a module under interfaces/cli/commands defines is in it, under its attribute, with the help line
its own docstring (or group help) gives."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import typer

from mitra.interfaces.cli import commands
from mitra.interfaces.cli.app import COMMANDS, build_command


def _command_like(value: object) -> bool:
    """A public function whose parameters are Typer options, arguments or a context."""
    if not inspect.isfunction(value) or value.__name__.startswith("_"):
        return False
    hints = inspect.signature(value).parameters.values()
    return any(
        "typer" in repr(p.annotation) or "Opt" in str(p.annotation) or "ctx" == p.name
        for p in hints
    )


def _defined() -> set[tuple[str, str]]:
    """(module, attribute) of every module-level Typer group and every root-level command
    function (one no module-level Typer registers)."""
    found = set()
    for info in pkgutil.iter_modules(commands.__path__):
        module = import_module(f"{commands.__name__}.{info.name}")
        groups = {n: v for n, v in vars(module).items() if isinstance(v, typer.Typer)}
        registered = {
            c.callback
            for g in groups.values()
            for c in [*g.registered_commands, g.registered_callback]
            if c is not None
        }
        found |= {(info.name, name) for name in groups}
        found |= {
            (info.name, name)
            for name, value in vars(module).items()
            if _command_like(value)
            and getattr(value, "__module__", "") == module.__name__
            and value not in registered
            and not name.startswith(("print_", "parse_", "ask", "summary_", "verdict_"))
        }
    return found


def test_every_command_is_in_the_table_under_its_attribute() -> None:
    table = {(module, attribute) for module, attribute, _help in COMMANDS.values()}
    assert table == _defined()


def test_the_table_shows_each_command_s_own_help_line() -> None:
    for name, (_module, _attribute, line) in COMMANDS.items():
        built = build_command(name)
        assert built.name == name
        assert (built.short_help or built.help or "").split("\n\n")[0] == line, name


def test_the_table_has_the_thirty_six_commands_in_their_help_order() -> None:
    assert list(COMMANDS)[:3] == ["checkin", "timezone", "history"]
    assert list(COMMANDS)[-5:] == ["taper", "audit", "role", "research", "accounts"]
    assert len(COMMANDS) == 36
