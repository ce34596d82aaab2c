"""What a clinician report shows, as plain values: the service fills it, the templates render it.

Nothing here computes; it only names the parts, so the HTML and the PDF cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from mitra.adapters.reports.charts import Chart

SECTIONS: Final = {
    "conditions": "Conditions being managed",
    "scores": "Questionnaire scores",
    "ratings": "Daily ratings (0-10)",
    "kratom": "Kratom use pattern",
    "medications": "Medications and other substances",
    "alerts": "Open safety alerts",
    "withdrawal": "Withdrawal and dependence measures",
    "effects": "Adverse effects and vital signs",
    "insights": "Timelines and n-of-1 findings",
    "taper": "Taper plan",
    "evidence": "What the evidence says",
    "appendix": "Appendix: full tables",
}
FOOTER: Final = "Self-reported data; scores are monitoring, not diagnosis."


@dataclass(frozen=True)
class ScoreRow:
    title: str
    taken: int
    latest: str
    latest_band: str
    latest_on: str
    previous: str
    change: str
    first: str = "—"
    first_on: str = "—"
    change_since_first: str = "—"


@dataclass(frozen=True)
class RatingRow:
    """A daily rating's mean over the last 14 days, the 14 before them, and the whole period."""

    label: str
    last_14: str
    prior_14: str
    period: str
    days_rated: int


@dataclass(frozen=True)
class ProductRow:
    name: str
    form: str
    uses: int
    grams_leaf: str
    seven_oh: bool
    mg_mitragynine: str = "—"
    mg_7oh: str = "—"


@dataclass(frozen=True)
class Line:
    """One row of a simple table: a label and its text cells."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    outcome: str
    text: str
    caveats: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceItem:
    title: str
    grade: str
    summary: str
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TaperSection:
    """The plan as the person set it, against what they logged (issue 19)."""

    summary: str
    state: str
    agreed: str
    chart: Chart | None
    holds: tuple[Line, ...]
    sows: tuple[Line, ...]
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    generated_at: datetime
    version: str
    tz: str
    sections: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    place: str = "not stated"
    item9: tuple[str, ...] = ()
    ratings: tuple[RatingRow, ...] = ()
    kratom_trend: str = ""
    decomposition: str = ""
    overview: Chart | None = None
    timelines: tuple[Chart, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    withdrawal: tuple[ScoreRow, ...] = ()
    use_summary: tuple[tuple[str, str], ...] = ()
    products: tuple[ProductRow, ...] = ()
    medications: tuple[Line, ...] = ()
    alerts: tuple[Line, ...] | None = None
    info_alerts: tuple[str, ...] = ()
    effects: tuple[Line, ...] = ()
    vitals_summary: tuple[tuple[str, str], ...] = ()
    charts: tuple[Chart, ...] = ()
    findings: tuple[Finding, ...] = ()
    insights_note: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    appendix: dict[str, tuple[tuple[str, ...], tuple[Line, ...]]] = field(default_factory=dict)
    taper: TaperSection | None = None
    dial: frozenset[str] = frozenset()  # help-line numbers to link where they appear in text

    def shows(self, section: str) -> bool:
        return section in self.sections

    @property
    def seven_oh_products(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.products if p.seven_oh)
