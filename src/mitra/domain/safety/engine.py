"""The engine: run every rule family over a snapshot; alerts come back crisis first.

`reconcile` decides, purely, how fresh alerts change the stored ones: new conditions are added,
present ones updated (and raised again when they had been resolved, or acknowledged before newer
evidence), absent ones marked resolved — never deleted.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from mitra.domain.safety.model import Alert, Rules, Snapshot, StoredAlert, sort_alerts
from mitra.domain.safety.rules import FAMILIES


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    """Every alert the rules raise on this snapshot, one per key, crisis first."""
    found: dict[str, Alert] = {}
    for family in FAMILIES:
        for alert in family(snapshot, rules, now):
            found.setdefault(alert.key, alert)
    return sort_alerts(list(found.values()))


@dataclasses.dataclass(frozen=True)
class Changes:
    """What to write: new alerts, updated stored ones, and the keys raised (new or again)."""

    added: list[StoredAlert]
    updated: list[StoredAlert]
    raised: list[str]


def reconcile(stored: list[StoredAlert], fresh: list[Alert], now: datetime) -> Changes:
    by_key = {s.alert.key: s for s in stored}
    added: list[StoredAlert] = []
    updated: list[StoredAlert] = []
    raised: list[str] = []
    for alert in fresh:
        old = by_key.get(alert.key)
        if old is None:
            added.append(StoredAlert(alert, first_seen=now, last_seen=now))
            raised.append(alert.key)
            continue
        again = old.resolved_at is not None or (
            old.acknowledged_at is not None
            and alert.evidence_at is not None
            and alert.evidence_at > old.acknowledged_at
        )
        updated.append(
            dataclasses.replace(
                old,
                alert=alert,
                last_seen=now,
                resolved_at=None,
                acknowledged_at=None if again else old.acknowledged_at,
                times_raised=old.times_raised + 1 if again else old.times_raised,
            )
        )
        if again:
            raised.append(alert.key)
    present = {a.key for a in fresh}
    for old in stored:
        if old.alert.key not in present and old.resolved_at is None:
            updated.append(dataclasses.replace(old, resolved_at=now))
    return Changes(added, updated, raised)
