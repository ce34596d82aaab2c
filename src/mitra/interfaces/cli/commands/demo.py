"""`mitra demo`: fill a fresh journal with seeded synthetic data."""

from __future__ import annotations

from typing import Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout


def demo(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days of data.")] = 90,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 1,
    pattern: Annotated[str, typer.Option(help="steady, escalating or tapering.")] = "steady",
    anxiety_effect: Annotated[
        float,
        typer.Option(help="Planted effect of 1 g/day on anxiety (for testing analytics)."),
    ] = 0.0,
    force: Annotated[bool, typer.Option(help="Write even if the journal has entries.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Fill a fresh journal with realistic synthetic data (refuses a journal with entries)."""
    from mitra.services.demo import seed_demo

    result = seed_demo(
        state(ctx).mitra(),
        days=days,
        seed=seed,
        pattern=pattern,
        anxiety_effect_per_g=anxiety_effect,
        force=force,
    )
    if as_json:
        print_json(result)
    else:
        stdout().print(
            f"Demo journal written: {result.products} products, {result.uses} uses, "
            f"{result.checkins} check-ins, {result.effects} adverse effects, "
            f"{result.vitals} vitals, {result.medications} medication(s), "
            f"{result.responses} questionnaire responses."
        )
