"""One module per rule family; each `evaluate(snapshot, rules, now)` returns its alerts.

A rule runs only when its data (a `RuleSpec` from rules.yaml) is present. Each family is named
after its module, raises only rule ids that start with that name (`interaction.opioids`), and
declares in `READS` the journal parts of the snapshot its rules read. A single write evaluates
only the families that read what it changed (`families_reading`);
tests/unit/domain/safety/test_inputs.py checks every `READS` against the module's code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from mitra.domain.safety.model import Alert, Rules, Snapshot
from mitra.domain.safety.rules import (
    crisis,
    dependence,
    interaction,
    legal,
    overdose,
    pregnancy,
    product,
    red_flag,
    withdrawal,
)

Evaluate = Callable[[Snapshot, Rules, datetime], list[Alert]]


@dataclass(frozen=True)
class Family:
    """One rule family: its name (the prefix of its rule ids), its rules and what they read."""

    name: str
    evaluate: Evaluate
    reads: frozenset[str]

    def owns(self, rule_id: str) -> bool:
        return rule_id.partition(".")[0] == self.name

    @classmethod
    def of(cls, module: ModuleType) -> Family:
        return cls(module.__name__.rpartition(".")[2], module.evaluate, module.READS)


FAMILIES: tuple[Family, ...] = tuple(
    Family.of(m)
    for m in (
        crisis,
        interaction,
        red_flag,
        overdose,
        withdrawal,
        dependence,
        product,
        pregnancy,
        legal,
    )
)


def families_reading(parts: Collection[str]) -> tuple[Family, ...]:
    """The families whose rules read any of these journal parts (what a change can alter)."""
    return tuple(f for f in FAMILIES if f.reads.intersection(parts))


def owned_by(families: Collection[Family]) -> Callable[[str], bool]:
    """Whether a rule id belongs to one of these families (what `reconcile` may resolve)."""
    names = {f.name for f in families}
    return lambda rule_id: rule_id.partition(".")[0] in names
