"""The safety engine: pure rules over a journal snapshot, each alert explained and sourced."""

from mitra.domain.safety.engine import Changes, evaluate, reconcile
from mitra.domain.safety.lexicon import Match, lookup, normalise
from mitra.domain.safety.model import (
    Alert,
    InteractionClass,
    InteractionLevel,
    Rules,
    RuleSpec,
    Severity,
    Snapshot,
    StoredAlert,
)

__all__ = [
    "Alert",
    "Changes",
    "InteractionClass",
    "InteractionLevel",
    "Match",
    "RuleSpec",
    "Rules",
    "Severity",
    "Snapshot",
    "StoredAlert",
    "evaluate",
    "lookup",
    "normalise",
    "reconcile",
]
