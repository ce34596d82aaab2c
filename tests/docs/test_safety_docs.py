"""docs/safety-rules.md keeps step with the rule registry: every rule id, class and level."""

from __future__ import annotations

from pathlib import Path

from mitra.adapters.knowledge.safety import load_rules
from mitra.domain.safety import InteractionLevel, Severity

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety-rules.md"


def test_every_rule_id_in_rules_yaml_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [rule_id for rule_id in load_rules().specs if f"`{rule_id}`" not in text]
    assert missing == []


def test_the_vocabularies_and_classes_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for word in [*(s.value for s in Severity), *(level.value for level in InteractionLevel)]:
        assert f"`{word}`" in text
    for klass in load_rules().classes.values():
        assert f"`{klass.id}`" in text
        assert all(source in text for source in klass.sources)
