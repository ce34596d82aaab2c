"""The engine: ordering, one alert per key, and the stored lifecycle (reconcile)."""

from __future__ import annotations

import pytest

from mitra.domain.journal import Effect
from mitra.domain.safety import Alert, InteractionLevel, Rules, Severity, StoredAlert, reconcile
from mitra.domain.safety.engine import merge

from .helpers import ITEM9, NOW, RULES, ago, effect, med, response, run, snap, vital


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


def test_three_opioids_make_one_alert_naming_all_three_and_the_mechanism_once() -> None:
    found = run(snap(medications=(med("oxycodone"), med("hydrocodone"), med("tramadol"))))
    [opioids] = [a for a in found if a.rule_id == "interaction.opioids"]
    assert opioids.key == "interaction.opioids:hydrocodone+oxycodone+tramadol"
    assert opioids.because.startswith(
        "'hydrocodone' is on your list of medications and substances: Opioids (including "
        "tramadol, buprenorphine and methadone) (interaction level: dangerous). 'oxycodone' is on"
    )
    assert opioids.because.count("Mitragynine, kratom's main alkaloid") == 1
    assert [a.rule_id for a in found].count("interaction.opioids") == 1


def test_a_merged_alert_keeps_the_newest_evidence_and_a_short_key() -> None:
    long_names = tuple(med(f"{'x' * 60}{n}") for n in range(6))
    [unchecked] = [
        a for a in run(snap(medications=long_names)) if a.rule_id == "interaction.unchecked"
    ]
    assert len(unchecked.key) == len("interaction.unchecked:") + 32
    assert all(f"{'x' * 60}{n}" in unchecked.because for n in range(6))
    times = (alert(key="r:a", evidence=ago(3)), alert(key="r:b", evidence=ago(1)))
    assert merge(list(times)).evidence_at == ago(1)
    assert merge(list(times)).key == "red_flag.heart_rate"


def test_the_same_trigger_twice_is_listed_once() -> None:
    twice = [alert(key="r:a"), alert(key="r:a")]
    assert merge(twice).because == "b" and merge(twice).key == "red_flag.heart_rate:a"


def test_overdose_related_alerts_carry_the_naloxone_advice_for_the_place() -> None:
    us = run(snap(medications=(med("oxycodone"),), jurisdiction="US-CA"))
    [opioids] = [a for a in us if a.rule_id == "interaction.opioids"]
    assert "Naloxone (for example Narcan nasal spray) is a rescue medicine" in opioids.what_to_do
    assert "In the US, Narcan naloxone nasal spray can be bought without a prescription" in (
        opioids.what_to_do
    )
    assert opioids.sources[-1] == "fda-narcan-otc-2023"
    [elsewhere] = [
        a
        for a in run(snap(medications=(med("oxycodone"),), jurisdiction="DE"))
        if a.rule_id == "interaction.opioids"
    ]
    assert "Ask a pharmacist where you live how to get naloxone" in elsewhere.what_to_do
    [serotonergic] = [
        a
        for a in run(snap(medications=(med("sertraline"),)))
        if a.rule_id == "interaction.serotonergic"
    ]
    assert "naloxone" not in serotonergic.what_to_do.lower()


def test_without_naloxone_data_alerts_are_left_as_the_rule_words_them() -> None:
    rules = Rules(RULES.specs, RULES.classes, RULES.lexicon)
    [opioids] = [
        a
        for a in run(snap(medications=(med("oxycodone"),)), rules)
        if a.rule_id == "interaction.opioids"
    ]
    assert "naloxone" not in opioids.what_to_do.lower()
