"""The safety engine: pure rules over a journal snapshot, each alert explained and sourced."""

from mitra.domain.safety.engine import Changes, evaluate, reconcile
from mitra.domain.safety.lexicon import Match, lookup, normalise
from mitra.domain.safety.model import (
    JOURNAL_PARTS,
    Alert,
    InteractionClass,
    InteractionLevel,
    Pregnancy,
    Rules,
    RuleSpec,
    Severity,
    Snapshot,
    StoredAlert,
)
from mitra.domain.safety.rules import FAMILIES, Family, families_reading, owned_by

__all__ = [
    "FAMILIES",
    "JOURNAL_PARTS",
    "Alert",
    "Family",
    "Changes",
    "InteractionClass",
    "InteractionLevel",
    "Match",
    "Pregnancy",
    "RuleSpec",
    "Rules",
    "Severity",
    "Snapshot",
    "StoredAlert",
    "evaluate",
    "families_reading",
    "lookup",
    "normalise",
    "owned_by",
    "reconcile",
]
