"""Safety alerts: `mitra alerts`, `mitra alerts ack`, `mitra safety check`,
`mitra check-interactions`; and the lines printed after a write that raised alerts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout

if TYPE_CHECKING:
    from mitra.domain.safety import StoredAlert

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
STYLE = {"crisis": "bold red", "urgent": "red", "caution": "yellow", "info": "cyan"}


def print_alert(stored: StoredAlert, console: Console) -> None:
    from mitra.services import safety

    a = stored.alert
    style = STYLE[a.severity.value]
    console.print(
        f"[{style}]{a.severity.value.upper()}[/] #{stored.id} {escape(a.title)} ({stored.status})",
        markup=True,
    )
    console.print(f"  Why: {a.because}", markup=False)
    console.print(f"  What to do: {a.what_to_do}", markup=False)
    links = "; ".join(f"{s.title} {s.link}".strip() for s in safety.source_links(a.sources))
    console.print(f"  Sources: {links}", markup=False)


def print_new_alerts(raised: Sequence[StoredAlert]) -> None:
    """After "Saved": the alerts this write raised (already stored), crisis first."""
    if raised:
        console = stdout()
        console.print(f"{len(raised)} safety alert(s):")
        for stored in raised:
            print_alert(stored, console)


def _print_list(found: list[StoredAlert], as_json: bool, empty: str) -> None:
    from mitra.interfaces.alerts_view import alert_json

    if as_json:
        print_json([alert_json(s) for s in found])
        return
    console = stdout()
    if not found:
        console.print(empty)
    for stored in found:
        print_alert(stored, console)


alerts_app = typer.Typer(help="Safety alerts: list them, acknowledge one.")
safety_app = typer.Typer(help="Safety engine: run every rule now.")


@alerts_app.callback(invoke_without_command=True)
def alerts_list(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Include acknowledged and resolved alerts.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List open safety alerts, crisis first (each with why, what to do and sources)."""
    if ctx.invoked_subcommand is not None:
        return
    from mitra.services import safety

    found = safety.list_alerts(state(ctx).mitra(), include_closed=show_all)
    _print_list(found, as_json, "No open safety alerts.")


@alerts_app.command("ack")
def alerts_ack(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="The alert's id (from `mitra alerts`).")],
) -> None:
    """Acknowledge an alert; it is raised again if its condition recurs."""
    from mitra.services import safety

    done = safety.acknowledge(state(ctx).mitra(), alert_id)
    stdout().print(f"Alert #{done.id} acknowledged.")


@safety_app.command("check")
def safety_check(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Evaluate every safety rule now and list the open alerts."""
    from mitra.services import safety

    mitra = state(ctx).mitra()
    safety.evaluate_and_store(mitra)
    _print_list(safety.list_alerts(mitra), as_json, "No open safety alerts.")


def check_interactions(
    names: Annotated[list[str], typer.Argument(help="Medicine or substance names.")],
    as_json: JsonOpt = False,
) -> None:
    """Look names up in the interaction lexicon (class, level, sources) without saving."""
    print_checks(names, as_json)


def print_checks(names: list[str], as_json: bool) -> None:
    from mitra.interfaces.interactions_json import reading_json
    from mitra.services import interactions

    readings = interactions.read_names(names)
    if as_json:
        print_json([reading_json(r) for r in readings])
        return
    console = stdout()
    for r in readings:
        if r.match is None:
            console.print(f"{r.name}: not checked: unknown name (not the same as safe).")
            continue
        read_as = f" (read as '{r.match.entry}')" if r.match.fuzzy or r.match.is_combination else ""
        if r.state is interactions.Reading.NO_INTERACTION_DATA:
            console.print(
                f"{r.name}{read_as}: recognised — no interaction data (not the same as safe).",
                markup=False,
            )
        else:
            worst = r.severity.value.upper() if r.severity else "?"
            console.print(f"{r.name}{read_as}: {worst}", markup=False)
        for c in r.classes:
            level = c.severity.value if c.severity else "no rule"
            console.print(
                f"  {c.klass.name} — {c.klass.level.value} (alert: {level}). {c.klass.mechanism}",
                markup=False,
            )
            console.print(f"  Sources: {', '.join(s.link for s in c.sources)}", markup=False)
