"""Writing to the journal: `mitra log use|effect|vital`, `mitra checkin`, `mitra products`,
`mitra meds`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from mitra.domain.clock import local_day
from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.commands.alerts import print_checks, print_new_alerts
from mitra.interfaces.cli.commands.knowledge import print_product_law, verdict_line
from mitra.interfaces.cli.commands.knowledge import stdout as knowledge_console
from mitra.interfaces.cli.output import print_json, stdout

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="When, e.g. '2026-11-20 08:30' (your zone). Default: now."),
]
NoteOpt = Annotated[str, typer.Option("--note", help="Optional note.")]


def _save(ctx: typer.Context, kind: str, values: dict[str, Any], as_json: bool) -> None:
    """Save an entry from the options as given: numbers stay numbers; only text (times, dates,
    choices) is parsed."""
    from mitra.interfaces import forms
    from mitra.services import entries

    mitra = state(ctx).mitra()
    parsed = forms.typed(kind, values, tz=mitra.timezone())
    done = entries.save(mitra, kind, parsed)
    saved = done.entry
    if as_json:
        print_json(saved)
    else:
        stdout().print(f"Saved {kind[:-1]} #{saved.id}.")
        if kind == "uses" and saved.conversion_note:
            stdout().print(f"Not converted: {saved.conversion_note}.")
        print_new_alerts(done.alerts)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


log_app = typer.Typer(help="Log kratom use, an adverse effect or vital signs.")
products_app = typer.Typer(
    help="Kratom products: list them, add one, or check a 7-OH product against the law."
)
meds_app = typer.Typer(help="Medications and other substances: list, add, stop.")


# A negative amount must reach the domain (one clear line), not be read as an option.
@log_app.command("use", context_settings={"ignore_unknown_options": True})
def log_use(
    ctx: typer.Context,
    amount: Annotated[float, typer.Argument(help="How much, e.g. 3.")],
    unit: Annotated[str, typer.Argument(help="g, mg, capsule, tablet, ml or a custom unit.")],
    product: Annotated[str, typer.Option("--product", "-p", help="Product name or id.")],
    at: AtOpt = None,
    note: NoteOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """Log one use of a kratom product (now, or --at an earlier time)."""
    from mitra.services import journal

    found = journal.find_product(state(ctx).mitra(), product)
    values = {"product_id": found.id, "amount": amount, "unit": unit}
    _save(ctx, "uses", {**values, "taken_at": at, "note": note}, as_json)


@log_app.command("effect")
def log_effect(
    ctx: typer.Context,
    effect: Annotated[
        str,
        typer.Argument(
            help="nausea, constipation, dizziness, itching, "
            "sweating, insomnia, palpitations or other."
        ),
    ],
    severity: Annotated[int, typer.Option("--severity", "-s", help="0 (none) to 10 (worst).")],
    other: Annotated[str, typer.Option("--other", help="What, when effect is 'other'.")] = "",
    at: AtOpt = None,
    note: NoteOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """Log an adverse effect with its severity."""
    values = {"effect": effect, "severity": severity, "other_text": other}
    _save(ctx, "effects", {**values, "occurred_at": at, "note": note}, as_json)


@log_app.command("vital")
def log_vital(
    ctx: typer.Context,
    hr: Annotated[int | None, typer.Option("--hr", help="Resting heart rate, beats/min.")] = None,
    bp: Annotated[str, typer.Option("--bp", help="Blood pressure, e.g. 120/80.")] = "",
    at: AtOpt = None,
    note: NoteOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """Log heart rate and/or blood pressure."""
    systolic, _, diastolic = bp.partition("/")
    values = {
        "heart_rate": hr,
        "systolic": systolic,
        "diastolic": diastolic,
        "measured_at": at,
        "note": note,
    }
    _save(ctx, "vitals", values, as_json)


def checkin(
    ctx: typer.Context,
    mood: Annotated[int | None, typer.Option(help="0 very low – 10 very good.")] = None,
    anxiety: Annotated[int | None, typer.Option(help="0 none – 10 worst.")] = None,
    pain: Annotated[int | None, typer.Option(help="0 none – 10 worst.")] = None,
    sleep: Annotated[int | None, typer.Option(help="Sleep quality, 0 very poor – 10.")] = None,
    craving: Annotated[int | None, typer.Option(help="0 none – 10 strongest.")] = None,
    at: AtOpt = None,
    note: NoteOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """Record today's daily check-in (daily ratings, not a validated questionnaire)."""
    ratings = {
        "mood": mood,
        "anxiety": anxiety,
        "pain": pain,
        "sleep": sleep,
        "craving": craving,
    }
    _save(ctx, "checkins", {**ratings, "recorded_at": at, "note": note}, as_json)


@products_app.callback(invoke_without_command=True)
def products(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List products (or use `mitra products add`); a 7-OH product shows the law where you
    live next to it."""
    from mitra.services import journal
    from mitra.services.product_law import product_law

    if ctx.invoked_subcommand is not None:
        return
    items = journal.list_products(state(ctx).mitra())
    if as_json:
        print_json(items)
        return
    console = stdout()
    if not items:
        console.print("No products yet. Add one: mitra products add NAME --form leaf_powder")
    for p in items:
        label = (
            f" — {_num(p.mitragynine_mg_per_g)} mg mitragynine/g"
            if (p.mitragynine_mg_per_g is not None)
            else ""
        )
        console.print(f"#{p.id} {p.name} ({p.form.value}){label}")
        law = product_law(state(ctx).mitra(), p)
        for shown in law.verdicts:
            console.print(f"  7-OH law — {verdict_line(shown)}")
        if law.note:
            console.print(f"  7-OH law — {law.note}")


@products_app.command("legal")
def products_legal(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="Product id or name.")],
    as_json: JsonOpt = False,
) -> None:
    """A 7-OH product's labelled content against the 7-OH limits where you live and the
    federal ones, with the rule behind each and its sources. Not legal advice."""
    from mitra.interfaces.knowledge_json import product_law as law_json
    from mitra.services import journal
    from mitra.services.product_law import product_law

    mitra = state(ctx).mitra()
    law = product_law(mitra, journal.find_product(mitra, product))
    if as_json:
        print_json(law_json(law))
        return
    if not law.seven_oh:
        stdout().print(f"{law.product.name} is not a 7-OH product; no 7-OH limit applies to it.")
        return
    print_product_law(law, knowledge_console())


@products_app.command("add")
def products_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Product name, e.g. 'Red Bali'.")],
    form: Annotated[
        str, typer.Option(help="leaf_powder, capsule, extract, tincture, seven_oh or other.")
    ] = "leaf_powder",
    vendor: Annotated[str, typer.Option(help="Who sold it.")] = "",
    mg_per_g: Annotated[float | None, typer.Option(help="Labelled mg mitragynine per g.")] = None,
    mg_per_unit: Annotated[
        float | None, typer.Option(help="Labelled mg mitragynine per unit.")
    ] = None,
    oh_per_unit: Annotated[
        float | None, typer.Option("--7oh-per-unit", help="Labelled mg 7-OH per unit.")
    ] = None,
    serving_unit: Annotated[
        str, typer.Option(help="What 'per unit' means: capsule, tablet or ml.")
    ] = "",
    units: Annotated[
        str, typer.Option(help="Custom units, e.g. 'scoop=2.5,capsule=0.5' (grams each).")
    ] = "",
    lot: Annotated[str, typer.Option(help="Lot or batch.")] = "",
    coa: Annotated[str, typer.Option(help="Lab-test (COA) link.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Add a kratom product."""
    values = {
        "name": name,
        "form": form,
        "vendor": vendor,
        "mitragynine_mg_per_g": mg_per_g,
        "mitragynine_mg_per_unit": mg_per_unit,
        "seven_oh_mg_per_unit": oh_per_unit,
        "serving_unit": serving_unit,
        "custom_units": units,
        "lot": lot,
        "coa_url": coa,
    }
    _save(ctx, "products", values, as_json)


def timezone(
    ctx: typer.Context,
    zone: Annotated[
        str | None,
        typer.Argument(help="An IANA zone, e.g. Europe/London; '' forgets the saved one."),
    ] = None,
) -> None:
    """Show the time zone your days follow, or save one in the journal."""
    from mitra.services import timezone as tz

    mitra = state(ctx).mitra()
    found = tz.my_zone(mitra) if zone is None else tz.set_zone(mitra, zone)
    where = {"journal": "saved in the journal", "setting": "from MITRA_TIMEZONE"}
    stdout().print(f"{found.name} ({where.get(found.source, 'this machine')})", markup=False)


@meds_app.callback(invoke_without_command=True)
def meds(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List medications and substances (or use add / stop)."""
    from mitra.services import journal

    if ctx.invoked_subcommand is not None:
        return
    items = journal.list_medications(state(ctx).mitra())
    if as_json:
        print_json(items)
        return
    console = stdout()
    if not items:
        console.print("No medications or substances yet. Add one: mitra meds add NAME")
    for m in items:
        stopped = f", stopped {m.stopped_on}" if m.stopped_on else ""
        console.print(f"#{m.id} {m.name} {m.dose_text} ({m.schedule.value}{stopped})")


@meds_app.command("add")
def meds_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Medication or substance name.")],
    dose: Annotated[str, typer.Option(help="Dose as you take it, e.g. '50 mg daily'.")] = "",
    as_needed: Annotated[bool, typer.Option(help="Taken as needed, not scheduled.")] = False,
    substance: Annotated[bool, typer.Option(help="A substance, not a medication.")] = False,
    start: Annotated[str, typer.Option(help="Start date, YYYY-MM-DD.")] = "",
    stop: Annotated[str, typer.Option(help="Stop date, YYYY-MM-DD.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Add a medication or other substance you take."""
    values = {
        "name": name,
        "dose_text": dose,
        "schedule": "as_needed" if as_needed else "scheduled",
        "kind": "substance" if substance else "medication",
        "started_on": start,
        "stopped_on": stop,
    }
    _save(ctx, "medications", values, as_json)


@meds_app.command("check")
def meds_check(
    names: Annotated[list[str], typer.Argument(help="Medicine or substance names.")],
    as_json: JsonOpt = False,
) -> None:
    """Look names up in the interaction lexicon: class, level and sources, or not checked."""
    print_checks(names, as_json)


@meds_app.command("stop")
def meds_stop(
    ctx: typer.Context,
    medication_id: Annotated[int, typer.Argument(help="Id from `mitra meds`.")],
    on: Annotated[str, typer.Option(help="Stop date, YYYY-MM-DD. Default: today.")] = "",
) -> None:
    """Record that you stopped a medication or substance."""
    from mitra.interfaces import forms
    from mitra.services import journal

    mitra = state(ctx).mitra()
    day = forms.typed("medications", {"stopped_on": on}, tz="UTC", partial=True)["stopped_on"]
    stopped: date = day or local_day(mitra.now(), mitra.timezone())
    done = journal.stop_medication(mitra, medication_id, stopped)
    stdout().print(f"Medication #{medication_id} stopped on {stopped}.")
    print_new_alerts(done.alerts)
