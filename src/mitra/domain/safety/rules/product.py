"""product.*: concentrated 7-OH products and extracts, products without a lab test on record, and a
dose far stronger than the person's usual (by the label's mitragynine content)."""

from __future__ import annotations

from bisect import insort
from datetime import datetime, timedelta

from mitra.domain.journal import UseEvent
from mitra.domain.products import Product, ProductForm, is_seven_oh
from mitra.domain.safety.model import Alert, Rules, RuleSpec, Snapshot, make_alert

READS = frozenset({"products", "uses"})  # journal parts read (test_inputs.py)


def _used_products(snapshot: Snapshot, since: datetime) -> list[Product]:
    ids = sorted({u.product_id for u in snapshot.uses if u.taken_at >= since})
    return [p for p in (snapshot.product(i) for i in ids) if p is not None]


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    checks = (
        ("product.seven_oh", is_seven_oh, "is a concentrated 7-OH product"),
        (
            "product.extract",
            lambda p: p.form in (ProductForm.EXTRACT, ProductForm.TINCTURE),
            "is a concentrated extract or shot",
        ),
        ("product.no_lab_test", lambda p: not p.coa_url, "has no lab-test (COA) link on record"),
    )
    for rule_id, applies, what in checks:
        spec = rules.spec(rule_id)
        if spec is None:
            continue
        since = now - timedelta(days=spec.param("window_days"))
        for product in _used_products(snapshot, since):
            if applies(product):
                days = f"{spec.param('window_days'):g}"
                because = f"'{product.name}', which you used in the last {days} days, {what}."
                alerts.append(make_alert(spec, snapshot, because, str(product.id)))
    return alerts + _potency(snapshot, rules, now)


def _median(ordered: list[float]) -> float:
    """statistics.median of an already sorted list."""
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _potency_alert(
    spec: RuleSpec, snapshot: Snapshot, use: UseEvent, mg: float, typical: float
) -> Alert:
    product = snapshot.product(use.product_id)
    name = product.name if product else f"product {use.product_id}"
    because = (
        f"On {snapshot.local(use.taken_at)} you logged {use.amount:g} {use.unit} of "
        f"'{name}', about {mg:.0f} mg of mitragynine by its label — {mg / typical:.1f} times "
        f"your usual {typical:.0f} mg per dose."
    )
    return make_alert(spec, snapshot, because, use.taken_at.isoformat(), use.taken_at)


def _potency(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("product.potency")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    measured = sorted(
        (u for u in snapshot.uses if u.mg_mitragynine is not None), key=lambda u: u.taken_at
    )
    alerts = []
    usual: list[float] = []  # the earlier doses' mg, kept sorted: one median per use, not a sort
    for use in measured:
        mg = use.mg_mitragynine or 0.0
        if use.taken_at >= since and len(usual) >= spec.param("min_doses"):
            typical = _median(usual)
            if mg >= typical * spec.param("min_ratio"):
                alerts.append(_potency_alert(spec, snapshot, use, mg, typical))
        insort(usual, mg)
    return alerts
