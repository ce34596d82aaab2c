"""The safety engine's model: severities, alerts, the rule data and the journal snapshot.

Pure: frozen dataclasses, no I/O and no clock. Rule data (thresholds, wording, severity, sources)
comes from `knowledge/safety/` through the adapter; the snapshot is built by the service from the
journal. Source ids resolve in `knowledge/sources.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from mitra.domain.checks import parse_enum
from mitra.domain.evidence import CrisisLine, EmergencyNumber, JurisdictionStatus
from mitra.domain.journal import AdverseEffect, CheckIn, Medication, UseEvent, Vital
from mitra.domain.products import Product
from mitra.domain.responses import QuestionnaireResponse


class Severity(StrEnum):
    """How soon to act, most urgent first: crisis > urgent > caution > info."""

    CRISIS = "crisis"
    URGENT = "urgent"
    CAUTION = "caution"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for crisis (sorted first) up to 3 for info."""
        return list(Severity).index(self)

    @classmethod
    def from_code(cls, code: str) -> Severity:
        return parse_enum(cls, code, "severity")


class InteractionLevel(StrEnum):
    """The interaction vocabulary (docs/safety-rules.md).

    `dangerous`: additive effects that have been seen in deaths or carry an official warning.
    `caution`: a plausible or reported risk with weaker evidence. `pharmacokinetic`: kratom may
    change the level of the other medicine in the blood (or the reverse). `unknown`: no
    interaction evidence was found — never read as "safe".
    """

    DANGEROUS = "dangerous"
    CAUTION = "caution"
    PHARMACOKINETIC = "pharmacokinetic"
    UNKNOWN = "unknown"

    @classmethod
    def from_code(cls, code: str) -> InteractionLevel:
        return parse_enum(cls, code, "level")


class Pregnancy(StrEnum):
    """The optional onboarding answer on pregnancy and breastfeeding (unanswered: None)."""

    PREGNANT = "pregnant"
    BREASTFEEDING = "breastfeeding"
    NEITHER = "neither"

    @classmethod
    def from_code(cls, code: str) -> Pregnancy:
        return parse_enum(cls, code, "pregnancy")


@dataclass(frozen=True)
class Alert:
    """One thing the engine noticed: what, why (the exact data), what to do, and from where.

    `key` fingerprints the condition, so evaluating again updates the stored alert instead of
    adding another. `evidence_at` is the time of the newest triggering record, when it has one:
    newer evidence than an acknowledgement raises the alert again.
    """

    rule_id: str
    severity: Severity
    title: str
    because: str
    what_to_do: str
    sources: tuple[str, ...]
    key: str
    evidence_at: datetime | None = None


@dataclass(frozen=True)
class StoredAlert:
    """An alert as stored: when first and last seen, acknowledged, resolved, how often raised."""

    alert: Alert
    first_seen: datetime
    last_seen: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    times_raised: int = 1
    id: int | None = None

    @property
    def status(self) -> str:
        """`open`, `acknowledged` or `resolved` (the condition is no longer present)."""
        if self.resolved_at is not None:
            return "resolved"
        return "open" if self.acknowledged_at is None else "acknowledged"


@dataclass(frozen=True)
class RuleSpec:
    """One rule's data: severity, wording, sources and thresholds (`params`)."""

    id: str
    severity: Severity
    title: str
    what_to_do: str
    sources: tuple[str, ...]
    logic: str
    params: Mapping[str, float] = field(default_factory=dict)
    terms: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()

    def param(self, name: str) -> float:
        return self.params[name]


@dataclass(frozen=True)
class InteractionClass:
    """A class of medicines or substances and what is known about taking it with kratom."""

    id: str
    name: str
    level: InteractionLevel
    mechanism: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class NaloxoneAccess:
    """How to get naloxone in one country (ISO 3166 code), with its sources."""

    country: str
    how: str
    sources: tuple[str, ...]
    as_of: date


@dataclass(frozen=True)
class NaloxoneAdvice:
    """What naloxone is, how to get it where the person lives, and which alerts carry it."""

    what: str
    sources: tuple[str, ...]
    rules: frozenset[str]
    access: Mapping[str, NaloxoneAccess]
    elsewhere: str

    def for_country(self, country: str | None) -> tuple[str, tuple[str, ...]]:
        """The advice text and its sources for a country (None or unknown: ask a pharmacist)."""
        place = self.access.get(country or "")
        if place is None:
            return f"{self.what} {self.elsewhere}", self.sources
        return f"{self.what} {place.how}", tuple(dict.fromkeys(self.sources + place.sources))


@dataclass(frozen=True)
class Rules:
    """Everything the engine needs from the knowledge folder."""

    specs: Mapping[str, RuleSpec]
    classes: Mapping[str, InteractionClass]
    lexicon: Mapping[str, tuple[str, ...]]
    naloxone: NaloxoneAdvice | None = None

    def spec(self, rule_id: str) -> RuleSpec | None:
        return self.specs.get(rule_id)


# The snapshot's fields read from the journal's tables; the others (zone, place, help numbers,
# pregnancy answer) are the person's context, always loaded. A rule family declares which of
# these it reads (`READS`), so a write loads only the tables the families it can change read.
JOURNAL_PARTS = frozenset(
    {"products", "uses", "medications", "responses", "checkins", "effects", "vitals"}
)


@dataclass(frozen=True)
class Snapshot:
    """The person's recent journal, as the engine sees it (built by the service)."""

    tz: str
    products: tuple[Product, ...] = ()
    uses: tuple[UseEvent, ...] = ()
    medications: tuple[Medication, ...] = ()
    responses: tuple[QuestionnaireResponse, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    effects: tuple[AdverseEffect, ...] = ()
    vitals: tuple[Vital, ...] = ()
    jurisdiction: str | None = None
    legal: tuple[JurisdictionStatus, ...] = ()
    crisis_lines: tuple[CrisisLine, ...] = ()
    emergency: EmergencyNumber | None = None
    pregnancy: Pregnancy | None = None

    def local(self, at: datetime) -> str:
        """A time as the person reads it: '2026-11-20 08:30' in their zone."""
        return at.astimezone(ZoneInfo(self.tz)).strftime("%Y-%m-%d %H:%M")

    def day(self, at: datetime) -> date:
        return at.astimezone(ZoneInfo(self.tz)).date()

    def product(self, product_id: int) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def help_text(self, *, crisis: bool = False) -> str:
        """The concrete numbers to contact: crisis lines (when asked) and the emergency number."""
        parts: list[str] = []
        if crisis:
            for line in self.crisis_lines[:3]:
                parts.append(f"{line.name}: {', '.join(line.ways)} ({line.hours})")
        if self.emergency is not None:
            parts.append(f"Emergency number: {self.emergency.number}")
        else:
            parts.append("Emergency: call your local emergency number")
        return "; ".join(parts) + "."


def make_alert(
    spec: RuleSpec,
    snapshot: Snapshot,
    because: str,
    key: str = "",
    evidence_at: datetime | None = None,
) -> Alert:
    """An alert from a rule's data; urgent and crisis alerts carry the numbers to contact."""
    todo = spec.what_to_do
    if spec.severity in (Severity.CRISIS, Severity.URGENT):
        todo = f"{todo} {snapshot.help_text(crisis=spec.severity is Severity.CRISIS)}"
    return Alert(
        rule_id=spec.id,
        severity=spec.severity,
        title=spec.title,
        because=because,
        what_to_do=todo,
        sources=spec.sources,
        key=f"{spec.id}:{key}" if key else spec.id,
        evidence_at=evidence_at,
    )


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    """Crisis first, then urgent, caution, info; within a severity by rule id and key."""
    return sorted(alerts, key=lambda a: (a.severity.rank, a.rule_id, a.key))
