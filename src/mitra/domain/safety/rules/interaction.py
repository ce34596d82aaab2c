"""interaction.*: medicines and substances on the person's list that interact with kratom.

Names are looked up in the lexicon (case- and typo-tolerant; a combination product matches every
ingredient, and each ingredient's classes raise their rules, so the most severe one shows first).
A name the lexicon does not know is reported as *not checked*; a known medicine without
interaction evidence as *no data* — neither is ever called safe. Alcohol is also read from a
positive AUDIT-C screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mitra.domain.safety.lexicon import lookup, normalise
from mitra.domain.safety.model import Alert, Rules, Snapshot, make_alert

READS = frozenset({"medications", "responses"})  # journal parts read (test_inputs.py)

UNCHECKED = "interaction.unchecked"
ALCOHOL = "interaction.alcohol"
AUDITC_POSITIVE = "screen.auditc_positive"


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    today = snapshot.day(now)
    alerts: list[Alert] = []
    for med in snapshot.medications:
        if not med.is_current(today):
            continue
        match = lookup(med.name, rules.lexicon)
        key = normalise(med.name)
        if match is None:
            spec = rules.spec(UNCHECKED)
            if spec is not None:
                because = (
                    f"'{med.name}' is on your list of medications and substances, but Mitra's "
                    "interaction list does not know this name, so it was not checked. "
                    "Not checked is not the same as safe."
                )
                alerts.append(make_alert(spec, snapshot, because, key))
            continue
        read_as = f" (read as '{match.entry}')" if match.fuzzy or match.is_combination else ""
        for class_id in match.classes:
            spec = rules.spec(f"interaction.{class_id}")
            klass = rules.classes.get(class_id)
            if spec is None or klass is None:
                continue
            because = (
                f"'{med.name}'{read_as} is on your list of medications and substances: "
                f"{klass.name} (interaction level: {klass.level.value}). {klass.mechanism}"
            )
            alerts.append(make_alert(spec, snapshot, because, key))
    alerts += _auditc(snapshot, rules, now)
    return alerts


def _auditc(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec(ALCOHOL)
    klass = rules.classes.get("alcohol")
    if spec is None or klass is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    screens = [
        r
        for r in snapshot.responses
        if r.instrument_id == "auditc" and r.taken_at >= since and r.score.complete
    ]
    if not screens:
        return []
    latest = max(screens, key=lambda r: r.taken_at)
    if not latest.score.has_flag(AUDITC_POSITIVE):
        return []
    because = (
        f"Your AUDIT-C on {snapshot.local(latest.taken_at)} scored {latest.score.total}, a "
        f"positive screen for hazardous drinking. {klass.mechanism}"
    )
    return [make_alert(spec, snapshot, because, "auditc", latest.taken_at)]
