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
    "kratom": "Kratom use pattern",
    "medications": "Medications and other substances",
    "alerts": "Open safety alerts",
    "withdrawal": "Withdrawal and dependence measures",
    "effects": "Adverse effects and vital signs",
    "insights": "Trends and n-of-1 findings",
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


@dataclass(frozen=True)
class ProductRow:
    name: str
    form: str
    uses: int
    grams_leaf: str
    seven_oh: bool


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
class Report:
    start: date
    end: date
    generated_at: datetime
    version: str
    tz: str
    sections: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    withdrawal: tuple[ScoreRow, ...] = ()
    use_summary: tuple[tuple[str, str], ...] = ()
    products: tuple[ProductRow, ...] = ()
    medications: tuple[Line, ...] = ()
    alerts: tuple[Line, ...] | None = None
    effects: tuple[Line, ...] = ()
    vitals_summary: tuple[tuple[str, str], ...] = ()
    charts: tuple[Chart, ...] = ()
    findings: tuple[Finding, ...] = ()
    insights_note: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    appendix: dict[str, tuple[tuple[str, ...], tuple[Line, ...]]] = field(default_factory=dict)

    def shows(self, section: str) -> bool:
        return section in self.sections

    @property
    def seven_oh_products(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.products if p.seven_oh)
