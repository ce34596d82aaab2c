"""`mitra research donate|withdraw|freeze|stats`: give a de-identified package to a study, take
it back, and (for the study's researchers) freeze the packages into OMOP/Parquet and query them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import stdout

research = typer.Typer(
    help="Research. donate and withdraw act on your journal; freeze and stats are for a "
    "study's researchers and read only the study's files, never a journal.",
    no_args_is_help=True,
)


@research.command("donate")
def donate(
    ctx: typer.Context,
    study: Annotated[Path, typer.Option("--study", help="The study's study.yaml.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Package file (.zip).")],
    birth_year: Annotated[int | None, typer.Option(help="Your year of birth.")] = None,
    sex: Annotated[str, typer.Option(help="female, male, other or unknown.")] = "unknown",
    state_code: Annotated[
        str, typer.Option("--state", help="State or country code, e.g. US-FL.")
    ] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Agree without being asked.")] = False,
) -> None:
    """Show exactly which fields leave and in what form, ask, then write the package and
    its SHA-256 (hand both to the study)."""
    from mitra.domain.research.deidentify import donor_from_answers
    from mitra.services import research as service

    declared = service.load_study(study)
    mitra = state(ctx).mitra()
    donor = donor_from_answers(birth_year, sex, state_code, mitra.now().year)  # as on the web
    out = stdout()
    out.print(f"Study: {declared.title} ({declared.id}), ethics {declared.ethics_reference}")
    out.print(f"Purpose: {declared.purpose}")
    out.print(f"Tier: {declared.tier.value}; consent version {declared.consent_version}")
    out.print(f"Consent: {declared.consent_text}")
    out.print(f"Period: {declared.period_start} to {declared.period_end}. These fields leave:")
    for field in service.fields_leaving(declared):
        out.print(f"  {field.table}.{field.field}: {field.form}", markup=False)
    if not yes and not typer.confirm("Donate these fields to this study?", default=False):
        out.print("Nothing was written.")
        raise typer.Exit(1)
    done = service.donate(mitra, declared, donor, output)
    rows = ", ".join(f"{n} {name}" for name, n in done.counts.items())
    out.print(f"Wrote {output} ({rows}).")
    out.print(f"SHA-256 {done.sha256} (also in {output.name}.sha256)")
    out.print(f"Your participant number is {done.participant}.")


@research.command("withdraw")
def withdraw(
    ctx: typer.Context,
    study_id: Annotated[str, typer.Argument(help="The study's id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Withdrawal record.")],
) -> None:
    """Withdraw: write the record to hand to the study; the next freeze leaves you out."""
    from mitra.services import research as service

    done = service.withdraw(state(ctx).mitra(), study_id, output)
    stdout().print(f"Wrote {output}: participant {done.participant} withdraws from {study_id}.")


@research.command("freeze")
def freeze(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="A new folder.")],
    study_dir: Annotated[
        Path | None, typer.Argument(help="study.yaml, packages/, withdrawals/.")
    ] = None,
    study_id: Annotated[
        int | None,
        typer.Option("--study-id", help="A study published on this server (its number)."),
    ] = None,
) -> None:
    """For a study's researchers; reads no journal. Freeze the study folder's packages, or with
    --study-id the donations this server holds for a published study (withdrawn people left
    out), into native and OMOP Parquet, omop.duckdb and risk_report.json; refused when k is
    below the study's."""
    from mitra.services import research as service

    if (study_dir is None) == (study_id is None):
        stdout().print("Give either a study folder or --study-id, not both.")
        raise typer.Exit(2)
    if study_id is not None:
        from mitra.services import studies
        from mitra.services.consent import today

        mitra = state(ctx).mitra()  # the server's day, as the web page's freeze
        frozen = studies.freeze(mitra, study_id, output, today(mitra), None)
    else:
        assert study_dir is not None
        frozen = service.freeze(study_dir, output, date.today())  # no journal: this machine's day
    out = stdout()
    out.print(f"Froze {len(frozen.members)} people into {output}; ", end="")
    out.print(f"{len(frozen.withdrawn)} withdrawn left out.")
    out.print(frozen.report.reason)


@research.command("stats")
def stats(
    freeze_dir: Annotated[Path, typer.Argument(help="A freeze folder.")],
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
) -> None:
    """For a study's researchers; reads no journal. Cohort statistics of a freeze with 95 %
    intervals; cells below the study's minimum suppressed. Associations, not proof."""
    from mitra.domain.research.stats import OUTCOMES
    from mitra.services import research as service

    out = stdout()
    out.print("Associations among people who chose to donate, not proof of cause.")
    for name, cells in service.stats(freeze_dir, engine).items():
        out.print(f"{name}: {OUTCOMES[name]}", markup=False)
        for c in cells:
            if c.suppressed:
                out.print(f"  {c.cell}: suppressed (fewer people than the minimum)")
            else:
                out.print(f"  {c.cell}: n={c.n} mean {c.mean} (95% CI {c.low} to {c.high})")
