"""pregnancy.*: kratom use while pregnant or breastfeeding (the optional onboarding answer).

Nothing is inferred: only the person's own answer raises it, and 'neither' or no answer raises
nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mitra.domain.safety.model import Alert, Pregnancy, Rules, Snapshot, make_alert

READS = frozenset({"uses"})  # journal parts read (test_inputs.py)

RULE = "pregnancy.kratom"
SAID = {
    Pregnancy.PREGNANT: "that you are pregnant",
    Pregnancy.BREASTFEEDING: "that you are breastfeeding",
}


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec(RULE)
    if spec is None or snapshot.pregnancy not in SAID:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    days = len({snapshot.day(u.taken_at) for u in snapshot.uses if u.taken_at >= since})
    logged = (
        f" You logged kratom use on {days} of the last {spec.param('window_days'):g} days."
        if days
        else ""
    )
    because = f"You said in your profile {SAID[snapshot.pregnancy]}.{logged}"
    return [make_alert(spec, snapshot, because, snapshot.pregnancy.value)]
