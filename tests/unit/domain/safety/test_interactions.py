"""interaction.*: lexicon matching (case, typos, brands), unknown names, no data, AUDIT-C."""

from __future__ import annotations

from mitra.domain.instruments import ScoreFlag
from mitra.domain.safety import Rules, Severity, lookup, normalise
from mitra.domain.safety.lexicon import within_one_edit

from .helpers import RULES, ago, ids, med, response, run, snap

AUDITC_POS = ScoreFlag("screen.auditc_positive", "Positive", "raised", "total 5")


def test_an_opioid_by_generic_brand_case_or_typo_raises_the_opioid_rule() -> None:
    for name in ("oxycodone", "OxyContin 20 mg", "oxycodon", "Suboxone", "METHADONE"):
        alerts = run(snap(medications=(med(name),)))
        assert "interaction.opioids" in ids(alerts), name
        opioid = next(a for a in alerts if a.rule_id == "interaction.opioids")
        assert opioid.severity is Severity.URGENT
        assert name in opioid.because
    typo = run(snap(medications=(med("oxycodon"),)))
    assert "read as 'oxycodone'" in typo[0].because


def test_tramadol_is_an_opioid_and_serotonergic() -> None:
    assert {"interaction.opioids", "interaction.serotonergic"} <= set(
        ids(run(snap(medications=(med("tramadol"),))))
    )


def test_every_class_has_a_rule_and_each_rule_fires_on_a_member() -> None:
    examples = {
        "benzodiazepines": "zolpidem",
        "alcohol": "wine",
        "gabapentinoids": "Lyrica",
        "sedatives": "diphenhydramine",
        "stimulants": "Adderall",
        "serotonergic": "sertraline",
        "maois": "phenelzine",
        "antipsychotics": "quetiapine",
        "cyp3a4_substrates": "tacrolimus",
        "cyp2d6_substrates": "flecainide",
        "grapefruit": "grapefruit",
        "no_data": "metformin",
        "opioid_blockers": "Vivitrol",
        "overdose_reversal": "Narcan",
        "strong_depressants": "Xyrem",
        "tianeptine": "Zaza",
        "qt_prolonging": "loperamide",
        "anticoagulants": "Eliquis",
        "enzyme_inducers": "carbamazepine",
        "seizure_threshold": "Wellbutrin",
        "cannabis": "CBD oil",
        "kava": "kava",
    }
    for klass, name in examples.items():
        assert f"interaction.{klass}" in RULES.specs
        assert f"interaction.{klass}" in ids(run(snap(medications=(med(name),)))), name


def test_an_unknown_name_is_kept_and_reported_not_checked_never_safe() -> None:
    alerts = run(snap(medications=(med("Zorblaxin"),)))
    assert ids(alerts) == ["interaction.unchecked"]
    assert "not checked" in alerts[0].because and "safe" in alerts[0].because
    assert alerts[0].key == "interaction.unchecked:zorblaxin"


def test_no_data_says_it_is_not_safe() -> None:
    alerts = run(snap(medications=(med("metformin"),)))
    assert ids(alerts) == ["interaction.no_data"]
    assert "not the same as safe" in alerts[0].because + alerts[0].what_to_do


def test_stopped_medicines_and_missing_rules_raise_nothing() -> None:
    assert run(snap(medications=(med("oxycodone", stopped=True),))) == []
    empty = Rules({}, RULES.classes, RULES.lexicon)
    assert (
        run(
            snap(
                medications=(med("oxycodone"),),
                responses=(response("auditc", ago(1), 6, (AUDITC_POS,)),),
            ),
            empty,
        )
        == []
    )
    assert run(snap(medications=(med("Zorblaxin"),)), empty) == []
    no_class = Rules(RULES.specs, {}, RULES.lexicon)
    assert run(snap(medications=(med("oxycodone"),)), no_class) == []


def test_a_positive_auditc_raises_the_alcohol_rule_and_a_negative_one_does_not() -> None:
    positive = run(snap(responses=(response("auditc", ago(2), 6, (AUDITC_POS,)),)))
    assert ids(positive) == ["interaction.alcohol"]
    assert "scored 6" in positive[0].because
    later_negative = (
        response("auditc", ago(20), 6, (AUDITC_POS,)),
        response("auditc", ago(2), 1),
    )
    assert run(snap(responses=later_negative)) == []
    assert run(snap(responses=(response("auditc", ago(91), 6, (AUDITC_POS,)),))) == []
    incomplete = response("auditc", ago(2), None, (), complete=False)
    assert run(snap(responses=(incomplete,))) == []


def test_normalise_and_edit_distance() -> None:
    assert normalise("  Xanax-XR 0.5mg ") == "xanax xr 0 5mg"
    assert within_one_edit("xanax", "xanaxx") and within_one_edit("xanaxx", "xanax")
    assert within_one_edit("tramadol", "tramadal") and not within_one_edit("tramadol", "trmadal")
    assert not within_one_edit("abc", "abcde")
    assert lookup("Seroquel XR 50", RULES.lexicon).entry == "seroquel"  # type: ignore[union-attr]
    assert lookup("sonatas", RULES.lexicon) is not None
    assert lookup("soma", RULES.lexicon) is not None
    assert lookup("somx", RULES.lexicon) is None  # short names get no typo allowance
    assert lookup("grapefruit juice daily", RULES.lexicon).entry == "grapefruit juice"  # type: ignore[union-attr]


def test_a_combination_raises_each_ingredients_rule_and_names_what_was_read() -> None:
    alerts = run(snap(medications=(med("Tylenol & codiene"),)))
    assert ids(alerts)[0] == "interaction.opioids"
    assert alerts[0].severity is Severity.URGENT
    assert "(read as 'tylenol + codeine')" in alerts[0].because
    assert "interaction.no_data" not in ids(alerts)


def test_naloxone_is_worded_as_a_rescue_medicine_not_a_danger_sign() -> None:
    alerts = run(snap(medications=(med("Narcan nasal spray"),)))
    assert ids(alerts) == ["interaction.overdose_reversal"]
    assert "good to have" in alerts[0].title
    assert "withdrawal" in alerts[0].what_to_do and "emergency number" in alerts[0].what_to_do


def test_naltrexone_warns_of_withdrawal_and_of_overdose_after_the_block_wears_off() -> None:
    alerts = run(snap(medications=(med("low dose naltrexone"),)))
    assert ids(alerts) == ["interaction.opioid_blockers"]
    assert alerts[0].severity is Severity.CAUTION
    assert "fda-label-vivitrol" in alerts[0].sources
    assert "withdrawal" in alerts[0].what_to_do and "naloxone" in alerts[0].what_to_do
