"""Contract test for the safety engine's data: rules, interaction classes and the lexicon."""

from __future__ import annotations

from typing import Any

import pytest

from mitra.adapters.knowledge import evidence, safety
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.safety import InteractionLevel, Severity
from mitra.errors import ConfigurationError

BAD_PARAMS = {
    "rules": [
        {
            "id": "x",
            "sources": ["s"],
            "severity": "info",
            "title": "t",
            "what_to_do": "w",
            "logic": "l",
            "params": {"a": "b"},
        }
    ]
}
REQUIRED_CLASSES = {
    "opioids",
    "benzodiazepines",
    "alcohol",
    "gabapentinoids",
    "sedatives",
    "stimulants",
    "serotonergic",
    "maois",
    "antipsychotics",
    "cyp3a4_substrates",
    "cyp2d6_substrates",
    "grapefruit",
    "no_data",
}
REQUIRED_RULES = {
    "crisis.phq9_item9",
    "interaction.opioids",
    "interaction.benzodiazepines",
    "interaction.unchecked",
    "dependence.daily_amount",
    "dependence.frequency",
    "dependence.consecutive_days",
    "dependence.gaps",
    "dependence.first_dose",
    "dependence.kud_dsm5",
    "withdrawal.sows",
    "withdrawal.after_gap",
    "red_flag.liver",
    "red_flag.heart_rate",
    "red_flag.blood_pressure",
    "red_flag.overdose",
    "product.seven_oh",
    "product.no_lab_test",
    "product.potency",
    "legal.jurisdiction",
    "legal.seven_oh",
}


def test_the_lexicon_maps_at_least_200_names_to_known_classes() -> None:
    rules = safety.load_rules()
    assert len(rules.lexicon) >= 200
    assert {c for found in rules.lexicon.values() for c in found} <= set(rules.classes)
    for name in ("tramadol", "buprenorphine", "methadone", "quetiapine", "zolpidem", "grapefruit"):
        assert name in rules.lexicon


def test_every_class_is_sourced_described_and_has_a_rule() -> None:
    rules = safety.load_rules()
    known = set(evidence.load_sources())
    assert REQUIRED_CLASSES <= set(rules.classes)
    for klass in rules.classes.values():
        assert klass.sources and set(klass.sources) <= known, klass.id
        assert isinstance(klass.level, InteractionLevel) and klass.mechanism
        assert f"interaction.{klass.id}" in rules.specs
    assert rules.classes["no_data"].level is InteractionLevel.UNKNOWN


def test_every_rule_is_sourced_and_worded() -> None:
    rules = safety.load_rules()
    known = set(evidence.load_sources())
    assert REQUIRED_RULES <= set(rules.specs)
    for spec in rules.specs.values():
        assert spec.sources and set(spec.sources) <= known, spec.id
        assert spec.title and spec.what_to_do and spec.logic
        assert isinstance(spec.severity, Severity)
    assert rules.specs["crisis.phq9_item9"].severity is Severity.CRISIS


@pytest.mark.parametrize(
    ("path", "document", "message"),
    [
        (
            safety.RULES_FILE,
            {"rules": [{"id": "x.y", "severity": "high", "sources": ["s"]}]},
            "not one of",
        ),
        (safety.RULES_FILE, {"rules": "no"}, "must have a list"),
        (safety.RULES_FILE, {"rules": [1]}, "must be a mapping"),
        (safety.RULES_FILE, {"rules": [{"id": "x.y"}]}, "needs sources"),
        (safety.RULES_FILE, {"rules": [{"id": "x", "sources": "s"}]}, "list of text"),
        (
            safety.RULES_FILE,
            BAD_PARAMS,
            "numbers",
        ),
        (
            safety.INTERACTIONS_FILE,
            {"classes": [{"id": "a", "name": "A", "level": "unknown", "mechanism": "m"}]},
            "needs sources",
        ),
        (safety.LEXICON_FILE, {"names": {"Xanax": ["opioids"]}}, "normalised"),
        (safety.LEXICON_FILE, {"names": {"xanax": ["nope"]}}, "known interaction classes"),
        (safety.LEXICON_FILE, {"names": []}, "must map"),
    ],
)
def test_malformed_files_name_the_problem(
    monkeypatch: pytest.MonkeyPatch, path: str, document: Any, message: str
) -> None:
    real = read_yaml

    def fake(relative: str) -> Any:
        return document if relative == path else real(relative)

    monkeypatch.setattr(safety, "read_yaml", fake)
    with pytest.raises(ConfigurationError, match=message):
        safety.load_rules.__wrapped__()


def test_duplicates_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = read_yaml(safety.RULES_FILE)
    classes = read_yaml(safety.INTERACTIONS_FILE)
    twice_rules = {"rules": rules["rules"][:1] * 2}
    twice_classes = {"classes": classes["classes"][:1] * 2}
    for path, doc in ((safety.RULES_FILE, twice_rules), (safety.INTERACTIONS_FILE, twice_classes)):
        monkeypatch.setattr(
            safety, "read_yaml", lambda rel, p=path, d=doc: d if rel == p else read_yaml(rel)
        )
        with pytest.raises(ConfigurationError, match="appears twice"):
            safety.load_rules.__wrapped__()
