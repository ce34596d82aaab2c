"""Disclosure risk of a person-level table, measured on its declared quasi-identifiers.

k-anonymity, l-diversity (distinct values) and t-closeness (Li, Li & Venkatasubramanian 2007:
the earth mover's distance between a class's distribution of a sensitive value and the whole
table's; ordered distance for numbers, equal distance for categories) are the definitions pyCANON
implements. Singling-out, linkability and inference risk follow the three attacks anonymeter
models, measured directly on the released table (a prosecutor attacker who knows a person's
quasi-identifiers): singling out = share of people alone in their class; linkability = mean chance
1/class size of linking a known person to their row; inference = share of people whose class has
one value of a sensitive attribute. This k gates a freeze; pyCANON's figures must equal these
(services.research raises otherwise), and anonymeter's attacks are reported beside them
(adapters/research/disclosure.py, docs/research.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True)
class RiskReport:
    rows: int
    quasi_identifiers: tuple[str, ...]
    k: int
    l_diversity: dict[str, int]
    t_closeness: dict[str, float]
    singling_out: float
    linkability: float
    inference: dict[str, float]
    required_k: int

    @property
    def passes(self) -> bool:
        return self.k >= self.required_k

    @property
    def reason(self) -> str:
        verdict = "meets" if self.passes else "is below"
        return (
            f"k = {self.k} on {', '.join(self.quasi_identifiers)} over {self.rows} people "
            f"{verdict} the study's k = {self.required_k}"
        )


def classes(rows: Sequence[Row], qis: Sequence[str]) -> dict[tuple[Any, ...], list[Row]]:
    """Equivalence classes: rows grouped by their quasi-identifier values."""
    found: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in rows:
        found[tuple(row[q] for q in qis)].append(row)
    return found


def k_anonymity(rows: Sequence[Row], qis: Sequence[str]) -> int:
    """The size of the smallest class (0 for an empty table)."""
    return min((len(c) for c in classes(rows, qis).values()), default=0)


def l_diversity(rows: Sequence[Row], qis: Sequence[str], sensitive: str) -> int:
    """The fewest distinct values of `sensitive` in any class (0 for an empty table)."""
    return min(
        (len({r[sensitive] for r in c}) for c in classes(rows, qis).values()),
        default=0,
    )


def _distribution(values: Sequence[Any], support: Sequence[Any]) -> list[float]:
    counts = Counter(values)
    return [counts[v] / len(values) for v in support]


def _emd(p: Sequence[float], q: Sequence[float], ordered: bool) -> float:
    if not ordered:
        return 0.5 * sum(abs(a - b) for a, b in zip(p, q, strict=True))
    if len(p) < 2:
        return 0.0
    running, total = 0.0, 0.0
    for a, b in zip(p, q, strict=True):
        running += a - b
        total += abs(running)
    return total / (len(p) - 1)


def t_closeness(rows: Sequence[Row], qis: Sequence[str], sensitive: str) -> float:
    """The largest distance between a class's and the table's distribution of `sensitive`
    (ordered distance when every value is a number, equal distance otherwise)."""
    values = [r[sensitive] for r in rows]
    if not values:
        return 0.0
    ordered = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    support = sorted(set(values)) if ordered else sorted(set(values), key=str)
    whole = _distribution(values, support)
    return max(
        round(_emd(_distribution([r[sensitive] for r in c], support), whole, ordered), 6)
        for c in classes(rows, qis).values()
    )


def assess(
    rows: Sequence[Row], qis: Sequence[str], sensitive: Sequence[str], required_k: int
) -> RiskReport:
    """Every measure on one table; `passes` is False when k is below the study's setting."""
    groups = classes(rows, qis).values()
    n = len(rows)
    return RiskReport(
        rows=n,
        quasi_identifiers=tuple(qis),
        k=k_anonymity(rows, qis),
        l_diversity={s: l_diversity(rows, qis, s) for s in sensitive},
        t_closeness={s: t_closeness(rows, qis, s) for s in sensitive},
        singling_out=round(sum(1 for c in groups if len(c) == 1) / n, 6) if n else 0.0,
        linkability=round(len(groups) / n, 6) if n else 0.0,
        inference={
            s: round(sum(len(c) for c in groups if len({r[s] for r in c}) == 1) / n, 6)
            if n
            else 0.0
            for s in sensitive
        },
        required_k=required_k,
    )
