"""red_flag.*: symptom names, severity and vital-sign thresholds at their boundaries."""

from __future__ import annotations

import pytest

from mitra.domain.journal import Effect
from mitra.domain.safety import Rules, Severity

from .helpers import RULES, ago, daily, effect, ids, med, run, snap, vital


def test_liver_signs_by_effect_name_raise_an_urgent_alert() -> None:
    alerts = run(snap(effects=(effect(Effect.OTHER, ago(2), 6, "Yellow eyes"),)))
    assert ids(alerts) == ["red_flag.liver"]
    assert alerts[0].severity is Severity.URGENT
    assert "'Yellow eyes' (severity 6/10) on 2026-11-23 12:00" in alerts[0].because
    assert "schimmel-dart-2020" in alerts[0].sources


def test_named_red_flags_and_the_note_is_not_read() -> None:
    cases = {
        "seizure": "red_flag.seizure",
        "fainted at work": "red_flag.fainting",
        "chest pain": "red_flag.chest_pain",
        "dark urine": "red_flag.liver",
    }
    for name, rule in cases.items():
        assert ids(run(snap(effects=(effect(Effect.OTHER, ago(1), 5, name),)))) == [rule]
    assert run(snap(effects=(effect(Effect.NAUSEA, ago(1), 5, note="seizure, chest pain"),))) == []
    assert run(snap(effects=(effect(Effect.OTHER, ago(1), 5, "benefit"),))) == []
    assert run(snap(effects=(effect(Effect.OTHER, ago(15), 5, "seizure"),))) == []


def test_constipation_fires_at_8_not_7() -> None:
    assert ids(run(snap(effects=(effect(Effect.CONSTIPATION, ago(1), 8),)))) == [
        "red_flag.constipation"
    ]
    assert run(snap(effects=(effect(Effect.CONSTIPATION, ago(1), 7),))) == []


def test_overdose_signs_need_a_current_depressant() -> None:
    dizzy = (effect(Effect.DIZZINESS, ago(1), 8),)
    assert run(snap(effects=dizzy)) == []
    alerts = run(snap(effects=dizzy, medications=(med("Xanax"),)))
    assert "red_flag.overdose" in ids(alerts)
    overdose = next(a for a in alerts if a.rule_id == "red_flag.overdose")
    assert "You also take Xanax." in overdose.because
    named = run(
        snap(
            effects=(effect(Effect.OTHER, ago(1), 4, "slow breathing"),),
            medications=(med("gabapentin"),),
        )
    )
    assert "red_flag.overdose" in ids(named)
    mild = run(snap(effects=(effect(Effect.DIZZINESS, ago(1), 7),), medications=(med("Xanax"),)))
    assert "red_flag.overdose" not in ids(mild)
    unknown = run(snap(effects=dizzy, medications=(med("Zorblaxin"), med("metformin"))))
    assert "red_flag.overdose" not in ids(unknown)


def test_heart_rate_above_100_not_at_100() -> None:
    alerts = run(snap(vitals=(vital(ago(3), hr=101), vital(ago(1), hr=112), vital(ago(2), hr=100))))
    assert ids(alerts) == ["red_flag.heart_rate"]
    assert "101 bpm on 2026-11-22 12:00; 112 bpm on 2026-11-24 12:00" in alerts[0].because
    assert alerts[0].evidence_at == ago(1)
    assert run(snap(vitals=(vital(ago(1), hr=100), vital(ago(15), hr=140)))) == []


def test_blood_pressure_at_180_or_120() -> None:
    assert ids(run(snap(vitals=(vital(ago(1), bp=(180, 90)),)))) == ["red_flag.blood_pressure"]
    assert ids(run(snap(vitals=(vital(ago(1), bp=(150, 120)),)))) == ["red_flag.blood_pressure"]
    assert run(snap(vitals=(vital(ago(1), bp=(179, 119)), vital(ago(1), hr=80)))) == []


def test_rules_missing_from_the_data_do_not_run() -> None:
    empty = Rules({}, RULES.classes, RULES.lexicon)
    s = snap(
        effects=(
            effect(Effect.OTHER, ago(1), 9, "seizure"),
            effect(Effect.CONSTIPATION, ago(1), 9),
            effect(Effect.DIZZINESS, ago(1), 9),
        ),
        vitals=(vital(ago(1), hr=150, bp=(200, 130)),),
        medications=(med("Xanax"),),
    )
    assert run(s, empty) == []


SEIZURE_WORDING = [
    "seizure",
    "had a seizure",
    "seizures last night",
    "seizing",
    "fit",
    "had a fit",
    "fits",
    "fitting on the floor",
    "convulsions",
    "convulsing",
    "shaking uncontrollably",
    "uncontrollable shaking",
    "epileptic attack",
]
OVERDOSE_WORDING = [
    "slow breathing",
    "breathing slowly",
    "shallow breathing",
    "trouble breathing",
    "difficulty breathing",
    "can't breathe",
    "couldn’t breathe",
    "hard to breathe",
    "short of breath",
    "stopped breathing",
    "barely breathing",
    "blue lips",
    "lips turned blue",
    "grey lips",
    "gray lips",
    "unresponsive",
    "couldn't wake him",
    "hard to wake up",
    "would not wake",
    "pinpoint pupils",
    "nodding out",
    "overdosed",
    "OD",
]
OTHER_WORDING = {
    "red_flag.liver": ["yellow eyes", "yellow skin", "dark urine", "jaundiced", "pale stools"],
    "red_flag.fainting": ["passed out", "blacked out", "fainted", "fainting", "lost consciousness"],
    "red_flag.chest_pain": ["chest pain", "chest tightness", "tight chest", "chest hurts"],
}


@pytest.mark.parametrize("name", SEIZURE_WORDING)
def test_everyday_seizure_wording_raises_the_seizure_alert(name: str) -> None:
    assert ids(run(snap(effects=(effect(Effect.OTHER, ago(1), 5, name),)))) == ["red_flag.seizure"]


@pytest.mark.parametrize("name", OVERDOSE_WORDING)
def test_everyday_overdose_wording_with_a_depressant_raises_the_overdose_alert(name: str) -> None:
    alerts = run(snap(effects=(effect(Effect.OTHER, ago(1), 5, name),), medications=(med("Soma"),)))
    assert "red_flag.overdose" in ids(alerts)


@pytest.mark.parametrize(
    ("rule", "name"), [(rule, name) for rule, names in OTHER_WORDING.items() for name in names]
)
def test_everyday_liver_fainting_and_chest_wording(rule: str, name: str) -> None:
    assert ids(run(snap(effects=(effect(Effect.OTHER, ago(1), 5, name),)))) == [rule]


@pytest.mark.parametrize("name", ["benefit", "outfit", "fitness", "profit", "breathing fine"])
def test_words_containing_a_term_do_not_fire(name: str) -> None:
    assert run(snap(effects=(effect(Effect.OTHER, ago(1), 5, name),), medications=())) == []


def test_palpitations_fire_when_severe_or_with_a_heart_rhythm_or_stimulant_medicine() -> None:
    severe = run(snap(effects=(effect(Effect.PALPITATIONS, ago(1), 7),)))
    assert ids(severe) == ["red_flag.palpitations"]
    assert severe[0].severity is Severity.CAUTION
    assert run(snap(effects=(effect(Effect.PALPITATIONS, ago(1), 6),))) == []
    with_qt = run(
        snap(effects=(effect(Effect.PALPITATIONS, ago(1), 3),), medications=(med("Imodium"),))
    )
    palp = next(a for a in with_qt if a.rule_id == "red_flag.palpitations")
    assert palp.because.endswith("You also take Imodium.")
    assert run(snap(effects=(effect(Effect.NAUSEA, ago(1), 9),), medications=(med("Imodium"),)))


def test_itching_fires_at_7_not_6() -> None:
    assert ids(run(snap(effects=(effect(Effect.ITCHING, ago(1), 7),)))) == ["red_flag.itching"]
    assert run(snap(effects=(effect(Effect.ITCHING, ago(1), 6),))) == []


@pytest.mark.parametrize("kind", [k for k in Effect if k is not Effect.OTHER])
def test_every_built_in_effect_kind_feeds_a_rule(kind: Effect) -> None:
    uses = daily(range(2, 16))
    alerts = run(
        snap(uses=uses, effects=(effect(kind, ago(0, 2), 9),), medications=(med("Xanax"),))
    )
    fed = {a.rule_id for a in alerts} - {
        "interaction.benzodiazepines",
        "interaction.cyp3a4_substrates",
    }
    assert fed, kind


def test_itching_and_palpitations_look_back_14_days() -> None:
    for kind, rule in (
        (Effect.ITCHING, "red_flag.itching"),
        (Effect.PALPITATIONS, "red_flag.palpitations"),
    ):
        assert ids(run(snap(effects=(effect(kind, ago(13, 23), 9),)))) == [rule]
        assert run(snap(effects=(effect(kind, ago(14, 1), 9),))) == []
    spec = RULES.specs["red_flag.palpitations"]
    assert (spec.param("window_days"), spec.param("min_severity")) == (14, 7)
    assert spec.classes == ("qt_prolonging", "stimulants", "tianeptine")
    assert RULES.specs["red_flag.itching"].params == {"window_days": 14, "min_severity": 7}
