"""One module per rule family; each `evaluate(snapshot, rules, now)` returns its alerts.

A rule runs only when its data (a `RuleSpec` from rules.yaml) is present.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

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

Family = Callable[[Snapshot, Rules, datetime], list[Alert]]
FAMILIES: tuple[Family, ...] = (
    crisis.evaluate,
    interaction.evaluate,
    red_flag.evaluate,
    overdose.evaluate,
    withdrawal.evaluate,
    dependence.evaluate,
    product.evaluate,
    pregnancy.evaluate,
    legal.evaluate,
)
