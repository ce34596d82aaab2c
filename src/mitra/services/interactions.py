"""Read medicine and substance names against the interaction lexicon, without saving anything.

One reading per typed name, the same for `mitra check-interactions` and
`GET /api/v1/interactions`: the entries matched (every ingredient of a combination product), each
class with its level, the severity of the alert it would raise, and its sources; or the state
`unknown_name` (not checked) or `no_interaction_data` (recognised, nothing known) — never "safe".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mitra.adapters.knowledge.safety import INTERACTION_PREFIX, load_rules
from mitra.domain.evidence import Source
from mitra.domain.safety import InteractionClass, Match, Severity
from mitra.services.safety import check_name, source_links

NO_DATA = "no_data"


class Reading(StrEnum):
    """What Mitra can say about a name."""

    UNKNOWN_NAME = "unknown_name"
    NO_INTERACTION_DATA = "no_interaction_data"
    INTERACTION = "interaction"


@dataclass(frozen=True)
class ClassReading:
    klass: InteractionClass
    severity: Severity | None
    sources: list[Source]


@dataclass(frozen=True)
class NameReading:
    name: str
    match: Match | None
    classes: tuple[ClassReading, ...]

    @property
    def state(self) -> Reading:
        if self.match is None:
            return Reading.UNKNOWN_NAME
        if [c.klass.id for c in self.classes] == [NO_DATA]:
            return Reading.NO_INTERACTION_DATA
        return Reading.INTERACTION

    @property
    def severity(self) -> Severity | None:
        """The most severe alert this name would raise (None when not checked)."""
        found = [c.severity for c in self.classes if c.severity is not None]
        return min(found, key=lambda s: s.rank) if found else None


def read_name(name: str) -> NameReading:
    check = check_name(name)
    rules = load_rules()
    readings = []
    for klass in check.classes:
        spec = rules.spec(f"{INTERACTION_PREFIX}{klass.id}")
        severity = spec.severity if spec is not None else None
        readings.append(ClassReading(klass, severity, source_links(klass.sources)))
    return NameReading(check.name, check.match, tuple(readings))


def read_names(names: list[str]) -> list[NameReading]:
    return [read_name(name) for name in names]
