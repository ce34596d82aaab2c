"""Reading and changing any entry: `mitra history`, `mitra show`, `mitra add`, `mitra edit`,
`mitra delete`. `show`, `add`, `edit` and `delete` work for every kind in the registry."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.commands.alerts import print_new_alerts
from mitra.interfaces.cli.output import print_json, stdout

KIND_HELP = "products, uses, checkins, medications, effects or vitals."
SetOpt = Annotated[
    list[str], typer.Option("--set", help="field=value, repeatable, e.g. --set amount=2.")
]


def _changes(changes: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for change in changes:
        name, sep, value = change.partition("=")
        if not sep:
            raise typer.BadParameter(f"{change!r}: write field=value", param_hint="--set")
        values[name.strip()] = value
    return values


def show_history(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days back, today included.")] = 14,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only these kinds (uses, checkins, effects, vitals, …); repeatable."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show the journal day by day, newest first."""
    from mitra.services.history import history

    result = history(state(ctx).mitra(), days=days, kinds=kind or None)
    if as_json:
        print_json(result)
        return
    console = stdout()
    if not result:
        console.print(f"Nothing logged in the last {days} day(s).")
    for day in result:
        console.print(f"[bold]{day.day:%a %d %b %Y}[/]", markup=True)
        for e in day.entries:
            console.print(
                f"  {e.local_time}  {escape(e.title)} — {escape(e.detail)}  "
                f"[dim]({e.kind} #{e.id})[/]",
                markup=True,
            )


def show(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    entry_id: Annotated[int, typer.Argument(help="The entry's id (from history).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show one entry in full."""
    from mitra.interfaces import forms
    from mitra.services import entries

    mitra = state(ctx).mitra()
    entry = entries.get(mitra, entries.kind_named(kind), entry_id)
    if as_json:
        print_json(entry)
        return
    tz = mitra.timezone()
    for spec in forms.fields_for(kind):
        stdout().print(f"{spec.label}: {forms.format_value(getattr(entry, spec.name), tz)}")


def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    changes: SetOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Add an entry of any kind from its fields (as `mitra show` names them)."""
    from mitra.interfaces import forms
    from mitra.services import entries

    mitra = state(ctx).mitra()
    values = {**forms.defaults_for(kind), **_changes(changes)}
    done = entries.save(mitra, kind, forms.parse(kind, values, tz=mitra.timezone()))
    if as_json:
        print_json(done.entry)
        return
    stdout().print(f"Added {kind} #{done.entry.id}.")
    print_new_alerts(done.alerts)


def edit(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    entry_id: Annotated[int, typer.Argument(help="The entry's id (from history).")],
    changes: SetOpt,
) -> None:
    """Change fields of one entry; everything else stays as it was."""
    from mitra.interfaces import forms
    from mitra.services import entries

    mitra = state(ctx).mitra()
    current = entries.get(mitra, entries.kind_named(kind), entry_id)
    values: dict[str, Any] = {s.name: getattr(current, s.name) for s in forms.fields_for(kind)}
    values.update(_changes(changes))  # the stored values as they are, the changes parsed
    done = entries.save(mitra, kind, forms.typed(kind, values, tz=mitra.timezone()), entry_id)
    stdout().print(f"Updated {kind} #{entry_id}.")
    print_new_alerts(done.alerts)


def delete(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    entry_id: Annotated[int, typer.Argument(help="The entry's id (from history).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one entry, after confirmation."""
    from mitra.services import entries

    mitra = state(ctx).mitra()
    target = entries.kind_named(kind)
    entries.get(mitra, target, entry_id)
    if not yes and not typer.confirm(f"Delete {kind} #{entry_id}? This cannot be undone"):
        stdout().print("Nothing deleted.")
        raise typer.Exit(1)
    raised = entries.delete(mitra, target, entry_id)
    stdout().print(f"Deleted {kind} #{entry_id}.")
    print_new_alerts(raised)
