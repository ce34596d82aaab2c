"""The clinician report's sections, each built from data read in one transaction by `reports`.

Pure functions from journal values to the report model's rows; no storage access here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from mitra.adapters.reports import model as m
from mitra.domain.analytics import daily
from mitra.domain.evidence import Claim, Source
from mitra.domain.instruments import Instrument, compare
from mitra.domain.journal import AdverseEffect, Medication, UseEvent, Vital
from mitra.domain.products import FORM_LABELS, Product, ProductForm
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.schedule import CONDITION_LABELS
from mitra.services import use_pattern

WITHDRAWAL = ("sows", "sds", "kud_dsm5")


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def conditions(codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(CONDITION_LABELS.get(code, code) for code in codes)


def _change(
    instrument: Instrument, earlier: QuestionnaireResponse, later: QuestionnaireResponse
) -> str:
    found = compare(instrument, earlier.score, later.score)
    if found.difference is None:
        return "—"
    sign = "+" if found.difference > 0 else ""
    marker = "meaningful change" if found.meaningful else "within measurement noise"
    if found.meaningful is None:
        marker = "no published threshold"
    return f"{sign}{number(found.difference)} ({marker})"


def score_row(
    instrument: Instrument, found: Sequence[QuestionnaireResponse], tz: str
) -> m.ScoreRow:
    """Latest complete total with band, the one before it, and the change between them."""
    complete = [r for r in found if r.score.complete]
    latest = complete[-1] if complete else None
    previous = complete[-2] if len(complete) > 1 else None
    return m.ScoreRow(
        title=instrument.display_title,
        taken=len(found),
        latest=number(latest.score.total) if latest else "incomplete",
        latest_band=(latest.score.band_label or "no bands published") if latest else "—",
        latest_on=latest.taken_at.astimezone(ZoneInfo(tz)).date().isoformat() if latest else "—",
        previous=number(previous.score.total) if previous else "—",
        change=_change(instrument, previous, latest) if latest and previous else "—",
    )


def score_rows(
    responses: Sequence[QuestionnaireResponse],
    instruments: dict[str, Instrument],
    tz: str,
    *,
    withdrawal: bool,
) -> tuple[m.ScoreRow, ...]:
    grouped: dict[str, list[QuestionnaireResponse]] = defaultdict(list)
    for response in sorted(responses, key=lambda r: (r.taken_at, r.id or 0)):
        grouped[response.instrument_id].append(response)
    wanted = [i for i in grouped if (i in WITHDRAWAL) == withdrawal and i in instruments]
    return tuple(score_row(instruments[i], grouped[i], tz) for i in wanted)


def use_summary(
    data: use_pattern.UseData, tz: str, start: date, end: date, today: date
) -> tuple[tuple[str, str], ...]:
    """The use rows for the whole days of `start`..`end`: a period reaching today stops at
    yesterday and says so (today is not over, so it is not counted)."""
    last = min(end, today - timedelta(days=1))
    if last < start:
        return (("Days covered", "none: the period has no whole day yet"),)
    days = use_pattern.use_days(data, tz, start, last)
    covered = f"{start.isoformat()} to {last.isoformat()} ({len(days)} whole days)"
    if last < end:
        covered += f"; today ({today.isoformat()}) is not over and is not counted"
    return (("Days covered", covered), *daily.describe_use(daily.summarise_use(days)))


def product_rows(
    uses: Sequence[UseEvent], products: dict[int, Product]
) -> tuple[m.ProductRow, ...]:
    counts = Counter(u.product_id for u in uses)
    grams: dict[int, float] = defaultdict(float)
    for use in uses:
        grams[use.product_id] += use.grams_leaf or 0.0
    rows = []
    for product_id, used in counts.most_common():
        product = products[product_id]
        seven_oh = product.form is ProductForm.SEVEN_OH or product.seven_oh_mg_per_unit is not None
        rows.append(
            m.ProductRow(
                product.name, FORM_LABELS[product.form], used, number(grams[product_id]), seven_oh
            )
        )
    return tuple(rows)


def medication_lines(meds: Sequence[Medication], start: date, end: date) -> tuple[m.Line, ...]:
    overlapping = [
        med
        for med in meds
        if (med.started_on is None or med.started_on <= end)
        and (med.stopped_on is None or med.stopped_on >= start)
    ]
    return tuple(
        m.Line(
            (
                med.name,
                med.dose_text or "—",
                med.schedule.value.replace("_", " "),
                med.started_on.isoformat() if med.started_on else "—",
                med.stopped_on.isoformat() if med.stopped_on else "current",
            )
        )
        for med in overlapping
    )


def effect_lines(effects: Sequence[AdverseEffect]) -> tuple[m.Line, ...]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for effect in effects:
        grouped[effect.label].append(effect.severity)
    return tuple(
        m.Line((label, str(len(found)), str(max(found)), number(sum(found) / len(found))))
        for label, found in sorted(grouped.items(), key=lambda item: -len(item[1]))
    )


def vitals_summary(vitals: Sequence[Vital]) -> tuple[tuple[str, str], ...]:
    rates = [v.heart_rate for v in vitals if v.heart_rate is not None]
    pressures = [
        (v.systolic, v.diastolic)
        for v in vitals
        if v.systolic is not None and v.diastolic is not None
    ]
    mean_bp = (
        f"{number(sum(p[0] for p in pressures) / len(pressures), 0)}/"
        f"{number(sum(p[1] for p in pressures) / len(pressures), 0)}"
        if pressures
        else "—"
    )
    return (
        ("Readings", str(len(vitals))),
        (
            "Heart rate, mean (range), beats/min",
            f"{number(sum(rates) / len(rates), 0)} ({min(rates)}–{max(rates)})" if rates else "—",
        ),
        ("Blood pressure, mean, mmHg", mean_bp),
        ("Highest systolic, mmHg", str(max(p[0] for p in pressures)) if pressures else "—"),
    )


def evidence_items(
    claims: Sequence[Claim], sources: dict[str, Source], codes: Sequence[str]
) -> tuple[m.EvidenceItem, ...]:
    """The claims about the conditions being managed (all claims when none are set)."""
    wanted = {f"claim.{code}" for code in codes}
    chosen = [c for c in claims if c.id in wanted] or list(claims)
    return tuple(
        m.EvidenceItem(
            c.title,
            c.grade.value.replace("_", " "),
            c.summary,
            tuple((sources[s].title, sources[s].link) for s in c.sources if s in sources),
        )
        for c in chosen
    )
