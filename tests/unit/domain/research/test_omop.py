"""OMOP rows for a hand-made freeze: local kratom concepts above 2,000,000,000, LOINC totals in
MEASUREMENT, items and self-screens in OBSERVATION, never a condition."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tests.studies import declaration

from mitra.domain.research.omop import LOCAL_BASE, SELF_REPORT, to_omop
from mitra.domain.research.study import study_from_mapping

DAY = date(2026, 3, 2)
NATIVE: dict[str, list[dict[str, Any]]] = {
    "persons": [
        {"person_id": "b", "age": "46", "sex": "female", "state": "US-FL", "year_of_birth": 1980},
        {"person_id": "a", "age": "90+", "sex": "other", "state": "GB", "year_of_birth": None},
    ],
    "uses": [
        {
            "person_id": "b",
            "day": DAY,
            "taken_at": datetime(2026, 3, 2, 8),
            "form": "leaf_powder",
            "amount": 4.0,
            "unit": "g",
            "grams_leaf": 4.0,
            "mg_mitragynine": 60.0,
            "mg_7oh": None,
            "labelled_mg_per_g": 15.0,
            "labelled_mg_per_unit": None,
            "serving_unit": None,
        },
        {
            "person_id": "a",
            "day": DAY,
            "taken_at": datetime(2026, 3, 2, 9),
            "form": "seven_oh",
            "amount": 1.0,
            "unit": "tablet",
            "grams_leaf": None,
            "mg_mitragynine": None,
            "mg_7oh": 10.0,
            "labelled_mg_per_g": None,
            "labelled_mg_per_unit": 30.0,
            "serving_unit": "tablet",
        },
        {
            "person_id": "a",
            "day": DAY,
            "taken_at": datetime(2026, 3, 2, 9),
            "form": "capsule",
            "amount": 2.0,
            "unit": "capsule",
            "grams_leaf": None,
            "mg_mitragynine": None,
            "mg_7oh": None,
            "labelled_mg_per_g": None,
            "labelled_mg_per_unit": None,
            "serving_unit": None,
        },
    ],
    "responses": [
        {
            "person_id": "b",
            "response_no": 1,
            "instrument": "phq9",
            "total": 7.0,
            "complete": True,
            "year": 2026,
            "week": 0,
            "day": DAY,
        },
        {
            "person_id": "b",
            "response_no": 2,
            "instrument": "kud_dsm5",
            "total": 3.0,
            "complete": True,
            "year": 2026,
            "week": 0,
            "day": DAY,
        },
        {
            "person_id": "b",
            "response_no": 3,
            "instrument": "new_scale",
            "total": 1.0,
            "complete": True,
            "year": 2026,
            "week": 0,
            "day": DAY,
        },
    ],
    "response_items": [
        {"person_id": "b", "response_no": 1, "item": "phq9.q1", "loinc": "44250-9", "value": 1.0},
        {"person_id": "b", "response_no": 2, "item": "kud.q1", "loinc": None, "value": 1.0},
    ],
    "checkins": [
        {
            "person_id": "a",
            "day": DAY,
            "week": 0,
            "mood": 6,
            "anxiety": None,
            "pain": None,
            "sleep": None,
            "craving": None,
        },
    ],
}


def test_registered_freeze_as_omop_tables() -> None:
    study = study_from_mapping(declaration())
    out = to_omop(study, NATIVE, date(2026, 11, 25))
    assert "condition_occurrence" not in out
    people = {p["person_source_value"]: p for p in out["person"]}
    assert (people["a"]["person_id"], people["a"]["year_of_birth"]) == (1, 1936)
    assert (people["b"]["gender_concept_id"], people["a"]["gender_concept_id"]) == (8532, 0)
    drugs = out["drug_exposure"]
    assert [(d["quantity"], d["dose_unit_source_value"]) for d in drugs] == [
        (4.0, "g leaf"),
        (10.0, "mg 7-OH"),
        (2.0, "capsule"),
    ]
    assert [d["drug_source_value"] for d in drugs] == [
        "kratom:leaf_powder:mitragynine_15mg_per_g",
        "kratom:seven_oh:mitragynine_30mg_per_tablet",
        "kratom:capsule",
    ]
    assert all(d["drug_source_concept_id"] > LOCAL_BASE for d in drugs)
    assert drugs[2]["drug_source_concept_id"] == LOCAL_BASE + 2
    assert out["measurement"] == []  # LOINC survey scores are Observation in OHDSI's build
    observed = [(o["observation_source_value"], o["value_as_number"]) for o in out["observation"]]
    assert observed == [
        ("44261-6", 7.0),
        ("kud_dsm5:total", 3.0),
        ("new_scale:total", 1.0),
        ("44250-9", 1.0),
        ("item:kud.q1", 1.0),
        ("checkin:mood", 6),
    ]
    assert out["observation"][0]["observation_source_concept_id"] == 0
    domains = {c["concept_code"]: c["domain_id"] for c in out["concept"]}
    assert (domains["sows:total"], domains["new_scale:total"]) == ("Observation", "Observation")
    assert out["observation"][1]["observation_source_concept_id"] == LOCAL_BASE + 102
    assert [o["observation_id"] for o in out["observation"]] == [1, 2, 3, 4, 5, 6]
    assert out["observation_period"][0]["period_type_concept_id"] == SELF_REPORT
    codes = {c["concept_code"]: c["concept_id"] for c in out["concept"]}
    assert (codes["item:kud.q1"], codes["new_scale:total"]) == (
        LOCAL_BASE + 10_000,
        LOCAL_BASE + 10_003,
    )
    assert len(out["source_to_concept_map"]) == len(out["concept"])
    assert out["cdm_source"][0]["cdm_version"] == "v5.4"
    assert {m["name"]: m["value_as_string"] for m in out["metadata"]}["deidentification_tier"] == (
        "registered"
    )


def test_aggregate_freeze_dates_weekly_rows_on_the_first_of_january() -> None:
    study = study_from_mapping(declaration(tier="aggregate"))
    native: dict[str, list[dict[str, Any]]] = {
        "persons": [
            {"person_id": "a", "age": "46", "sex": "male", "state": "GB"},
            {"person_id": "c", "age": "unknown", "sex": "male", "state": "GB"},
        ],
        "weekly_uses": [
            {
                "person_id": "a",
                "year": 2026,
                "week": 3,
                "use_days": 2,
                "doses": 3,
                "grams_leaf": 9.0,
                "mg_mitragynine": None,
                "mg_7oh": None,
                "seven_oh_doses": 0,
                "main_form": "leaf_powder",
            }
        ],
        "responses": [
            {
                "person_id": "a",
                "response_no": 1,
                "instrument": "sows",
                "total": 2.0,
                "complete": True,
                "year": 2026,
                "week": 3,
            }
        ],
        "weekly_checkins": [
            {
                "person_id": "a",
                "year": 2026,
                "week": 3,
                "checkins": 2,
                "mood_mean": 5.5,
                "anxiety_mean": None,
                "pain_mean": None,
                "sleep_mean": None,
                "craving_mean": None,
            }
        ],
    }
    out = to_omop(study, native, date(2026, 11, 25))
    drug = out["drug_exposure"][0]
    assert (drug["drug_exposure_start_date"], drug["days_supply"], drug["quantity"]) == (
        date(2026, 1, 1),
        7,
        9.0,
    )
    assert out["measurement"] == []
    assert out["observation"][0]["observation_source_concept_id"] == LOCAL_BASE + 101
    assert out["observation"][1]["unit_source_value"] == "{score} weekly mean"
    assert [p["year_of_birth"] for p in out["person"]] == [1980, 2026]
