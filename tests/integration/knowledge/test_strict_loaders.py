"""The knowledge and safety loaders refuse fields they do not know (issue 13): a misspelt field is
a loading error naming the file, the entry and the field, never silently ignored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mitra.adapters.knowledge import evidence, safety
from mitra.errors import ConfigurationError

CHECKED = date(2026, 12, 1)
PLACE = {"code": "US-ZZ", "name": "Z", "status": "legal", "summary": "x", "sources": ["s"]}
RULE = {"id": "x.y", "severity": "info", "title": "t", "what_to_do": "w", "logic": "l"}


def _serve(monkeypatch: pytest.MonkeyPatch, module: Any, document: dict[str, Any]) -> None:
    monkeypatch.setattr(module, "read_yaml", lambda path: document)


def test_a_misspelt_seven_oh_status_fails_loading_the_legal_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = {**PLACE, "as_of": CHECKED, "seven_oh_staus": "banned"}
    _serve(monkeypatch, evidence, {"jurisdictions": [entry]})
    with pytest.raises(
        ConfigurationError,
        match=r"legal/.*: jurisdictions\[0\]\.seven_oh_staus is not a known field \(misspelt\?\)",
    ):
        evidence.load_legal()


def test_an_unknown_field_inside_a_local_rule_names_its_nested_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    town = {"name": "T", "status": "banned", "summary": "x", "sources": ["s"], "as_of": CHECKED}
    entry = {**PLACE, "as_of": CHECKED, "localities": [{**town, "efective": CHECKED}]}
    _serve(monkeypatch, evidence, {"jurisdictions": [entry]})
    with pytest.raises(ConfigurationError, match=r"localities\[0\]\.efective is not a known"):
        evidence.load_legal()


@pytest.mark.parametrize(
    ("load", "document", "where"),
    [
        (
            evidence.load_sources,
            {"sources": [{"id": "s", "title": "T", "kind": "paper", "url": "https://x", "pmd": 1}]},
            r"sources\[0\]\.pmd",
        ),
        (
            evidence.load_about,
            {
                "topics": [
                    {
                        "id": "a",
                        "title": "A",
                        "summary": "s",
                        "sources": ["s"],
                        "as_of": CHECKED,
                        "summery": "typo",
                    }
                ]
            },
            r"topics\[0\]\.summery",
        ),
        (
            evidence.load_crisis_lines,
            {
                "lines": [
                    {
                        "country": "US",
                        "name": "L",
                        "kind": "crisis",
                        "purpose": "p",
                        "hours": "24/7",
                        "sources": ["s"],
                        "as_of": CHECKED,
                        "phone": "988",
                        "sms": "988",
                    }
                ]
            },
            r"lines\[0\]\.sms",
        ),
    ],
)
def test_evidence_and_help_line_readers_refuse_unknown_fields(
    monkeypatch: pytest.MonkeyPatch, load: Any, document: dict[str, Any], where: str
) -> None:
    _serve(monkeypatch, evidence, document)
    with pytest.raises(ConfigurationError, match=where + " is not a known field"):
        load()


def test_a_misspelt_rule_field_fails_loading_the_safety_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _serve(monkeypatch, safety, {"rules": [{**RULE, "sources": ["s"], "parms": {"a": 1}}]})
    with pytest.raises(
        ConfigurationError, match=r"safety/rules.yaml: x\.y\.parms is not a known field"
    ):
        safety.load_specs({})


def test_a_misspelt_interaction_class_field_fails_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    klass = {"id": "a", "name": "A", "level": "unknown", "mechanism": "m", "sources": ["s"]}
    _serve(monkeypatch, safety, {"classes": [{**klass, "levle": "caution"}]})
    with pytest.raises(ConfigurationError, match=r"interactions.yaml: a\.levle is not a known"):
        safety.load_classes()
