"""The engine: ordering, one alert per key, and the stored lifecycle (reconcile)."""

from __future__ import annotations

import pytest

from mitra.domain.journal import Effect
from mitra.domain.safety import Alert, InteractionLevel, Severity, StoredAlert, reconcile

from .helpers import ITEM9, NOW, ago, effect, med, response, run, snap, vital


def alert(key: str = "k", evidence: object = None) -> Alert:
    return Alert("red_flag.heart_rate", Severity.CAUTION, "t", "b", "w", ("s",), key, evidence)  # type: ignore[arg-type]


def test_alerts_are_sorted_crisis_then_urgent_caution_info() -> None:
    s = snap(
        medications=(med("metformin"), med("sertraline"), med("oxycodone")),
        responses=(response("phq9", ago(1), 9, (ITEM9,)),),
        vitals=(vital(ago(1), hr=120),),
        effects=(effect(Effect.OTHER, ago(1), 5, "seizure"),),
    )
    ranks = [a.severity.rank for a in run(s)]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 3


def test_severity_vocabulary() -> None:
    assert [s.value for s in Severity] == ["crisis", "urgent", "caution", "info"]
    assert Severity.from_code("urgent") is Severity.URGENT
    with pytest.raises(Exception, match="not one of"):
        Severity.from_code("high")


def test_new_alerts_are_added_and_raised() -> None:
    changes = reconcile([], [alert()], NOW)
    assert [s.alert.key for s in changes.added] == ["k"] and changes.raised == ["k"]
    assert changes.added[0].status == "open" and changes.added[0].times_raised == 1


def test_present_alerts_update_and_keep_acknowledgement_without_newer_evidence() -> None:
    stored = StoredAlert(alert(evidence=ago(3)), ago(5), ago(1), acknowledged_at=ago(2), id=1)
    changes = reconcile([stored], [alert(evidence=ago(3))], NOW)
    assert changes.added == [] and changes.raised == []
    assert changes.updated[0].status == "acknowledged" and changes.updated[0].last_seen == NOW


def test_newer_evidence_after_acknowledgement_raises_again() -> None:
    stored = StoredAlert(alert(evidence=ago(3)), ago(5), ago(1), acknowledged_at=ago(2), id=1)
    changes = reconcile([stored], [alert(evidence=ago(1))], NOW)
    assert changes.raised == ["k"]
    assert changes.updated[0].status == "open" and changes.updated[0].times_raised == 2


def test_absent_conditions_are_resolved_not_deleted_and_recurrence_reopens() -> None:
    stored = StoredAlert(alert(), ago(5), ago(1), acknowledged_at=ago(2), id=1)
    resolved = reconcile([stored], [], NOW).updated[0]
    assert resolved.status == "resolved" and resolved.resolved_at == NOW
    assert reconcile([resolved], [], NOW).updated == []
    back = reconcile([resolved], [alert()], NOW)
    assert back.raised == ["k"] and back.updated[0].status == "open"
    assert back.updated[0].times_raised == 2


def test_interaction_level_vocabulary() -> None:
    assert [x.value for x in InteractionLevel] == [
        "dangerous",
        "caution",
        "pharmacokinetic",
        "unknown",
    ]
    assert InteractionLevel.from_code("unknown") is InteractionLevel.UNKNOWN
    with pytest.raises(Exception, match="not one of"):
        InteractionLevel.from_code("safe")
