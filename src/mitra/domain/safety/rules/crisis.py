"""crisis.*: a raised crisis flag on a questionnaire (PHQ-9 question 9 above 0).

Only the scored answer counts: free-text notes are never parsed for this, so no note can either
raise or silence a crisis alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mitra.domain.responses import crisis_flags
from mitra.domain.safety.model import Alert, Rules, Snapshot, make_alert

READS = frozenset({"responses"})  # journal parts read (test_inputs.py)

RULE = "crisis.phq9_item9"


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec(RULE)
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    alerts = []
    for response in snapshot.responses:
        if response.taken_at < since:
            continue
        for flag in crisis_flags(response.score):
            if flag.code == RULE:
                because = (
                    f"On {snapshot.local(response.taken_at)} your PHQ-9 answer to question 9 "
                    f"(thoughts that you would be better off dead or of hurting yourself) was "
                    f"above 0: {flag.because}."
                )
                key = response.taken_at.isoformat()
                alerts.append(make_alert(spec, snapshot, because, key, response.taken_at))
    return alerts
