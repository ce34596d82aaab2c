"""Validated questionnaires: `mitra measures list|take|score|due|schedule|calendar|results` and
`mitra onboard`. A crisis flag always prints the crisis lines first, before any score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from mitra.adapters.files import write_private_text
from mitra.domain.instruments import Instrument, InvalidAnswerError, Item, Score
from mitra.domain.instruments.model import Number
from mitra.domain.responses import crisis_flags
from mitra.domain.standard_drinks import DrinkNote
from mitra.errors import InvalidInputError
from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.commands.alerts import print_new_alerts
from mitra.interfaces.cli.output import lazy_module, stderr, stdout
from mitra.interfaces.scores_json import score_json

if TYPE_CHECKING:
    from mitra.services import places, safety
    from mitra.services import questionnaires as q
    from mitra.services.context import Mitra
else:  # imported on first use, so `mitra --help` does not load the store
    q = lazy_module("mitra.services.questionnaires")
    places = lazy_module("mitra.services.places")
    safety = lazy_module("mitra.services.safety")

SexOpt = Annotated[
    str | None, typer.Option("--sex", help="female or male (AUDIT-C's cut-point only).")
]
InstrumentArg = Annotated[str, typer.Argument(help="Instrument id, e.g. phq9 (see measures list).")]


def parse_answers(instrument: Instrument, text: str) -> dict[str, Number | None]:
    """'0,1,,3' -> item id -> value (an empty field is a missing answer)."""
    fields = text.split(",")
    if len(fields) != len(instrument.items):
        raise InvalidInputError.one(
            "answers",
            f"{instrument.id} has {len(instrument.items)} items; got {len(fields)} answers",
        )
    return {
        item.id: _value(item, field) for item, field in zip(instrument.items, fields, strict=True)
    }


def _value(item: Item, text: str) -> Number | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    for kind in (int, float):
        try:
            return kind(cleaned)
        except ValueError:
            continue
    raise InvalidAnswerError(item.id, cleaned, item.allowed_values)


def print_crisis(mitra: Mitra, console: Console) -> None:
    """The crisis lines for the user's country, then the international fallback."""
    console.print("[bold red]Please read this first.[/]", markup=True)
    console.print(
        "You said you have had thoughts that you would be better off dead, or of hurting "
        "yourself. You do not have to face this alone. Talk to someone now:"
    )
    number = q.emergency_number(mitra)
    if number is not None:
        console.print(f"  In immediate danger: call {number.number} ({number.note})")
    for line in q.crisis_lines(mitra):
        console.print(f"  {line.name} ({line.country}): {'; '.join(line.ways)} — {line.hours}")
    console.print("")


def print_drink_note(note: DrinkNote, console: Console) -> None:
    """What one drink holds where the person lives, with the sources it rests on."""
    from mitra.services.knowledge import bibliography

    sources = bibliography()
    console.print(f"What counts as one drink: {note.text}", style="bold")
    for source_id in note.sources:
        found = sources[source_id]
        console.print(f"  Source: {found.title} — {', '.join(found.authors)} {found.link}")
    console.print(f"  (checked {note.as_of.isoformat()})")


def print_score(instrument: Instrument, scored: Score, console: Console) -> None:
    title = instrument.display_title
    if scored.complete:
        band = f" — {scored.band_label}" if scored.band_label else ""
        console.print(f"[bold]{title}: {scored.total:g}{band}[/]", markup=True)
    else:
        console.print(f"[bold]{title}: incomplete, no total[/]", markup=True)
        console.print(f"Missing: {', '.join(scored.missing_items)}")
    for code, value in scored.subscores.items():
        console.print(f"  sub-score {code}: {value:g}")
    for flag in scored.flags:
        console.print(f"  {flag.label} ({flag.status}: {flag.because})")
    for reason in scored.reasons:
        console.print(f"  [dim]{reason}[/]", markup=True)


def ask(item: Item, number: int, console: Console) -> Number | None:
    """Prompt until the answer is one of the item's values, or empty (skipped)."""
    console.print(f"\n[bold]{number}. {item.text}[/]", markup=True)
    for option in item.options:
        console.print(f"   {option.value:g} = {option.label}")
    while True:
        text = typer.prompt("Answer (empty to skip)", default="", show_default=False)
        try:
            value = _value(item, text)
        except InvalidAnswerError:
            value = -1
        if value is None or value in item.allowed_values:
            return value
        console.print(f"Please type one of: {', '.join(f'{v:g}' for v in item.allowed_values)}")


measures = typer.Typer(help="Validated questionnaires: take, score, schedule, export.")


@measures.command("list")
def list_measures(ctx: typer.Context) -> None:
    """List the questionnaires, their recall period and schedule."""
    plans = {p.instrument_id: p for p in q.plans(state(ctx).mitra())}
    console = stdout()
    for instrument in q.list_instruments():
        plan = plans.get(instrument.id)
        when = "off" if plan is None else _interval(plan.interval_days)
        console.print(
            f"[bold]{instrument.id}[/]  {instrument.title} — {len(instrument.items)} items, "
            f"{instrument.recall_period}; {when}",
            markup=True,
        )


@measures.command("results")
def results(
    ctx: typer.Context,
    instrument: Annotated[str | None, typer.Argument(help="Only this instrument.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List stored responses, newest first."""
    mitra = state(ctx).mitra()
    found = q.list_responses(mitra, instrument)
    if as_json:
        rows = [
            {"id": r.id, "taken_at": r.taken_at.isoformat(), **score_json(r.score)} for r in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in found:
        total = "incomplete" if r.score.total is None else f"{r.score.total:g}"
        stdout().print(f"#{r.id}  {r.taken_at:%Y-%m-%d %H:%M} UTC  {r.instrument_id}  {total}")


def _interval(days: int | None) -> str:
    return "on demand" if days is None else f"every {days} days"


@measures.command("take")
def take(
    ctx: typer.Context,
    instrument_id: InstrumentArg,
    sex: SexOpt = None,
    country: Annotated[
        str | None,
        typer.Option(
            help="Where you live, for what one drink holds (AUDIT-C): a country by name or "
            "code (United Kingdom, GB); default: the place saved with `mitra onboard`.",
        ),
    ] = None,
) -> None:
    """Answer a questionnaire here, one question at a time; the result is saved."""
    mitra = state(ctx).mitra()
    instrument = q.get_instrument(instrument_id)
    note = q.drink_note(mitra, instrument.id, country)
    console = stdout()
    console.print(f"[bold]{instrument.title}[/] ({instrument.recall_period})", markup=True)
    console.print(instrument.description)
    if note is not None:
        print_drink_note(note, console)
    answers = {item.id: ask(item, n, console) for n, item in enumerate(instrument.items, start=1)}
    done = q.administer(mitra, instrument.id, answers, sex=sex)
    saved = done.entry
    if crisis_flags(saved.score):
        print_crisis(mitra, console)
    print_score(instrument, saved.score, console)
    console.print(f"Saved as response #{saved.id}. {instrument.attribution}")
    print_new_alerts(done.alerts)


@measures.command("score")
def score_answers(
    ctx: typer.Context,
    instrument_id: InstrumentArg,
    answers: Annotated[
        str,
        typer.Option("--answers", help="Comma-separated values in item order; empty=missing."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    save: Annotated[bool, typer.Option("--save", help="Store it in the journal.")] = False,
    sex: SexOpt = None,
) -> None:
    """Score answers without prompting (for scripts and checks); --save stores them."""
    mitra = state(ctx).mitra()
    instrument = q.get_instrument(instrument_id)
    parsed = parse_answers(instrument, answers)
    if save:
        scored = q.administer(mitra, instrument.id, parsed, sex=sex).entry.score
    else:
        scored = q.score_answers(mitra, instrument.id, parsed, sex=sex)
    if crisis_flags(scored):
        print_crisis(mitra, stderr() if as_json else stdout())
    if as_json:
        typer.echo(json.dumps(score_json(scored), ensure_ascii=False))
    else:
        print_score(instrument, scored, stdout())


@measures.command("due")
def due(ctx: typer.Context) -> None:
    """Show which questionnaires are due, and why."""
    console = stdout()
    titles = q.instrument_titles()
    for item in q.due(state(ctx).mitra()):
        status = (
            "DUE NOW"
            if item.is_due
            else (f"next {item.due_on:%Y-%m-%d}" if item.due_on else "on demand")
        )
        console.print(
            f"[bold]{titles[item.instrument_id]}[/] ({item.instrument_id}): {status}",
            markup=True,
        )
        console.print(f"  [dim]{item.because}[/]", markup=True)


@measures.command("schedule")
def set_schedule(
    ctx: typer.Context,
    instrument_id: InstrumentArg,
    setting: Annotated[str, typer.Argument(help="Days between (1-366), 'off' or 'demand'.")],
) -> None:
    """Change how often a questionnaire comes up (PHQ-9 can change but not switch off)."""
    override = q.set_schedule(state(ctx).mitra(), instrument_id, setting)
    shown = override if isinstance(override, str) else f"every {override} days"
    stdout().print(f"{instrument_id}: {shown}.")


@measures.command("calendar")
def calendar(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the .ics file.")
    ] = Path("mitra.ics"),
) -> None:
    """Export the schedule as an iCalendar file your own calendar app can import."""
    text = q.calendar(state(ctx).mitra())
    write_private_text(output, text)
    stdout().print(f"Wrote {output} ({text.count('BEGIN:VEVENT')} repeating reminders).")


def onboard(
    ctx: typer.Context,
    conditions: Annotated[
        str,
        typer.Option(help="Comma list: anxiety, depression, ptsd, chronic_pain, other."),
    ] = "",
    country: Annotated[
        str,
        typer.Option(
            help="Where you live, for crisis lines, the emergency number and legal status: "
            "a country or US state by name or code (United Kingdom, UK, GB, Florida, US-FL)."
        ),
    ] = "INTL",
    sex: SexOpt = None,
    regular_use: Annotated[
        bool | None,
        typer.Option("--regular-use/--no-regular-use", help="Do you use kratom regularly?"),
    ] = None,
    pregnancy: Annotated[
        str | None,
        typer.Option(
            help="Optional: pregnant, breastfeeding or neither ('' clears it); only the "
            "safety alerts use it."
        ),
    ] = None,
) -> None:
    """Say what you are managing and where you live; this turns the matching measures on."""
    mitra = state(ctx).mitra()
    profile = q.onboard(
        mitra, conditions=conditions, country=country, sex=sex, regular_use=regular_use
    )
    if pregnancy is not None:
        safety.set_pregnancy(mitra, pregnancy)
    console = stdout()
    place = places.describe(profile.country)
    where = f"{place.name} ({place.code})" if place else "INTL"
    console.print(f"Saved: {', '.join(profile.conditions) or 'no conditions'}; {where}.")
    for plan in q.plans(mitra):
        console.print(f"  {plan.instrument_id}: {_interval(plan.interval_days)} ({plan.because})")
