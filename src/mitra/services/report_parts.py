"""The clinician report's sections, each built from data read in one transaction by `reports`.

Pure functions from journal values to the report model's rows; no storage access here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from mitra.adapters.reports import model as m
from mitra.domain.analytics import daily
from mitra.domain.evidence import Claim, Source
from mitra.domain.instruments import Instrument, compare
from mitra.domain.journal import (
    CHECKIN_LABELS,
    CHECKIN_SCALES,
    AdverseEffect,
    Medication,
    UseEvent,
    Vital,
)
from mitra.domain.products import FORM_LABELS, Product
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.safety import StoredAlert
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


def _day(response: QuestionnaireResponse | None, tz: str) -> str:
    return response.taken_at.astimezone(ZoneInfo(tz)).date().isoformat() if response else "—"


def score_row(
    instrument: Instrument, found: Sequence[QuestionnaireResponse], tz: str
) -> m.ScoreRow:
    """Latest complete total with band, the one before it and the first in the period, and the
    changes, each judged by the instrument's published rule."""
    complete = [r for r in found if r.score.complete]
    latest = complete[-1] if complete else None
    previous = complete[-2] if len(complete) > 1 else None
    first = complete[0] if len(complete) > 1 else None
    return m.ScoreRow(
        title=instrument.display_title,
        taken=len(found),
        latest=number(latest.score.total) if latest else "incomplete",
        latest_band=(latest.score.band_label or "no bands published") if latest else "—",
        latest_on=_day(latest, tz),
        previous=number(previous.score.total) if previous else "—",
        change=_change(instrument, previous, latest) if latest and previous else "—",
        first=number(first.score.total) if first else "—",
        first_on=_day(first, tz),
        change_since_first=_change(instrument, first, latest) if latest and first else "—",
    )


ITEM9 = ("phq9", "phq9.q9")


def item9_flags(
    responses: Sequence[QuestionnaireResponse], instruments: dict[str, Instrument], tz: str
) -> tuple[str, ...]:
    """Every PHQ-9 in the period whose question 9 (thoughts of death or self-harm) was answered
    above 0, with its answer and date: shown on page one whenever present."""
    instrument_id, item_id = ITEM9
    instrument = instruments.get(instrument_id)
    if instrument is None:
        return ()
    item = next(i for i in instrument.items if i.id == item_id)
    labels = {o.value: o.label for o in item.options}
    flagged = []
    for r in sorted(responses, key=lambda r: r.taken_at):
        answer = r.score.answers.get(item_id) if r.instrument_id == instrument_id else None
        if answer is not None and answer > 0:
            flagged.append(
                f"PHQ-9 question 9 (thoughts of being better off dead or of self-harm) answered "
                f"{number(answer, 0)} ('{labels.get(answer, '?')}') on {_day(r, tz)}"
            )
    return tuple(flagged)


def _mean(values: Sequence[float | None]) -> tuple[str, int]:
    known = [v for v in values if v is not None]
    return (number(sum(known) / len(known)) if known else "—"), len(known)


def rating_rows(days: Sequence[daily.CheckinDay]) -> tuple[m.RatingRow, ...]:
    """Each daily rating: the last 14 whole days, the 14 before them and the whole period."""
    rows = []
    for scale in CHECKIN_SCALES:
        values = [d.ratings[scale] for d in days]
        period, rated = _mean(values)
        rows.append(
            m.RatingRow(
                CHECKIN_LABELS[scale],
                _mean(values[-14:])[0],
                _mean(values[-28:-14])[0] if len(values) > 14 else "—",
                period,
                rated,
            )
        )
    return tuple(rows)


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


def _total(values: Sequence[float | None], applies: bool) -> str:
    """A product's total over its uses: '—' where it does not apply, 'not known' where a use
    lacked the label or weight, never a misleading 0."""
    if not applies:
        return "—"
    if any(v is None for v in values):
        known = [v for v in values if v is not None]
        return (
            f"{number(sum(known))} + {len(values) - len(known)} uses not known"
            if known
            else ("not known")
        )
    return number(sum(v for v in values if v is not None))


def product_rows(
    uses: Sequence[UseEvent], products: dict[int, Product]
) -> tuple[m.ProductRow, ...]:
    """Uses per product with grams of leaf (leaf products only), mg mitragynine and mg 7-OH
    from labels: an extract used 15 times shows its mitragynine, not '0 g'."""
    grouped: dict[int, list[UseEvent]] = defaultdict(list)
    for use in uses:
        grouped[use.product_id].append(use)
    kinds = daily.dose_kinds(products.values())
    rows = []
    for product_id, found in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        product = products[product_id]
        kind = kinds.get(product_id, daily.DoseKind.OTHER)
        seven_oh = kind is daily.DoseKind.SEVEN_OH
        rows.append(
            m.ProductRow(
                product.name,
                FORM_LABELS[product.form],
                len(found),
                _total([u.grams_leaf for u in found], kind is daily.DoseKind.LEAF),
                seven_oh,
                _total([u.mg_mitragynine for u in found], not seven_oh),
                _total([u.mg_7oh for u in found], seven_oh),
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
                interaction_text(med.name),
            )
        )
        for med in overlapping
    )


def interaction_text(name: str) -> str:
    """The interaction classes (and their level) the lexicon gives a medicine name."""
    from mitra.services.safety import check_name

    found = check_name(name)
    if not found.checked:
        return "not in Mitra's interaction list"
    return "; ".join(f"{_short(c.name)} ({c.level.value})" for c in found.classes) or "no class"


def _short(name: str, limit: int = 60) -> str:
    """A class or source name without its parenthesised list, cut at `limit` characters."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


THIRD_PERSON = (
    (r"\bYou have\b", "The person has"),
    (r"\byou have\b", "they have"),
    (r"\bYou are\b", "The person is"),
    (r"\byou are\b", "they are"),
    (r"\bYou\b", "The person"),
    (r"\byou\b", "they"),
    (r"\bYour\b", "Their"),
    (r"\byour\b", "their"),
    (r"\byourself\b", "themselves"),
)


def third_person(text: str) -> str:
    """An alert's patient-facing wording turned to the clinician's voice (no 'you')."""
    for pattern, replacement in THIRD_PERSON:
        text = re.sub(pattern, replacement, text)
    return text


def _first_sentence(text: str) -> str:
    found = re.match(r"(.+?[.!?])(?=\s+[A-Z])", text)
    return found.group(1) if found else text


def clinician_alerts(alerts: Sequence[StoredAlert]) -> tuple[m.Line, ...]:
    """Open caution, urgent and crisis alerts for a clinician: severity, why it matters and what
    was seen (its first sentence), and the first source — never the advice written for the
    person."""
    from mitra.services.safety import source_links

    lines = []
    for a in alerts:
        if a.alert.severity.value == "info":
            continue
        links = source_links(a.alert.sources)
        source = _short(links[0].title) if links else "—"
        if len(links) > 1:
            source += f" (and {len(links) - 1} more)"
        seen = _short(third_person(_first_sentence(a.alert.because)), 160)
        lines.append(m.Line((a.alert.severity.value, third_person(a.alert.title), seen, source)))
    return tuple(lines)


def info_alerts(alerts: Sequence[StoredAlert]) -> tuple[str, ...]:
    """The open informational alerts by title, counted (e.g. 'No lab test on record (4)')."""
    counts: dict[str, int] = {}
    for a in alerts:
        if a.alert.severity.value == "info":
            title = third_person(a.alert.title)
            counts[title] = counts.get(title, 0) + 1
    return tuple(f"{t} ({n})" if n > 1 else t for t, n in counts.items())


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
