"""What is known, in the terminal: `mitra evidence`, `mitra legal`, `mitra help-lines` and
`mitra kb search`. Every fact prints with its sources and as-of date; `--json` gives the same
fields as the REST API. Services are imported inside the commands so `mitra --help` stays quick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json

if TYPE_CHECKING:
    from mitra.domain.evidence import JurisdictionStatus
    from mitra.services.knowledge import HelpLines, LegalAnswer, Shown
    from mitra.services.product_law import ProductLaw, ShownVerdict

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def stdout() -> Console:
    """Knowledge text is printed as it is: square brackets in a summary are not markup."""
    return Console(highlight=False, soft_wrap=True, markup=False)


def print_sources(item: Shown[Any], console: Console) -> None:
    """The sources of one entry as links, its as-of date, and the stale note if any."""
    if item.stale:
        console.print(item.stale_note, style="bold yellow")
    console.print(f"Sources (checked as of {item.entry.as_of.isoformat()}):")
    for source in item.sources:
        console.print(f"  - {source.title}: {source.link}")


def print_evidence(item: Shown[Any], console: Console) -> None:
    from mitra.domain.evidence import GRADE_MEANINGS

    entry = item.entry
    console.print(f"{entry.title} ({entry.id})", style="bold")
    meaning = GRADE_MEANINGS[entry.grade]
    console.print(f"Evidence grade: {entry.grade.value} ({entry.grade.rank} of 6). {meaning}")
    console.print(f"\n{entry.summary}\n")
    for number, row in enumerate(item.studies, start=1):
        study, n = row.study, "not stated" if row.study.n is None else row.study.n
        console.print(f"Study {number}: {study.design}; N = {n}; {study.population}")
        console.print(f"  Finding: {study.finding}")
        console.print(f"  Limitation: {study.limitation}")
        console.print(f"  Source: {row.source.title}: {row.source.link}")
    print_sources(item, console)


def print_legal(answer: LegalAnswer, console: Console) -> None:
    from mitra.interfaces.knowledge_json import DISCLAIMER

    item, j = answer.shown, answer.shown.entry
    console.print(f"{j.name} ({j.code}) — {DISCLAIMER}", style="bold")
    if answer.fallback_note:
        console.print(answer.fallback_note)
    seven_oh = j.seven_oh_status.value if j.seven_oh_status else "not stated"
    console.print(f"Kratom leaf: {j.status.value}; concentrated 7-OH: {seven_oh}")
    if j.effective:
        console.print(f"In force since {j.effective.isoformat()}")
    console.print(f"\n{j.summary}")
    if answer.seven_oh_note:
        console.print(answer.seven_oh_note)
    if j.notes:
        console.print(f"Note: {j.notes}")
    print_sources(item, console)
    print_events(j, console)
    if answer.federal is not None:
        fed = answer.federal.entry
        seven = fed.seven_oh_status.value if fed.seven_oh_status else "not stated"
        console.print(
            f"\nFederal law also applies — {fed.name}: leaf {fed.status.value}; "
            f"concentrated 7-OH: {seven} (checked {fed.as_of.isoformat()})",
            style="bold",
        )
        print_events(fed, console)
    for local in answer.localities:
        place = local.entry
        since = f", in force since {place.effective.isoformat()}" if place.effective else ""
        console.print(f"\nLocal rule — {place.name}: {place.status.value}{since}", style="bold")
        console.print(place.summary)
        print_sources(local, console)


def print_events(j: JurisdictionStatus, console: Console) -> None:
    """The dated history of one entry's 7-OH law, oldest first, each with its sources."""
    from mitra.services.knowledge import bibliography

    if not j.events:
        return
    console.print(f"\nHistory of 7-OH law in {j.name}:", style="bold")
    sources = bibliography()
    for e in sorted(j.events, key=lambda e: e.day):
        status = f" (7-OH: {e.seven_oh_status.value})" if e.seven_oh_status else ""
        console.print(f"{e.day.isoformat()} — {e.type_name}{status}: {e.summary}")
        for t in e.thresholds or ():
            console.print(f"  Restricted: {t.text}" + (f" — {t.note}" if t.note else ""))
        if e.thresholds == ():
            console.print("  Replaces earlier limits; its terms were not seen.")
        for source_id in e.sources:
            console.print(f"  Source: {sources[source_id].title} {sources[source_id].link}")


def verdict_line(shown: ShownVerdict) -> str:
    """'United States (federal): above a limit (notice of intent, not final, 2026-07-01)'"""
    v = shown.verdict
    status = v.status.value if v.status else "not stated"
    if v.event is None:
        return f"{v.name}: 7-OH {status}, no numeric limit recorded"
    words = {"above": "above a limit", "within": "within every limit"}
    outcome = words.get(v.outcome.value, "cannot tell from the label")
    return f"{v.name}: {outcome} (7-OH {status}; {v.event.type_name}, {v.event.day.isoformat()})"


def print_product_law(law: ProductLaw, console: Console) -> None:
    """Each place's verdict on a 7-OH product, its comparisons and sources."""
    from mitra.interfaces.knowledge_json import DISCLAIMER

    console.print(f"7-OH law for {law.product.name} — {DISCLAIMER}", style="bold")
    if law.note:
        console.print(law.note)
    for shown in law.verdicts:
        console.print(verdict_line(shown), style="bold")
        console.print(shown.verdict.because)
        for c in shown.verdict.comparisons:
            console.print(f"  {c.threshold.text}: {c.outcome.value} — {c.reason}")
        for source in shown.sources:
            console.print(f"  Source: {source.title} {source.link}")


def print_help_lines(found: HelpLines, console: Console) -> None:
    if found.emergency is not None:
        number = found.emergency.entry
        console.print(f"In immediate danger: call {number.number} ({number.note})", style="bold")
    if found.international_only:
        console.print(f"Mitra has no lines for {found.country} yet; international lines:")
    if found.no_24h_line is not None:
        console.print(f"No 24-hour crisis line: {found.no_24h_line.entry.note}")
    for item in found.lines:
        line = item.entry
        ways = "; ".join(line.ways)
        console.print(f"{line.name} ({line.country}, {line.kind.value}): {ways}", style="bold")
        console.print(f"  {line.purpose} Hours: {line.hours}.")
        sources = ", ".join(source.link for source in item.sources)
        console.print(f"  Sources (as of {line.as_of.isoformat()}): {sources}")
        if item.stale:
            console.print(f"  {item.stale_note}")


kb_app = typer.Typer(help="The knowledge base: search what is known, with sources.")


def evidence(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Argument(help="A claim id such as anxiety or claim.ptsd; leave out to list."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What studies say about a benefit people report: grade, studies and sources."""
    from mitra.interfaces import knowledge_json as js
    from mitra.services import knowledge as kb

    today = kb.today(state(ctx).mitra())
    console = stdout()
    if claim is not None:
        item = kb.get_claim(claim, today)
        if as_json:
            print_json(js.evidence_detail("claims", item))
        else:
            print_evidence(item, console)
        return
    claims = kb.list_claims(today)
    if as_json:
        print_json([js.evidence_summary("claims", c) for c in claims])
        return
    for c in claims:
        stale = " (may be out of date)" if c.stale else ""
        console.print(f"{c.entry.id:<24} {c.entry.grade.value:<24} {c.entry.title}{stale}")


def legal(
    ctx: typer.Context,
    jurisdiction: Annotated[
        str | None,
        typer.Argument(
            help="A country or US state by name or ISO 3166 code (Thailand, TH, Florida, "
            "US-FL); default: yours."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Legal status of kratom leaf and 7-OH products. Not legal advice; check current law."""
    from mitra.interfaces import knowledge_json as js
    from mitra.services import knowledge as kb

    mitra = state(ctx).mitra()
    today, console = kb.today(mitra), stdout()
    code = jurisdiction or kb.my_jurisdiction(mitra).code
    if code is not None:
        answer = kb.legal_status(code, today)
        if as_json:
            print_json(js.legal_answer(answer))
        else:
            print_legal(answer, console)
        return
    entries = kb.list_legal(today)
    if as_json:
        print_json([js.legal(item) for item in entries])
        return
    console.print(f"{js.DISCLAIMER} Set your country with `mitra onboard` to see yours.")
    for item in entries:
        j = item.entry
        seven_oh = j.seven_oh_status.value if j.seven_oh_status else "-"
        console.print(f"{j.code:<6} {j.status.value:<11} 7-OH {seven_oh:<11} {j.name}")


def help_lines(
    ctx: typer.Context,
    country: Annotated[
        str | None,
        typer.Argument(
            help="A country or US state by name or code (United Kingdom, GB, Florida); "
            "default: yours, else INTL."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Crisis, poison and substance-use help lines for a country, with the international
    fallback."""
    from mitra.interfaces import knowledge_json as js
    from mitra.services import knowledge as kb

    mitra = state(ctx).mitra()
    found = kb.help_lines(country or kb.my_country(mitra), kb.today(mitra))
    if as_json:
        print_json(js.help_lines(found))
    else:
        print_help_lines(found, stdout())


@kb_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words to look for, e.g. liver.")],
    as_json: JsonOpt = False,
) -> None:
    """Search every knowledge entry; title matches rank first."""
    from mitra.interfaces import knowledge_json as js
    from mitra.services import knowledge as kb

    hits = kb.search(query)
    if as_json:
        print_json([js.hit(hit) for hit in hits])
        return
    console = stdout()
    if not hits:
        console.print(f"Nothing found for {query!r}.")
    for hit in hits:
        console.print(f"{hit.title} — {hit.section_title} ({hit.id})", style="bold")
        console.print(f"  {hit.snippet}")
