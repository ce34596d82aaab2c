"""overdose.*: signs of opioid overdose after a concentrated 7-OH product, a much larger amount than
usual, or any kratom use shortly before — urgent on their own, with no other drug listed.

Signs are read from the adverse effects logged: for effect 'other', the effect's own name (as the
red-flag rules do; never the free-text note). A use counts when it was taken within `hours_before`
hours before the sign. The alert says which use it followed: a 7-OH product, an amount at least
`large_ratio` times the median of the person's earlier amounts (with `min_doses` earlier amounts;
Mitra's screening choice), or kratom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from statistics import median

from mitra.domain.journal import AdverseEffect, Effect, UseEvent
from mitra.domain.products import is_seven_oh
from mitra.domain.safety.model import Alert, Rules, RuleSpec, Snapshot, make_alert

READS = frozenset({"effects", "products", "uses"})  # journal parts read (test_inputs.py)

RULE = "overdose.signs"


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec(RULE)
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    before = timedelta(hours=spec.param("hours_before"))
    alerts = []
    for effect in snapshot.effects:
        if effect.occurred_at < since or not names_a_sign(effect, spec.terms):
            continue
        taken = [
            u
            for u in snapshot.uses
            if effect.occurred_at - before <= u.taken_at <= effect.occurred_at
        ]
        if taken:
            alerts.append(_alert(spec, snapshot, effect, max(taken, key=_worst(snapshot, spec))))
    return alerts


def names_a_sign(effect: AdverseEffect, terms: tuple[str, ...]) -> bool:
    """True when an 'other' effect's name contains an overdose sign (whole words, any case)."""
    if effect.effect is not Effect.OTHER:
        return False
    name = " ".join(effect.other_text.casefold().replace("’", "'").split())
    return any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", name) for term in terms)


def _worst(
    snapshot: Snapshot, spec: RuleSpec
) -> Callable[[UseEvent], tuple[bool, float, datetime]]:
    """Order uses: a 7-OH product first, then the largest ratio to usual, then the latest."""

    def rank(use: UseEvent) -> tuple[bool, float, datetime]:
        product = snapshot.product(use.product_id)
        return (
            product is not None and is_seven_oh(product),
            _ratio(snapshot, spec, use) or 0.0,
            use.taken_at,
        )

    return rank


def _ratio(snapshot: Snapshot, spec: RuleSpec, use: UseEvent) -> float | None:
    """This use's grams of leaf over the median of the person's earlier amounts, when known."""
    earlier = [
        u.grams_leaf
        for u in snapshot.uses
        if u.taken_at < use.taken_at and u.grams_leaf is not None and u.grams_leaf > 0
    ]
    if use.grams_leaf is None or len(earlier) < spec.param("min_doses"):
        return None
    return use.grams_leaf / median(earlier)


def _alert(spec: RuleSpec, snapshot: Snapshot, effect: AdverseEffect, use: UseEvent) -> Alert:
    product = snapshot.product(use.product_id)
    name = product.name if product else f"product {use.product_id}"
    hours = (effect.occurred_at - use.taken_at).total_seconds() / 3600
    ratio = _ratio(snapshot, spec, use)
    if product is not None and is_seven_oh(product):
        what = f"'{name}', a concentrated 7-OH product"
    elif ratio is not None and ratio >= spec.param("large_ratio"):
        what = f"{use.amount:g} {use.unit} of '{name}', {ratio:.1f} times your usual amount"
    else:
        what = f"{use.amount:g} {use.unit} of '{name}'"
    because = (
        f"You logged '{effect.label}' on {snapshot.local(effect.occurred_at)}, {hours:.0f} "
        f"hours after taking {what} ({snapshot.local(use.taken_at)})."
    )
    return make_alert(spec, snapshot, because, effect.occurred_at.isoformat(), effect.occurred_at)
