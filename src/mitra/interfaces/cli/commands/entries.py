"""Reading and changing any entry: `mitra history`, `mitra show`, `mitra edit`, `mitra delete`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from mitra.domain.history import HISTORY_KINDS
from mitra.interfaces import forms
from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout

KIND_HELP = "products, uses, checkins, medications, effects or vitals."


def register(app: typer.Typer) -> None:
    @app.command("history")
    def show_history(
        ctx: typer.Context,
        days: Annotated[int, typer.Option(help="How many days back, today included.")] = 14,
        kind: Annotated[
            list[str] | None,
            typer.Option(help=f"Only these kinds ({', '.join(HISTORY_KINDS)}); repeatable."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    ) -> None:
        """Show the journal day by day, newest first."""
        from mitra.services.history import history

        result = history(state(ctx).mitra(), days=days, kinds=kind or HISTORY_KINDS)
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

    @app.command("show")
    def show(
        ctx: typer.Context,
        kind: Annotated[str, typer.Argument(help=KIND_HELP)],
        entry_id: Annotated[int, typer.Argument(help="The entry's id (from history).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    ) -> None:
        """Show one entry in full."""
        from mitra.services import entries

        mitra = state(ctx).mitra()
        entry = entries.get(mitra, entries.kind_named(kind), entry_id)
        if as_json:
            print_json(entry)
            return
        tz = mitra.timezone()
        for spec in forms.fields_for(kind):
            stdout().print(f"{spec.label}: {forms.format_value(getattr(entry, spec.name), tz)}")

    @app.command("edit")
    def edit(
        ctx: typer.Context,
        kind: Annotated[str, typer.Argument(help=KIND_HELP)],
        entry_id: Annotated[int, typer.Argument(help="The entry's id (from history).")],
        changes: Annotated[
            list[str], typer.Option("--set", help="field=value, repeatable, e.g. --set amount=2.")
        ],
    ) -> None:
        """Change fields of one entry; everything else stays as it was."""
        from mitra.services import entries, journal

        mitra = state(ctx).mitra()
        tz = mitra.timezone()
        current = entries.get(mitra, entries.kind_named(kind), entry_id)
        values = {
            s.name: forms.format_value(getattr(current, s.name), tz) for s in forms.fields_for(kind)
        }
        for change in changes:
            name, sep, value = change.partition("=")
            if not sep:
                raise typer.BadParameter(f"{change!r}: write field=value", param_hint="--set")
            values[name.strip()] = value
        journal.save_entry(mitra, kind, forms.parse(kind, values, tz=tz), entry_id)
        stdout().print(f"Updated {kind} #{entry_id}.")

    @app.command("delete")
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
        entries.delete(mitra, target, entry_id)
        stdout().print(f"Deleted {kind} #{entry_id}.")
