"""`mitra taper ...`: a reduction plan from the person's own log (issue 19). Mitra never proposes
taking kratom, an amount or a faster pace; it does the arithmetic for the pace chosen."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout

if TYPE_CHECKING:
    from mitra.services.taper import Choice, PlanView, Preview

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PaceOpt = Annotated[
    str,
    typer.Option(
        "--pace",
        help="A published pace id (see `mitra taper paces`) or 'custom'.",
        show_default=False,
    ),
]
UnitOpt = Annotated[
    float, typer.Option("--unit", help="Your scale's precision in g, or one capsule's grams.")
]
CapsulesOpt = Annotated[bool, typer.Option("--capsules", help="--unit is one capsule's grams.")]
FrequencyOpt = Annotated[
    bool, typer.Option("--frequency-first", help="Drop one dose a day per step before any grams.")
]
MinDosesOpt = Annotated[
    int, typer.Option("--min-doses", help="Doses a day to keep (frequency-first).")
]
StopOpt = Annotated[
    float | None,
    typer.Option("--stop-from", help="The last amount before none (default: one unit)."),
]
PercentOpt = Annotated[float | None, typer.Option("--percent", help="Custom pace: % per step.")]
GramsOpt = Annotated[float | None, typer.Option("--grams", help="Custom pace: grams per step.")]
EveryOpt = Annotated[int | None, typer.Option("--every", help="Custom pace: days per step.")]
PlanOpt = Annotated[int | None, typer.Option("--plan", help="Plan id (default: the open plan).")]
WhyOpt = Annotated[str, typer.Option("--why", help="Why, in a few words (kept with the change).")]
ByOpt = Annotated[str, typer.Option("--by", help="Who decided: person or clinician.")]

ACTIONS = {
    "start": "Start the draft plan: today is the first day of its first step.",
    "hold": "Hold the plan at its current step (give --why).",
    "resume": "Resume a held plan; the current step starts again in full.",
    "step-back": "Go back to the step before (allowed, and recorded).",
    "stop": "Stop the plan (give --why).",
    "complete": "Mark the plan completed.",
}


# The options `taper preview` and `taper create` share, declared once: name, option, default.
CHOICE_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("pace", PaceOpt, inspect.Parameter.empty),
    ("unit", UnitOpt, 0.1),
    ("capsules", CapsulesOpt, False),
    ("frequency_first", FrequencyOpt, False),
    ("min_doses", MinDosesOpt, 1),
    ("stop_from", StopOpt, None),
    ("percent", PercentOpt, None),
    ("grams", GramsOpt, None),
    ("every", EveryOpt, None),
    ("as_json", JsonOpt, False),
)


def _choice(
    pace: str,
    unit: float,
    capsules: bool,
    frequency_first: bool,
    min_doses: int,
    stop_from: float | None,
    percent: float | None,
    grams: float | None,
    every: int | None,
) -> Choice:
    from mitra.services.taper import Choice

    return Choice(
        pace_id=pace,
        unit=unit,
        capsules=capsules,
        axis="frequency_first" if frequency_first else "amount_first",
        min_doses=min_doses,
        stop_from=stop_from,
        percent=percent,
        grams=grams,
        every_days=every,
    )


def _choice_command(
    taper_app: typer.Typer, name: str, run: Callable[[typer.Context, Choice, bool], None]
) -> None:
    """A command taking CHOICE_OPTIONS (its signature is built from them, so Typer sees every
    option) that runs `run(ctx, choice, as_json)`; its help is `run`'s docstring."""

    def command(ctx: typer.Context, **options: Any) -> None:
        as_json = options.pop("as_json")
        run(ctx, _choice(**options), as_json)

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        *(inspect.Parameter(n, keyword, default=d, annotation=a) for n, a, d in CHOICE_OPTIONS),
    ]
    command.__signature__ = inspect.Signature(params, return_annotation=None)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    command.__doc__ = run.__doc__
    taper_app.command(name)(command)


def _preview(ctx: typer.Context, choice: Choice, as_json: bool) -> None:
    """The steps a pace would make from your baseline, dated from today (nothing saved)."""
    from mitra.interfaces.taper_json import preview_json
    from mitra.services import taper

    shown = taper.preview(state(ctx).mitra(), choice)
    if as_json:
        print_json(preview_json(shown))
        return
    stdout().print(
        f"{shown.design.pace.name}: {len(shown.steps)} steps over about {shown.weeks} weeks."
    )
    _print_escalations(shown.escalations)
    _print_steps(shown)


def _create(ctx: typer.Context, choice: Choice, as_json: bool) -> None:
    """Save a draft plan from your baseline and a pace (`mitra taper start` begins it)."""
    from mitra.interfaces.taper_json import plan_json
    from mitra.services import taper

    view = taper.create(state(ctx).mitra(), choice)
    if as_json:
        print_json(plan_json(view))
        return
    stdout().print(f"Saved draft plan #{view.id}.")
    _print_plan(view)


def _amount(grams: float, capsules: bool, unit: float) -> str:
    if capsules:
        count = round(grams / unit)
        return f"{count} capsule{'s' if count != 1 else ''} ({grams:g} g)"
    return f"{grams:g} g"


def _print_steps(shown: Preview | PlanView, limit: int = 12) -> None:
    console = stdout()
    design = shown.design if hasattr(shown, "design") else shown.plan.design
    unit, capsules = design.measure.unit, design.measure.capsules
    rows = [d for d in shown.dated if d.starts is not None]
    for d in rows[:limit]:
        console.print(
            f"  {d.starts.isoformat() if d.starts else '':10}  "
            f"{_amount(d.step.grams, capsules, unit):>18}  {d.step.doses} dose(s)/day  "
            f"{d.step.kind.value}"
        )
    if len(rows) > limit:
        last = rows[-1]
        console.print(f"  ... {len(rows) - limit} more steps, the last on {last.starts}")


def _print_plan(view: PlanView) -> None:
    console = stdout()
    where, plan = view.where, view.plan
    console.print(f"Plan #{view.id}: {plan.design.pace.name} — {where.state.value}")
    base = plan.baseline
    console.print(
        f"Baseline ({base.first} to {base.last}): {base.grams:g} g of leaf a day, "
        f"{base.doses:g} doses a day (median of your own log)."
    )
    console.print(
        f"Now: {_amount(view.step.grams, plan.design.measure.capsules, plan.design.measure.unit)}"
        f" a day in {view.step.doses} dose(s); next change: {where.next_change() or 'none'}"
    )
    if where.agreed:
        console.print(f"Agreed with {where.agreed.clinician} on {where.agreed.agreed_on}.")
    for event in view.holds:
        console.print(f"Held {event.at:%Y-%m-%d} by {event.by.value}: {event.why}")
    _print_escalations(view.escalations)
    _print_steps(view)


def _print_escalations(reasons: list) -> None:  # type: ignore[type-arg]
    if not reasons:
        return
    console = stdout()
    console.print("This may be beyond a self-taper. Talk to a clinician (`mitra taper help`):")
    for reason in reasons:
        console.print(f"  - {reason.because}")


def register(app: typer.Typer) -> None:
    taper_app = typer.Typer(
        help="A taper plan from your own log, at a pace you or your clinician choose. "
        "Mitra never suggests taking kratom or an amount."
    )
    app.add_typer(taper_app, name="taper")

    @taper_app.command("paces")
    def paces(as_json: JsonOpt = False) -> None:
        """The published paces, each with its source, and the limits of a custom pace."""
        from mitra.interfaces.taper_json import knowledge_json
        from mitra.services.taper import knowledge

        facts = knowledge()
        if as_json:
            print_json(knowledge_json(facts))
            return
        console = stdout()
        for pace in facts.paces:
            console.print(
                f"{pace.id}: {pace.name}. {pace.summary} Sources: {', '.join(pace.sources)}"
            )
        c = facts.custom
        console.print(
            f"custom: at most {c.max_percent:g} % per {c.per_days} days, steps at least "
            f"{c.min_every_days} days apart."
        )

    @taper_app.command("baseline")
    def baseline(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """Your baseline: the median of your last 14 whole days, with its spread."""
        from mitra.interfaces.taper_json import baseline_json
        from mitra.services import taper

        base = taper.read_baseline(state(ctx).mitra())
        if as_json:
            print_json(baseline_json(base))
            return
        console = stdout()
        grams = "unknown" if base.grams is None else f"{base.grams:g} g of leaf"
        console.print(f"{base.first} to {base.last}: {grams} a day, {base.doses:g} doses a day.")
        if base.grams_spread:
            s = base.grams_spread
            console.print(f"Spread: {s.low:g}-{s.high:g} g (middle half {s.q1:g}-{s.q3:g} g).")
        for note in base.notes:
            console.print(note)

    _choice_command(taper_app, "preview", _preview)
    _choice_command(taper_app, "create", _create)

    @taper_app.command("show")
    def show(ctx: typer.Context, plan: PlanOpt = None, as_json: JsonOpt = False) -> None:
        """The open plan (or --plan ID): where it is, its holds and its steps."""
        from mitra.interfaces.taper_json import plan_json

        view = _find(ctx, plan)
        if as_json:
            print_json(plan_json(view) if view else None)
            return
        if view is None:
            stdout().print("No open taper plan.")
            return
        _print_plan(view)

    @taper_app.command("today")
    def today(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """Today's target during a plan, and what you have logged so far today."""
        from mitra.interfaces.taper_json import today_json
        from mitra.services import taper

        now = taper.today(state(ctx).mitra())
        if as_json:
            print_json(today_json(now) if now else None)
            return
        if now is None:
            stdout().print("No plan under way.")
            return
        design = now.view.plan.design
        target = _amount(now.target.grams, design.measure.capsules, design.measure.unit)
        logged = now.logged.grams_leaf or 0.0
        stdout().print(
            f"Today's target: {target} in {now.target.doses} dose(s). Logged so far: "
            f"{logged:g} g in {now.logged.doses} dose(s). Plan: {now.view.where.state.value}."
        )

    for action, help_text in ACTIONS.items():
        _action_command(taper_app, action, help_text)

    @taper_app.command("slower")
    def slower(
        ctx: typer.Context,
        every: Annotated[int, typer.Option("--every", help="The new, longer days per step.")],
        plan: PlanOpt = None,
        why: WhyOpt = "",
        by: ByOpt = "person",
    ) -> None:
        """Make the plan slower: more days per step (never faster)."""
        _act(ctx, plan, "slower", by=by, why=why, every_days=every)

    @taper_app.command("agree")
    def agree(
        ctx: typer.Context,
        clinician: Annotated[str, typer.Option("--clinician", help="The clinician's name.")],
        on: Annotated[str, typer.Option("--on", help="The date you agreed (YYYY-MM-DD).")],
        plan: PlanOpt = None,
    ) -> None:
        """Mark the plan as agreed with your clinician (name and date)."""
        from mitra.errors import InvalidInputError

        try:
            agreed_on = date.fromisoformat(on)
        except ValueError:
            raise InvalidInputError.one("on", f"{on!r} is not a date (YYYY-MM-DD)") from None
        _act(ctx, plan, "agree", clinician=clinician, agreed_on=agreed_on)

    @taper_app.command("relapse")
    def relapse(
        ctx: typer.Context,
        note: Annotated[
            str, typer.Option("--note", help="Anything you want to keep with it (optional).")
        ] = "",
        by: Annotated[
            str, typer.Option("--by", help="Who records it: person or clinician.")
        ] = "person",
        as_json: JsonOpt = False,
    ) -> None:
        """Record that you used again, during a plan or after it. No judgement: the plan pauses
        at your last tolerated step and waits until you resume it."""
        from mitra.interfaces.taper_json import plan_json
        from mitra.services import taper

        view = taper.relapse(state(ctx).mitra(), note=note, by=by)
        if as_json:
            print_json(plan_json(view))
            return
        design = view.plan.design
        amount = _amount(view.step.grams, design.measure.capsules, design.measure.unit)
        stdout().print(
            f"Recorded, thank you for logging it. Plan #{view.id} is paused at {amount} a day in "
            f"{view.step.doses} dose(s), your last tolerated step; resume it when you are ready "
            "(`mitra taper resume`), or step back further if you choose."
        )

    @taper_app.command("calendar")
    def calendar(
        ctx: typer.Context,
        discreet: Annotated[
            bool, typer.Option("--discreet", help="Name neither kratom nor an amount.")
        ] = False,
    ) -> None:
        """The open plan's step dates as an iCalendar file (print it, or redirect to a file)."""
        from mitra.services import taper

        sys.stdout.write(taper.calendar(state(ctx).mitra(), discreet=discreet))

    @taper_app.command("help")
    def escalation(as_json: JsonOpt = False) -> None:
        """When a self-taper is not enough: treatment options with sources (never a dose)."""
        from mitra.interfaces.taper_json import sourced_json
        from mitra.services import taper

        items = taper.treatments()
        if as_json:
            print_json([sourced_json(t) for t in items])
            return
        console = stdout()
        for item in items:
            console.print(f"{item.title}: {item.text} Sources: {', '.join(item.sources)}")


def _find(ctx: typer.Context, plan_id: int | None) -> PlanView | None:
    from mitra.services import taper

    mitra = state(ctx).mitra()
    return taper.get(mitra, plan_id) if plan_id is not None else taper.current(mitra)


def _act(ctx: typer.Context, plan_id: int | None, action: str, **values: object) -> None:
    from mitra.errors import NotFoundError
    from mitra.services import taper

    view = _find(ctx, plan_id)
    if view is None:
        raise NotFoundError("no open taper plan (give --plan ID)")
    done = taper.act(state(ctx).mitra(), view.id, action, **values)  # type: ignore[arg-type]
    stdout().print(
        f"Plan #{done.id}: {action.replace('_', ' ')} recorded; now {done.where.state.value}."
    )


def _action_command(taper_app: typer.Typer, action: str, help_text: str) -> None:
    def command(
        ctx: typer.Context, plan: PlanOpt = None, why: WhyOpt = "", by: ByOpt = "person"
    ) -> None:
        _act(ctx, plan, action.replace("-", "_"), by=by, why=why)

    command.__doc__ = help_text
    taper_app.command(action)(command)
