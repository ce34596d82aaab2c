"""Sharing: `mitra export json|csv|fhir`, `mitra import FILE` and `mitra report`.

Every one of these is the person's own act; each leaves an activity record of how it went.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from mitra.errors import InvalidInputError
from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.commands.progress import progress_bar
from mitra.interfaces.cli.output import stdout

OutOpt = Annotated[Path, typer.Option("--output", "-o", help="File to write.")]


def _counts_line(counts: dict[str, int]) -> str:
    shown = [f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n]
    return ", ".join(shown) or "no rows"


export = typer.Typer(
    help="Export the whole journal: Mitra JSON (lossless), CSV, or a FHIR R4 bundle.",
    no_args_is_help=True,
)


@export.command("json")
def export_json(ctx: typer.Context, output: OutOpt) -> None:
    """Everything, lossless, as one JSON file (see docs/export-format.md); `mitra import`
    reads it back."""
    from mitra.services import exports

    with progress_bar("Exporting") as update:
        done = exports.export_json(state(ctx).mitra(), output, update)
    stdout().print(f"Wrote {output}: {_counts_line(done.counts)}.")


@export.command("csv")
def export_csv(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A folder, or a file ending in .zip.")
    ],
) -> None:
    """One UTF-8 CSV file per table (header row, ISO dates), in a folder or a .zip."""
    from mitra.services import exports

    with progress_bar("Exporting") as update:
        done = exports.export_csv(state(ctx).mitra(), output, update)
    stdout().print(f"Wrote {output}: {_counts_line(done.counts)}.")


@export.command("fhir")
def export_fhir(ctx: typer.Context, output: OutOpt) -> None:
    """A FHIR R4 (4.0.1) collection Bundle for a clinician's record system: a pseudonymous
    Patient, questionnaire responses and scores, kratom use, medications, effects, vitals."""
    from mitra.services import fhir

    done = fhir.export_fhir(state(ctx).mitra(), output)
    stdout().print(f"Wrote {output}: {_counts_line(done.counts)}.")


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A Mitra JSON export or a KratomTracker CSV.")],
) -> None:
    """Import a Mitra JSON export (into an empty journal) or a KratomTracker-style CSV.

    All or nothing: every row is checked first; a bad row is reported with its line number
    and reason, and nothing is written."""
    from mitra.services import imports

    done = imports.import_file(state(ctx).mitra(), file)
    stdout().print(f"Imported {file} ({done.kind}): {_counts_line(done.counts)}.")


def report(
    ctx: typer.Context,
    output: OutOpt,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day, YYYY-MM-DD. Default: 90 days before --to, or the first entry.",
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day, YYYY-MM-DD (included). Default: yesterday."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="pdf or html.")] = "pdf",
    sections: Annotated[
        list[str] | None,
        typer.Option(
            "--sections",
            help="Sections to include (repeat or comma-separate): conditions, scores, ratings, "
            "kratom, medications, alerts, withdrawal, effects, insights, evidence, appendix. "
            "Default: all.",
        ),
    ] = None,
    protect: Annotated[
        bool, typer.Option("--protect", help="Ask for a password and encrypt the PDF (AES).")
    ] = False,
) -> None:
    """A report for your clinician: a 1-2 page summary, then appendix tables (PDF or HTML)."""
    from mitra.services import reports

    password = None
    if protect:
        password = typer.prompt("PDF password", hide_input=True, confirmation_prompt=True)
    mitra = state(ctx).mitra()
    first, last = reports.chosen_period(
        mitra, _day(start, "from") if start else None, _day(end, "to") if end else None
    )
    size = reports.write_report(
        mitra,
        first,
        last,
        fmt,
        output,
        sections,
        password,
    )
    stdout().print(f"Wrote {output} ({size:,} bytes), {first} to {last}.", markup=False)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError.one(field, f"{text!r} is not a date YYYY-MM-DD") from None
