"""Knowledge entries -> JSON-ready data, the same for the REST API and `--json` on the CLI, and
the web page that shows each entry (so an API client or a script can link a person to it)."""

from __future__ import annotations

from typing import Any

from mitra.domain.evidence import (
    GRADE_MEANINGS,
    Claim,
    CrisisLine,
    JurisdictionStatus,
    Locality,
    Risk,
)
from mitra.domain.evidence import Source as SourceEntry
from mitra.domain.help_lines import PhoneNumber
from mitra.domain.legal import Comparison, LegalEvent, Threshold
from mitra.domain.standard_drinks import DrinkNote
from mitra.services import knowledge as kb
from mitra.services.product_law import ProductLaw, ShownVerdict

DISCLAIMER = "Not legal advice; check current law."
PREFIX = "/knowledge"


def page_for(section: str, entry_id: str) -> str:
    """The page that shows an entry of a knowledge section: `risks`, `risk.liver` ->
    /knowledge/risks/liver."""
    slug = entry_id.split(".", 1)[1] if "." in entry_id else entry_id
    if section in ("claims", "risks"):
        return f"{PREFIX}/{section}/{slug}"
    if section == "legal":
        return f"{PREFIX}/legal?code={entry_id}"
    if section == "help":
        return f"{PREFIX}/help?country={entry_id}"
    return f"{PREFIX}/{section}#{entry_id}"


def source(s: SourceEntry) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "authors": list(s.authors),
        "year": s.year,
        "kind": s.kind,
        "link": s.link,
        "doi": s.doi,
        "pmid": s.pmid,
    }


def dated(item: kb.Shown[Any]) -> dict[str, Any]:
    return {
        "as_of": item.entry.as_of.isoformat(),
        "stale": item.stale,
        "stale_note": item.stale_note,
        "sources": [source(s) for s in item.sources],
    }


def evidence_summary(section: str, item: kb.Shown[Claim] | kb.Shown[Risk]) -> dict[str, Any]:
    entry = item.entry
    return {
        "id": entry.id,
        "title": entry.title,
        "grade": entry.grade.value,
        "grade_rank": entry.grade.rank,
        "grade_meaning": GRADE_MEANINGS[entry.grade],
        "as_of": entry.as_of.isoformat(),
        "stale": item.stale,
        "page": page_for(section, entry.id),
    }


def evidence_detail(section: str, item: kb.Shown[Claim] | kb.Shown[Risk]) -> dict[str, Any]:
    studies = [
        {
            "design": row.study.design,
            "n": row.study.n,
            "population": row.study.population,
            "finding": row.study.finding,
            "limitation": row.study.limitation,
            "source": source(row.source),
        }
        for row in item.studies
    ]
    return {
        **evidence_summary(section, item),
        **dated(item),
        "summary": item.entry.summary,
        "studies": studies,
    }


def legal(item: kb.Shown[JurisdictionStatus]) -> dict[str, Any]:
    j = item.entry
    return {
        **dated(item),
        "code": j.code,
        "name": j.name,
        "status": j.status.value,
        "seven_oh_status": None if j.seven_oh_status is None else j.seven_oh_status.value,
        "effective": None if j.effective is None else j.effective.isoformat(),
        "summary": j.summary,
        "notes": j.notes,
        "page": page_for("legal", j.code),
        "events": [event(e) for e in j.events],
    }


def threshold(t: Threshold) -> dict[str, Any]:
    return {
        "substance": t.substance.value,
        "measure": t.measure.value,
        "operator": t.operator.value,
        "value": t.value,
        "scope": t.scope.value,
        "note": t.note,
        "text": t.text,
    }


def event(e: LegalEvent) -> dict[str, Any]:
    """A dated legal change; `thresholds` is null when the event leaves earlier ones as they
    were, and an empty list when it replaced them with terms that were not seen."""
    sources = kb.bibliography()
    return {
        "date": e.day.isoformat(),
        "type": e.type.value,
        "type_name": e.type_name,
        "final": e.final,
        "summary": e.summary,
        "seven_oh_status": None if e.seven_oh_status is None else e.seven_oh_status.value,
        "thresholds": None if e.thresholds is None else [threshold(t) for t in e.thresholds],
        "sources": [source(sources[s]) for s in e.sources],
    }


def comparison(c: Comparison) -> dict[str, Any]:
    return {
        "threshold": threshold(c.threshold),
        "outcome": c.outcome.value,
        "labelled": c.labelled,
        "reason": c.reason,
    }


def verdict(shown: ShownVerdict) -> dict[str, Any]:
    v = shown.verdict
    return {
        "code": v.code,
        "name": v.name,
        "because": v.because,
        "seven_oh_status": None if v.status is None else v.status.value,
        "outcome": v.outcome.value,
        "event": None if v.event is None else event(v.event),
        "comparisons": [comparison(c) for c in v.comparisons],
        "sources": [source(s) for s in shown.sources],
        "page": page_for("legal", v.code),
    }


def product_law(found: ProductLaw) -> dict[str, Any]:
    return {
        "product_id": found.product.id,
        "product": found.product.name,
        "seven_oh": found.seven_oh,
        "place": found.place,
        "note": found.note,
        "disclaimer": DISCLAIMER,
        "verdicts": [verdict(v) for v in found.verdicts],
    }


def locality(item: kb.Shown[Locality]) -> dict[str, Any]:
    place = item.entry
    return {
        **dated(item),
        "name": place.name,
        "status": place.status.value,
        "effective": None if place.effective is None else place.effective.isoformat(),
        "summary": place.summary,
    }


def legal_answer(answer: kb.LegalAnswer) -> dict[str, Any]:
    return {
        "asked": answer.asked,
        "fallback_note": answer.fallback_note,
        "disclaimer": DISCLAIMER,
        "entry": legal(answer.shown),
        "localities": [locality(item) for item in answer.localities],
        "federal": None if answer.federal is None else legal(answer.federal),
        "seven_oh_note": answer.seven_oh_note,
    }


def numbers(found: tuple[PhoneNumber, ...]) -> list[dict[str, str]]:
    """Each number as printed (`display`), as dialled (`dial`, for tel:/sms:) and its label."""
    return [{"display": n.display, "dial": n.dial, "label": n.label} for n in found]


def line(item: kb.Shown[CrisisLine]) -> dict[str, Any]:
    found = item.entry
    texts = ("country", "name", "purpose", "hours", "vanity", "chat", "url", "notes")
    return {
        **dated(item),
        **{f: getattr(found, f) for f in texts},
        "kind": found.kind.value,
        "open_24h": found.open_24h,
        **{f: numbers(getattr(found, f)) for f in ("phones", "tty", "sms", "whatsapp")},
        "phone": found.phone,
        "text": found.text,
    }


def help_lines(found: kb.HelpLines) -> dict[str, Any]:
    emergency, gap = found.emergency, found.no_24h_line
    return {
        "country": found.country,
        "international_only": found.international_only,
        "emergency": None
        if emergency is None
        else {
            **dated(emergency),
            "numbers": numbers(emergency.entry.numbers),
            "number": emergency.entry.number,
            "note": emergency.entry.note,
            "notes": emergency.entry.notes,
        },
        "no_24h_line": None if gap is None else {**dated(gap), "note": gap.entry.note},
        "lines": [line(item) for item in found.lines],
    }


def hit(found: kb.Hit) -> dict[str, Any]:
    return {
        "section": found.section,
        "section_title": found.section_title,
        "id": found.id,
        "title": found.title,
        "snippet": found.snippet,
        "score": found.score,
        "page": page_for(found.section, found.id),
    }


def drink_note(note: DrinkNote | None) -> dict[str, Any] | None:
    """What one drink holds where the person lives (AUDIT-C), with its sources in full."""
    if note is None:
        return None
    sources = kb.bibliography()
    return {
        "country": note.country,
        "text": note.text,
        "sources": [source(sources[s]) for s in note.sources],
        "as_of": note.as_of.isoformat(),
    }
