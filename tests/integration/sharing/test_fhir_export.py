"""The FHIR R4 bundle: every resource validated by an independent model library (fhir.resources'
R4B models; the elements used here are identical in R4 4.0.1, see docs/export-format.md), plus
Mitra's own checks: references resolve inside the bundle, LOINC codes are those the instrument
files verified, incomplete responses are in-progress with no total."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from tests.integration.sharing.seed import seed

from mitra.adapters.knowledge.instruments import load_instruments
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.services import fhir
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo

VITAL_CODES = {"8867-4", "85354-9", "8480-6", "8462-4"}


@pytest.fixture
def bundle(mitra: Mitra) -> dict[str, Any]:
    seed(mitra, days=10)
    return fhir.bundle(mitra)


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [ref for child in value.values() for ref in references(child)]
    if isinstance(value, list):
        return [ref for child in value for ref in references(child)]
    return []


def loinc_codes(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["code"]] if value.get("system") == "http://loinc.org" else []
        return own + [code for child in value.values() for code in loinc_codes(child)]
    if isinstance(value, list):
        return [code for child in value for code in loinc_codes(child)]
    return []


def test_every_resource_validates_against_the_r4b_models(bundle: dict[str, Any]) -> None:
    get_fhir_model_class("Bundle").model_validate(bundle)
    for resource in resources(bundle):
        model = get_fhir_model_class(resource["resourceType"])
        parsed = model.model_validate(resource)
        assert parsed.model_dump(mode="json")["id"] == resource["id"]
    kinds = {r["resourceType"] for r in resources(bundle)}
    assert kinds == {
        "Patient",
        "Questionnaire",
        "QuestionnaireResponse",
        "Observation",
        "MedicationStatement",
    }
    assert bundle["type"] == "collection"
    statuses = {(r["resourceType"], r["status"]) for r in resources(bundle) if "status" in r}
    assert statuses <= ALLOWED_STATUSES  # code values the models do not check


ALLOWED_STATUSES = {
    ("Questionnaire", "active"),
    ("QuestionnaireResponse", "completed"),
    ("QuestionnaireResponse", "in-progress"),
    ("Observation", "final"),
    ("MedicationStatement", "active"),
    ("MedicationStatement", "completed"),
}


def test_every_reference_resolves_inside_the_bundle(bundle: dict[str, Any]) -> None:
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    refs = references(resources(bundle))
    assert refs and set(refs) <= full_urls
    canonicals = {f"{q['url']}|{q['version']}" for q in resources(bundle, "Questionnaire")}
    assert {qr["questionnaire"] for qr in resources(bundle, "QuestionnaireResponse")} == canonicals


def test_loinc_codes_are_only_those_the_instrument_files_verified(bundle: dict[str, Any]) -> None:
    verified = set(VITAL_CODES)
    for instrument in load_instruments().values():
        verified |= {c for c in (instrument.loinc.panel, instrument.loinc.total) if c}
        verified |= {item.loinc for item in instrument.items if item.loinc}
    used = set(loinc_codes(resources(bundle)))
    assert used <= verified
    assert {"44261-6", "44249-1", "8867-4"} <= used
    codes = [o["code"]["coding"][0]["code"] for o in resources(bundle, "Observation")]
    assert codes.count("44261-6") == 2  # one PHQ-9 total per complete administration
    assert codes.count("44260-8") == 2  # and its item 9, whose code the file verified


def test_an_incomplete_response_is_in_progress_with_no_total(bundle: dict[str, Any]) -> None:
    by_status = {qr["status"]: qr for qr in resources(bundle, "QuestionnaireResponse")}
    partial = by_status["in-progress"]
    assert partial["questionnaire"].startswith("https://mitra.invalid/fhir/Questionnaire/gad7|")
    assert len(partial["item"]) == 5
    derived = [
        ref["reference"]
        for obs in resources(bundle, "Observation")
        for ref in obs.get("derivedFrom", [])
    ]
    assert f"urn:uuid:{partial['id']}" not in derived
    assert len(derived) == 2 + 2 * 9  # two complete PHQ-9s: a total and nine coded items each


def test_totals_carry_value_band_and_point_back_at_their_response(bundle: dict[str, Any]) -> None:
    first = next(o for o in resources(bundle, "Observation") if "derivedFrom" in o)
    assert first["valueInteger"] == 8
    assert first["interpretation"] == [{"text": "Mild"}]
    assert first["category"][0]["coding"][0]["code"] == "survey"


def test_answered_items_with_verified_loinc_codes_become_observations(
    bundle: dict[str, Any],
) -> None:
    item9 = [
        o for o in resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "44260-8"
    ]
    assert len(item9) == 2
    assert [o["valueInteger"] for o in item9] == [0, 0]
    assert item9[0]["derivedFrom"][0]["reference"].startswith("urn:uuid:")


def test_the_patient_is_a_stable_pseudonym(mitra: Mitra, bundle: dict[str, Any]) -> None:
    [patient] = resources(bundle, "Patient")
    assert patient["meta"]["security"][0]["code"] == "PSEUDED"
    assert set(patient) == {"resourceType", "id", "meta", "active"}
    again = fhir.bundle(mitra)
    assert resources(again, "Patient")[0]["id"] == patient["id"]


def test_vitals_use_the_standard_vital_sign_codes(bundle: dict[str, Any]) -> None:
    pressures = [
        o for o in resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "85354-9"
    ]
    assert pressures
    codes = [c["code"]["coding"][0]["code"] for c in pressures[0]["component"]]
    assert codes == ["8480-6", "8462-4"]
    assert pressures[0]["component"][0]["valueQuantity"]["code"] == "mm[Hg]"


def test_kratom_uses_and_medications_are_medication_statements(bundle: dict[str, Any]) -> None:
    statements = resources(bundle, "MedicationStatement")
    kratom = [s for s in statements if s["medicationCodeableConcept"]["text"].startswith("Kratom")]
    assert kratom and all(s["status"] == "completed" for s in kratom)
    assert kratom[0]["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] > 0
    assert len(statements) > len(kratom)


def test_the_cli_writes_the_bundle(mitra: Mitra, cli: Any, tmp_path: Path) -> None:
    seed(mitra, days=2)
    result = cli("export", "fhir", "-o", str(tmp_path / "bundle.json"))
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))
    assert written["resourceType"] == "Bundle"
    assert "Patient" in result.stdout


RATINGS = "https://mitra.invalid/fhir/CodeSystem/daily-ratings"


def system_of(resource: dict[str, Any]) -> str:
    codeable = resource.get("code") or resource.get("medicationCodeableConcept") or {}
    codings = codeable.get("coding") or [{}]
    return str(codings[0].get("system", ""))


def test_a_checkin_rating_is_a_survey_observation_with_its_scale_stated(
    bundle: dict[str, Any],
) -> None:
    ratings = [o for o in resources(bundle, "Observation") if system_of(o) == RATINGS]
    noted = [o for o in ratings if len(o["note"]) == 2]
    assert len(noted) == 1  # the seeded check-in with a note gave only a mood rating
    [mood] = noted
    assert mood["code"]["coding"][0]["code"] == "mood"
    assert mood["code"]["text"] == "Mood (0 very low – 10 very good)"
    assert mood["valueInteger"] == 6
    assert mood["category"][0]["coding"][0]["code"] == "survey"
    assert mood["note"] == [
        {"text": "Daily self-rating on Mitra's own 0-10 scale: Mood (0 very low – 10 very good)."},
        {"text": 'Ünïcødé, "quoted"\nline'},
    ]
    codes = Counter(o["code"]["coding"][0]["code"] for o in ratings)
    assert set(codes) == {"mood", "anxiety", "pain", "sleep", "craving"}
    assert codes["mood"] == codes["anxiety"] + 1


def test_questionnaire_items_carry_their_answer_options_and_responses_use_them(
    bundle: dict[str, Any],
) -> None:
    phq9 = next(q for q in resources(bundle, "Questionnaire") if q["name"] == "PHQ9")
    assert phq9["code"] == [{"system": "http://loinc.org", "code": "44249-1"}]
    item9 = phq9["item"][8]
    assert item9["linkId"] == "phq9.q9"
    assert item9["code"] == [{"system": "http://loinc.org", "code": "44260-8"}]
    assert item9["type"] == "choice"
    options = [o["valueCoding"] for o in item9["answerOption"]]
    assert [(o["code"], o["display"]) for o in options] == [
        ("0", "Not at all"),
        ("1", "Several days"),
        ("2", "More than half the days"),
        ("3", "Nearly every day"),
    ]
    assert options[3]["extension"] == [
        {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 3}
    ]
    assert {o["system"] for o in options} == {
        "https://mitra.invalid/fhir/CodeSystem/answers/phq9.q9"
    }
    offered = {
        (q["url"], item["linkId"]): [
            {k: v for k, v in option["valueCoding"].items() if k != "extension"}
            for option in item["answerOption"]
        ]
        for q in resources(bundle, "Questionnaire")
        for item in q["item"]
    }
    answered = 0
    for response in resources(bundle, "QuestionnaireResponse"):
        url = response["questionnaire"].split("|")[0]
        for item in response["item"]:
            assert item["answer"][0]["valueCoding"] in offered[(url, item["linkId"])]
            answered += 1
    assert answered == 9 + 9 + 5


def journal_counts(mitra: Mitra) -> dict[str, int]:
    with mitra.store.read() as conn:
        vitals = repo.vitals.list(conn)
        return {
            "uses": repo.uses.count(conn),
            "medications": repo.medications.count(conn),
            "ratings": sum(
                value is not None
                for c in repo.checkins.list(conn)
                for value in c.ratings().values()
            ),
            "responses": responses.count(conn),
            "effects": repo.effects.count(conn),
            "heart rates": sum(v.heart_rate is not None for v in vitals),
            "blood pressures": sum(v.systolic is not None for v in vitals),
        }


def bundle_counts(bundle: dict[str, Any]) -> dict[str, int]:
    def systems(kind: str, system: str) -> int:
        return sum(1 for r in resources(bundle, kind) if system_of(r) == system)

    codes = Counter(
        o["code"]["coding"][0]["code"] for o in resources(bundle, "Observation") if "code" in o
    )
    base = "https://mitra.invalid/fhir/CodeSystem"
    return {
        "uses": systems("MedicationStatement", f"{base}/substances"),
        "medications": systems("MedicationStatement", ""),
        "ratings": systems("Observation", RATINGS),
        "responses": len(resources(bundle, "QuestionnaireResponse")),
        "effects": systems("Observation", f"{base}/adverse-effects"),
        "heart rates": codes["8867-4"],
        "blood pressures": codes["85354-9"],
    }


def test_every_entry_of_a_demo_journal_is_in_the_bundle_and_it_validates(mitra: Mitra) -> None:
    seed_demo(mitra, days=120, seed=2)
    document = fhir.bundle(mitra)
    counts = journal_counts(mitra)
    assert bundle_counts(document) == counts
    assert counts["responses"] == 22
    assert counts["ratings"] == 5 * len(list_checkins(mitra))
    assert min(counts.values()) >= 1
    get_fhir_model_class("Bundle").model_validate(document)
    for resource in resources(document):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    kinds = Counter(r["resourceType"] for r in resources(document))
    assert kinds["Questionnaire"] == 4  # PHQ-9, GAD-7, SOWS, the kratom-use checklist


def list_checkins(mitra: Mitra) -> list[Any]:
    with mitra.store.read() as conn:
        return repo.checkins.list(conn)
