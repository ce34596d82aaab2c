"""The engine: run every rule family over a snapshot; alerts come back crisis first.

One alert per rule: what a rule raised several times (three opioids, two seizures) becomes one
alert whose `because` lists every trigger. Its key is the rule id plus the triggers that have no
time of their own (medicine names, product ids), so a new medicine raises the alert again, and
timed triggers (effects, answers) raise it again through `evidence_at`, the newest of them.
Alerts of the overdose-related rules named in `knowledge/safety/naloxone.yaml` end with the
naloxone advice for the person's country.

`reconcile` decides, purely, how fresh alerts change the stored ones: new conditions are added,
present ones updated (and raised again when they had been resolved, or acknowledged before newer
evidence), absent ones marked resolved — never deleted.

Incremental evaluation: a single write runs only the families that read what it changed
(`families_reading`), and `reconcile` is then told which rules ran (`owns`), so the alerts of the
families that did not run are left as they are. On the same journal and clock, that gives the
same alerts as a full evaluation (tests/properties/test_incremental_safety.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import datetime

from mitra.domain.evidence import country_of
from mitra.domain.safety.model import Alert, Rules, Snapshot, StoredAlert, sort_alerts
from mitra.domain.safety.rules import FAMILIES, Family

KEY_LENGTH = 300
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"(])")


def evaluate(
    snapshot: Snapshot, rules: Rules, now: datetime, families: Iterable[Family] = FAMILIES
) -> list[Alert]:
    """Every alert the rules (of `families`: all by default) raise on this snapshot, one per
    rule, crisis first."""
    found: dict[str, list[Alert]] = {}
    for family in families:
        for alert in family.evaluate(snapshot, rules, now):
            found.setdefault(alert.rule_id, []).append(alert)
    merged = [merge(parts) for parts in found.values()]
    return sort_alerts([_with_naloxone(a, snapshot, rules) for a in merged])


def merge(parts: list[Alert]) -> Alert:
    """One alert from every alert a rule raised: all triggers listed, the newest evidence kept."""
    unique = sorted({a.key: a for a in parts}.values(), key=lambda a: a.key)
    first = unique[0]
    timeless = [a.key.partition(":")[2] for a in unique if a.evidence_at is None]
    suffix = "+".join(t for t in timeless if t)
    key = f"{first.rule_id}:{suffix}" if suffix else first.rule_id
    if len(key) > KEY_LENGTH:
        key = f"{first.rule_id}:{hashlib.sha256(suffix.encode()).hexdigest()[:32]}"
    times = [a.evidence_at for a in unique if a.evidence_at is not None]
    return dataclasses.replace(
        first,
        because=_because(unique),
        key=key,
        evidence_at=max(times) if times else None,
    )


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def _because(parts: list[Alert]) -> str:
    """Each trigger's own sentences in turn, then the sentences they all share, once."""
    if len(parts) == 1:
        return parts[0].because
    split = [_sentences(a.because) for a in parts]
    shared = set(split[0]).intersection(*split[1:])
    own = dict.fromkeys(s for sentences in split for s in sentences if s not in shared)
    return " ".join([*own, *(s for s in split[0] if s in shared)])


def _with_naloxone(alert: Alert, snapshot: Snapshot, rules: Rules) -> Alert:
    advice = rules.naloxone
    if advice is None or alert.rule_id not in advice.rules:
        return alert
    country = country_of(snapshot.jurisdiction) if snapshot.jurisdiction else None
    text, sources = advice.for_country(country)
    return dataclasses.replace(
        alert,
        what_to_do=f"{alert.what_to_do} {text}",
        sources=tuple(dict.fromkeys(alert.sources + sources)),
    )


@dataclasses.dataclass(frozen=True)
class Changes:
    """What to write: new alerts, updated stored ones, and the keys raised (new or again)."""

    added: list[StoredAlert]
    updated: list[StoredAlert]
    raised: list[str]


def reconcile(
    stored: list[StoredAlert],
    fresh: list[Alert],
    now: datetime,
    owns: Callable[[str], bool] | None = None,
) -> Changes:
    """With `owns` (a rule id -> whether its rule was evaluated), only the evaluated rules'
    stored alerts can be resolved; without it, every rule was evaluated."""
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
        if old.alert.key in present or old.resolved_at is not None:
            continue
        if owns is None or owns(old.alert.rule_id):
            updated.append(dataclasses.replace(old, resolved_at=now))
    return Changes(added, updated, raised)
