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
    ],
)
def test_evidence_readers_refuse_unknown_fields(
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


US: dict[str, Any] = {
    "country": "US",
    "how": "Over the counter.",
    "sources": ["t"],
    "as_of": CHECKED,
}
NALOXONE: dict[str, Any] = {
    "what": "Naloxone reverses opioid overdose.",
    "sources": ["s"],
    "elsewhere": "Ask a pharmacist.",
    "rules": ["overdose.signs"],
    "countries": [US],
}


def test_the_shipped_naloxone_advice_names_known_rules_and_us_access() -> None:
    advice = safety.load_rules().naloxone
    assert advice is not None
    assert "overdose.signs" in advice.rules and "interaction.opioids" in advice.rules
    text, sources = advice.for_country("US")
    assert "without a prescription" in text and sources[-1] == "fda-narcan-otc-2023"
    assert advice.for_country("FR")[0].endswith(
        "Ask a pharmacist where you live how to get naloxone, and keep it where the people around "
        "you can find it."
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rulez": []}, r"rulez is not a known field"),
        ({"rules": ["overdose.sings"]}, r"rules\.overdose\.sings is not a rule in rules.yaml"),
        ({"sources": []}, r"needs sources"),
        ({"countries": "US"}, r"countries must be a list of mappings"),
        ({"countries": [{**US, "country": "US-CA"}]}, r"country code"),
        ({"countries": [{**US, "as_of": "soon"}]}, r"as_of must be a date"),
        ({"countries": [{**US, "sources": []}]}, r"US needs sources"),
        ({"countries": [{**US, "hwo": "x"}]}, r"hwo is not a known field"),
    ],
)
def test_a_malformed_naloxone_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], message: str
) -> None:
    specs = safety.load_rules().specs
    _serve(monkeypatch, safety, {**NALOXONE, **change})
    with pytest.raises(ConfigurationError, match=message):
        safety.load_naloxone(specs)


def test_a_naloxone_file_that_is_not_a_mapping_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "read_yaml", lambda path: ["what"])
    with pytest.raises(ConfigurationError, match="naloxone.yaml: top level must be a mapping"):
        safety.load_naloxone({})


DRINKS: dict[str, Any] = {
    "as_of": CHECKED,
    "instruments": ["auditc"],
    "fallback": {"text": "Countries differ.", "sources": ["niaaa-rethinking-drinking"]},
    "countries": [],
}
US_DRINK: dict[str, Any] = {
    "country": "US",
    "where": "the United States",
    "grams": 14,
    "name": "standard drink",
    "sources": ["niaaa-rethinking-drinking"],
}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {**DRINKS, "countries": [{**US_DRINK, "gramms": 14}]},
            r"countries\[0\]\.gramms is not a known",
        ),
        (
            {**DRINKS, "fallback": {**DRINKS["fallback"], "txt": "x"}},
            r"file\.fallback\.txt is not a known",
        ),
        ({**DRINKS, "countries": [US_DRINK, US_DRINK]}, r"file\.countries US is listed twice"),
        (
            {**DRINKS, "countries": [{**US_DRINK, "sources": ["nowhere"]}]},
            r"'nowhere' is not in any",
        ),
        ({**DRINKS, "countries": [{**US_DRINK, "grams": "14 g"}]}, r"grams must be a number"),
    ],
)
def test_the_standard_drinks_loader_refuses_what_it_cannot_use(
    monkeypatch: pytest.MonkeyPatch, document: dict[str, Any], message: str
) -> None:
    from mitra.adapters.knowledge import standard_drinks

    standard_drinks.load_standard_drinks.cache_clear()
    _serve(monkeypatch, standard_drinks, document)
    try:
        with pytest.raises(
            ConfigurationError, match=rf"measures/standard_drinks\.yaml: .*{message}"
        ):
            standard_drinks.load_standard_drinks()
    finally:
        standard_drinks.load_standard_drinks.cache_clear()
