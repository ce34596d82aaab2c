"""The evidence and legal-status model: what the knowledge base says, and from where.

Pure: frozen dataclasses and functions, no I/O and no clock. Every entry names its sources (ids
resolvable in `knowledge/sources.yaml`) and the date it was checked (`as_of`); `is_stale` takes
`today` from the caller so the domain never reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Protocol, TypeVar

from mitra.domain.checks import parse_enum
from mitra.domain.help_lines import CrisisLine as CrisisLine
from mitra.domain.help_lines import EmergencyNumber as EmergencyNumber
from mitra.domain.help_lines import LineKind as LineKind
from mitra.domain.help_lines import crisis_first as crisis_first

if TYPE_CHECKING:
    from mitra.domain.legal import LegalEvent

STALE_AFTER_MONTHS = 12
INTERNATIONAL = "INTL"
_JURISDICTION_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_WORD = re.compile(r"[a-z0-9]+")


class Grade(Enum):
    """How strong the best human evidence for a statement is, weakest first.

    The order is the order of declaration: `none` < `preclinical` < `case_report` <
    `cross_sectional_survey` < `observational_cohort` < `controlled_trial` < `systematic_review`.
    A grade says what kind of study exists, not that the study found a benefit.
    """

    NONE = "none"
    PRECLINICAL = "preclinical"
    CASE_REPORT = "case_report"
    CROSS_SECTIONAL_SURVEY = "cross_sectional_survey"
    OBSERVATIONAL_COHORT = "observational_cohort"
    CONTROLLED_TRIAL = "controlled_trial"
    SYSTEMATIC_REVIEW = "systematic_review"

    @property
    def rank(self) -> int:
        """0 for `none` up to 6 for `systematic_review`."""
        return list(Grade).index(self)

    @classmethod
    def from_code(cls, code: str) -> Grade:
        return parse_enum(cls, code, "grade")


class LegalStatus(Enum):
    """Status of a product in a jurisdiction, from least to most restricted; `unclear` last."""

    LEGAL = "legal"
    REGULATED = "regulated"
    RESTRICTED = "restricted"
    BANNED = "banned"
    UNCLEAR = "unclear"

    @classmethod
    def from_code(cls, code: str) -> LegalStatus:
        return parse_enum(cls, code, "status")


@dataclass(frozen=True)
class Source:
    """One checkable reference: a paper, a government page, a statute, a news report."""

    id: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    kind: str
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    note: str = ""

    @property
    def link(self) -> str:
        """Where a reader can check it: the URL seen, else the DOI resolver."""
        if self.url:
            return self.url
        return f"https://doi.org/{self.doi}" if self.doi else ""


@dataclass(frozen=True)
class Study:
    """One study behind a claim or risk, described as its authors reported it."""

    design: str
    population: str
    finding: str
    limitation: str
    source: str
    n: int | None = None


@dataclass(frozen=True)
class Graded:
    """An entry with an evidence grade and the studies behind it: a claim or a risk."""

    id: str
    title: str
    grade: Grade
    summary: str
    studies: tuple[Study, ...]
    sources: tuple[str, ...]
    as_of: date


@dataclass(frozen=True)
class Claim(Graded):
    """A benefit people report (anxiety, pain...) and how well the evidence supports it."""


@dataclass(frozen=True)
class Risk(Graded):
    """A harm (dependence, liver injury...) and the evidence that it happens."""


@dataclass(frozen=True)
class Topic:
    """Descriptive background (the plant, alkaloids, pharmacokinetics) or a care pointer."""

    id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    as_of: date


@dataclass(frozen=True)
class Locality:
    """A city's or county's own rule inside a jurisdiction (ISO 3166 has no codes for these)."""

    name: str
    status: LegalStatus
    summary: str
    sources: tuple[str, ...]
    as_of: date
    effective: date | None = None


@dataclass(frozen=True)
class JurisdictionStatus:
    """Legal status of kratom leaf (and, separately, concentrated 7-OH) in one ISO 3166 area,
    with any local rules (a county ban) that add to it, and the dated events (a notice of intent,
    an emergency rule, an expiry...) behind its 7-OH status, oldest first."""

    code: str
    name: str
    status: LegalStatus
    summary: str
    sources: tuple[str, ...]
    as_of: date
    seven_oh_status: LegalStatus | None = None
    effective: date | None = None
    notes: str = ""
    localities: tuple[Locality, ...] = ()
    events: tuple[LegalEvent, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.name} ({self.code})"


GRADE_MEANINGS: dict[Grade, str] = {
    Grade.NONE: "No study found.",
    Grade.PRECLINICAL: "Cell or animal studies only, or a regulator's analysis resting on them.",
    Grade.CASE_REPORT: (
        "Individual cases or collections of them without a comparison group, including "
        "poison-centre data and death surveillance."
    ),
    Grade.CROSS_SECTIONAL_SURVEY: (
        "Surveys at one time point, including smartphone sampling of self-selected users."
    ),
    Grade.OBSERVATIONAL_COHORT: "People followed over time, with a comparison.",
    Grade.CONTROLLED_TRIAL: "Randomised or placebo-controlled human studies.",
    Grade.SYSTEMATIC_REVIEW: "A systematic review or meta-analysis of the above.",
}

STATUS_MEANINGS: dict[LegalStatus, str] = {
    LegalStatus.LEGAL: "No specific law restricts it.",
    LegalStatus.REGULATED: (
        "Legal under specific rules: age limits, labelling, registration or licensing."
    ),
    LegalStatus.RESTRICTED: "Some products or uses are prohibited.",
    LegalStatus.BANNED: "Possession, sale or import is an offence.",
    LegalStatus.UNCLEAR: "The sources seen do not settle it.",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    next_first = date(year + month // 12, month % 12 + 1, 1)
    return (next_first - date(year, month, 1)).days


def is_stale(as_of: date, today: date, months: int = STALE_AFTER_MONTHS) -> bool:
    """True when `today` is more than `months` calendar months after the entry was checked."""
    return today > add_months(as_of, months)


def is_jurisdiction_code(code: str) -> bool:
    """ISO 3166-1 alpha-2 (`US`), a 3166-2 subdivision (`US-AL`), or the `INTL` fallback."""
    return code == INTERNATIONAL or bool(_JURISDICTION_CODE.match(code))


def country_of(code: str) -> str:
    """The country part of a jurisdiction code: `US-AL` -> `US`."""
    return code.split("-", 1)[0]


class Searchable(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...


S = TypeVar("S", bound=Searchable)


def terms(text: str) -> list[str]:
    """Lower-case words and numbers of a text, in order."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A plain English plural folded onto its singular: `risks` -> `risk`, `seizures` ->
    `seizure`; `ss` endings and short words stay (`class`, `gas`)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def score(entry: Searchable, query_terms: Sequence[str]) -> int:
    """Two points for each query term in the title, one for each in the summary; a plural and
    its singular count as the same word."""
    title_words = {stem(w) for w in terms(entry.title)}
    summary_words = {stem(w) for w in terms(entry.summary)}
    stems = [stem(t) for t in query_terms]
    return sum(2 * (t in title_words) + (t in summary_words) for t in stems)


def search(entries: Iterable[S], query: str) -> list[S]:
    """Entries matching any query term, best first; ties keep their original order."""
    query_terms = terms(query)
    scored = [(score(entry, query_terms), entry) for entry in entries]
    return [entry for points, entry in sorted(scored, key=lambda pair: -pair[0]) if points > 0]
