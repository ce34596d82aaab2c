"""The safety engine: pure rules over a journal snapshot, each alert explained and sourced."""

from mitra.domain.safety.engine import Changes, evaluate, reconcile
from mitra.domain.safety.lexicon import Match, lookup, normalise
from mitra.domain.safety.model import (
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

__all__ = [
    "Alert",
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
    "lookup",
    "normalise",
    "reconcile",
]
