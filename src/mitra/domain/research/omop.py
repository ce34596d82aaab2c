"""A freeze's native tables as OMOP CDM v5.4 rows (PERSON, OBSERVATION_PERIOD, DRUG_EXPOSURE,
MEASUREMENT, OBSERVATION, CONCEPT, SOURCE_TO_CONCEPT_MAP, CDM_SOURCE, METADATA).

Mitra ships no OHDSI vocabulary, so no standard concept id is invented: LOINC codes leave as
source values with concept id 0 (map them with the Athena vocabularies, docs/research.md), and
Mitra's own things are local source concepts with ids above 2,000,000,000. Kratom is keyed on
product form and labelled alkaloid content; a 7-OH product's quantity is mg of 7-OH, never grams
of leaf. Self-screens (checklists, bands) never become CONDITION_OCCURRENCE: no such table exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, Final

from mitra.domain.research.study import Study, Tier

Row = dict[str, Any]
LOCAL_BASE: Final = 2_000_000_000
SELF_REPORT: Final = 32865  # Type Concept "Patient self-report" (see docs/research.md)
GENDER: Final = {"female": 8532, "male": 8507}
FORMS: Final = ("leaf_powder", "capsule", "extract", "tincture", "seven_oh", "other")
FORM_CONCEPTS: Final = {f: LOCAL_BASE + 1 + i for i, f in enumerate(FORMS)}
# Questionnaire totals and items are OBSERVATION: LOINC gives these codes the type "Surveys"
# (44261-6 and 75626-2 checked on loinc.org), and OHDSI's LOINC build (Vocabulary-v5.0,
# LOINC/load_stage.sql) puts survey-type LOINC codes in the Observation domain; Mitra's own
# instruments follow the same rule so one query finds every score (docs/research.md).
SURVEY_DOMAIN: Final = "Observation"
# MEASUREMENT is written empty, so the export has every CDM table a study expects: its v5.4
# columns and types (OHDSI/CommonDataModel inst/csv/OMOP_CDMv5.4_Field_Level.csv).
EMPTY_TABLE_COLUMNS: Final = {
    "measurement": (
        ("measurement_id", "int"),
        ("person_id", "int"),
        ("measurement_concept_id", "int"),
        ("measurement_date", "date"),
        ("measurement_datetime", "timestamp"),
        ("measurement_time", "str"),
        ("measurement_type_concept_id", "int"),
        ("operator_concept_id", "int"),
        ("value_as_number", "float"),
        ("value_as_concept_id", "int"),
        ("unit_concept_id", "int"),
        ("range_low", "float"),
        ("range_high", "float"),
        ("provider_id", "int"),
        ("visit_occurrence_id", "int"),
        ("visit_detail_id", "int"),
        ("measurement_source_value", "str"),
        ("measurement_source_concept_id", "int"),
        ("unit_source_value", "str"),
        ("unit_source_concept_id", "int"),
        ("value_source_value", "str"),
        ("measurement_event_id", "int"),
        ("meas_event_field_concept_id", "int"),
    ),
}
LOINC_TOTALS: Final = {"phq9": "44261-6", "gad7": "70274-6", "auditc": "75626-2"}
LOCAL_TOTALS: Final = {
    "sows": LOCAL_BASE + 101,
    "kud_dsm5": LOCAL_BASE + 102,  # a self-screen checklist count, never a condition
    "pcl5": LOCAL_BASE + 103,
    "peg": LOCAL_BASE + 104,
    "sds": LOCAL_BASE + 105,
}
RATING_CONCEPTS: Final = {
    s: LOCAL_BASE + 201 + i for i, s in enumerate(("mood", "anxiety", "pain", "sleep", "craving"))
}
DYNAMIC_BASE: Final = LOCAL_BASE + 10_000  # labelled products and items without LOINC


def _concept(cid: int, name: str, domain: str, cls: str, code: str) -> Row:
    return {
        "concept_id": cid,
        "concept_name": name[:255],
        "domain_id": domain,
        "vocabulary_id": "Mitra",
        "concept_class_id": cls,
        "standard_concept": None,
        "concept_code": code[:50],
        "valid_start_date": date(2026, 1, 1),
        "valid_end_date": date(2099, 12, 31),
        "invalid_reason": None,
    }


def _labelled_code(use: Mapping[str, Any]) -> str:
    form = use["form"]
    if use.get("labelled_mg_per_g") is not None:
        return f"kratom:{form}:mitragynine_{use['labelled_mg_per_g']:g}mg_per_g"
    if use.get("labelled_mg_per_unit") is not None:
        return (
            f"kratom:{form}:mitragynine_{use['labelled_mg_per_unit']:g}mg_per_{use['serving_unit']}"
        )
    return f"kratom:{form}"


def _quantity(use: Mapping[str, Any]) -> tuple[float | None, str]:
    if use["form"] == "seven_oh" or use.get("grams_leaf") is None and use.get("mg_7oh"):
        return use.get("mg_7oh"), "mg 7-OH"
    if use.get("grams_leaf") is not None:
        return use["grams_leaf"], "g leaf"
    return use.get("amount"), str(use.get("unit", ""))


class _Concepts:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        for form, cid in FORM_CONCEPTS.items():
            self.rows[f"kratom:{form}"] = _concept(
                cid, f"Kratom product, form {form}", "Drug", "Kratom product", f"kratom:{form}"
            )
        for instrument, cid in LOCAL_TOTALS.items():
            code = f"{instrument}:total"
            self.rows[code] = _concept(
                cid, f"{instrument} total score", SURVEY_DOMAIN, "Survey", code
            )
        for scale, cid in RATING_CONCEPTS.items():
            code = f"checkin:{scale}"
            self.rows[code] = _concept(
                cid, f"Daily {scale} rating 0-10", "Observation", "Survey", code
            )
        self.dynamic: list[tuple[str, str, str]] = []

    def local(self, code: str, name: str, domain: str, cls: str) -> int:
        if code not in self.rows:
            self.dynamic.append((code, name, domain))
            self.rows[code] = _concept(0, name, domain, cls, code)
        return int(self.rows[code]["concept_id"])

    def finish(self) -> None:
        """Dynamic concepts get ids in sorted code order (stable within a freeze only: key on
        concept_code across freezes)."""
        for offset, (code, _name, _domain) in enumerate(sorted(self.dynamic)):
            self.rows[code]["concept_id"] = DYNAMIC_BASE + offset


def _on(tier: Tier, row: Mapping[str, Any]) -> date:
    """The row's date: its (shifted or exact) day, or 1 January of its year in the aggregate
    tier, which carries no date finer than the year."""
    day = row.get("day")
    return day if isinstance(day, date) and tier is not Tier.AGGREGATE else date(row["year"], 1, 1)


def to_omop(
    study: Study, native: Mapping[str, Sequence[Row]], freeze_day: date
) -> dict[str, list[Row]]:
    """The OMOP tables of a freeze, from its native tables (see deidentify.TABLES)."""
    tier = study.tier
    concepts = _Concepts()
    ids = {
        p["person_id"]: n
        for n, p in enumerate(sorted(native["persons"], key=lambda p: p["person_id"]), 1)
    }
    out: dict[str, list[Row]] = {
        "person": [_person(p, ids[p["person_id"]], freeze_day) for p in native["persons"]],
        "drug_exposure": [],
        "measurement": [],
        "observation": [],
    }
    out["person"].sort(key=lambda r: r["person_id"])
    uses = native.get("uses", []) if tier is not Tier.AGGREGATE else []
    weekly = native.get("weekly_uses", []) if tier is Tier.AGGREGATE else []
    for use in uses:
        out["drug_exposure"].append(_drug(use, ids, concepts, _on(tier, use), 1))
    for week in weekly:
        row = {**week, "form": week["main_form"], "grams_leaf": week["grams_leaf"]}
        out["drug_exposure"].append(_drug(row, ids, concepts, _on(tier, week), 7))
    _responses(native, tier, ids, concepts, out)
    _checkins(native, tier, ids, out)
    for name in ("drug_exposure", "measurement", "observation"):
        for number, row in enumerate(out[name], 1):
            row[f"{name}_id"] = number
    concepts.finish()
    _resolve(out, concepts)
    out["observation_period"] = _periods(out)
    out["concept"] = sorted(concepts.rows.values(), key=lambda r: r["concept_id"])
    out["source_to_concept_map"] = [_map(c) for c in out["concept"]]
    out["cdm_source"] = [_cdm_source(study, freeze_day)]
    out["metadata"] = _metadata(study, freeze_day)
    return out


def _person(p: Mapping[str, Any], pid: int, freeze_day: date) -> Row:
    born = p.get("year_of_birth")
    if born is None:
        age = p["age"]
        born = freeze_day.year - (90 if age == "90+" else int(age) if age.isdigit() else 0)
    return {
        "person_id": pid,
        "gender_concept_id": GENDER.get(p["sex"], 0),
        "year_of_birth": born,
        "month_of_birth": None,
        "day_of_birth": None,
        "birth_datetime": None,
        "race_concept_id": 0,
        "ethnicity_concept_id": 0,
        "location_id": None,
        "provider_id": None,
        "care_site_id": None,
        "person_source_value": p["person_id"],
        "gender_source_value": p["sex"],
        "gender_source_concept_id": 0,
        "race_source_value": None,
        "race_source_concept_id": 0,
        "ethnicity_source_value": None,
        "ethnicity_source_concept_id": 0,
    }


def _drug(
    use: Mapping[str, Any], ids: Mapping[str, int], concepts: _Concepts, on: date, days: int
) -> Row:
    code = _labelled_code(use)
    if code not in concepts.rows:
        concepts.local(
            code,
            code.replace("kratom:", "Kratom product, ").replace(":", ", "),
            "Drug",
            "Kratom product",
        )
    quantity, unit = _quantity(use)
    at = (
        use.get("taken_at")
        if isinstance(use.get("taken_at"), datetime)
        else datetime.combine(on, time())
    )
    return {
        "person_id": ids[use["person_id"]],
        "drug_concept_id": 0,
        "drug_exposure_start_date": on,
        "drug_exposure_start_datetime": at,
        "drug_exposure_end_date": on,
        "drug_exposure_end_datetime": None,
        "verbatim_end_date": None,
        "drug_type_concept_id": SELF_REPORT,
        "stop_reason": None,
        "refills": None,
        "quantity": quantity,
        "days_supply": days,
        "sig": None,
        "route_concept_id": 0,
        "lot_number": None,
        "provider_id": None,
        "visit_occurrence_id": None,
        "visit_detail_id": None,
        "drug_source_value": code,
        "drug_source_concept_id": code,  # resolved to the concept id once ids are final
        "route_source_value": "oral",
        "dose_unit_source_value": unit,
    }


def _event(
    pid: int, on: date, code: str, concept: int | str, value: float | None, unit: str
) -> Row:
    """One OBSERVATION row (every questionnaire score and check-in rating lands there)."""
    return {
        "observation_id": 0,
        "person_id": pid,
        "observation_concept_id": 0,
        "observation_date": on,
        "observation_datetime": datetime.combine(on, time()),
        "observation_type_concept_id": SELF_REPORT,
        "value_as_number": value,
        "value_as_concept_id": None,
        "unit_concept_id": None,
        "provider_id": None,
        "visit_occurrence_id": None,
        "visit_detail_id": None,
        "observation_source_value": code,
        "observation_source_concept_id": concept,
        "unit_source_value": unit,
        "value_source_value": None if value is None else f"{value:g}",
        "value_as_string": None,
        "qualifier_concept_id": None,
        "qualifier_source_value": None,
        "observation_event_id": None,
        "obs_event_field_concept_id": None,
    }


def _responses(
    native: Mapping[str, Sequence[Row]],
    tier: Tier,
    ids: Mapping[str, int],
    concepts: _Concepts,
    out: dict[str, list[Row]],
) -> None:
    days: dict[tuple[str, int], date] = {}
    for r in native.get("responses", []):
        on = _on(tier, r)
        days[(r["person_id"], r["response_no"])] = on
        pid = ids[r["person_id"]]
        total_concept: int | str = 0
        if r["instrument"] in LOINC_TOTALS:
            code = LOINC_TOTALS[r["instrument"]]
        else:
            code = f"{r['instrument']}:total"
            cid = LOCAL_TOTALS.get(r["instrument"])
            total_concept = cid if cid is not None else code
            if cid is None:
                concepts.local(code, f"{r['instrument']} total score", SURVEY_DOMAIN, "Survey")
        out["observation"].append(_event(pid, on, code, total_concept, r["total"], "{score}"))
    for item in native.get("response_items", []):
        on = days[(item["person_id"], item["response_no"])]
        code = item["loinc"] or f"item:{item['item']}"
        concept: int | str = 0
        if not item["loinc"]:
            concepts.local(code, f"Questionnaire item {item['item']}", "Observation", "Survey")
            concept = code
        out["observation"].append(
            _event(ids[item["person_id"]], on, code, concept, item["value"], "{score}")
        )


def _checkins(
    native: Mapping[str, Sequence[Row]],
    tier: Tier,
    ids: Mapping[str, int],
    out: dict[str, list[Row]],
) -> None:
    detailed = tier is not Tier.AGGREGATE
    rows = native.get("checkins", []) if detailed else native.get("weekly_checkins", [])
    for c in rows:
        for scale, cid in RATING_CONCEPTS.items():
            value = c.get(scale) if detailed else c.get(f"{scale}_mean")
            if value is not None:
                unit = "{score}" if detailed else "{score} weekly mean"
                out["observation"].append(
                    _event(
                        ids[c["person_id"]],
                        _on(tier, c),
                        f"checkin:{scale}",
                        cid,
                        value,
                        unit,
                    )
                )


def _resolve(out: dict[str, list[Row]], concepts: _Concepts) -> None:
    for table, field in (
        ("drug_exposure", "drug_source_concept_id"),
        ("measurement", "measurement_source_concept_id"),
        ("observation", "observation_source_concept_id"),
    ):
        for row in out[table]:
            if isinstance(row[field], str):
                row[field] = concepts.rows[row[field]]["concept_id"]


def _periods(out: Mapping[str, list[Row]]) -> list[Row]:
    spans: dict[int, list[date]] = {}
    for table, field in (
        ("drug_exposure", "drug_exposure_start_date"),
        ("measurement", "measurement_date"),
        ("observation", "observation_date"),
    ):
        for row in out[table]:
            spans.setdefault(row["person_id"], []).append(row[field])
    return [
        {
            "observation_period_id": pid,
            "person_id": pid,
            "observation_period_start_date": min(spans[pid]),
            "observation_period_end_date": max(spans[pid]),
            "period_type_concept_id": SELF_REPORT,
        }
        for pid in sorted(spans)
    ]


def _map(concept: Mapping[str, Any]) -> Row:
    return {
        "source_code": concept["concept_code"],
        "source_concept_id": concept["concept_id"],
        "source_vocabulary_id": "Mitra",
        "source_code_description": concept["concept_name"],
        "target_concept_id": 0,
        "target_vocabulary_id": "None",
        "valid_start_date": concept["valid_start_date"],
        "valid_end_date": concept["valid_end_date"],
        "invalid_reason": None,
    }


def _cdm_source(study: Study, freeze_day: date) -> Row:
    return {
        "cdm_source_name": f"Mitra study {study.id}: {study.title}"[:255],
        "cdm_source_abbreviation": study.id[:25],
        "cdm_holder": "the study's researchers",
        "source_description": f"{study.purpose} De-identification tier: {study.tier.value}.",
        "source_documentation_reference": "docs/research.md",
        "cdm_etl_reference": "mitra research freeze",
        "source_release_date": freeze_day,
        "cdm_release_date": freeze_day,
        "cdm_version": "v5.4",
        "cdm_version_concept_id": 0,
        "vocabulary_version": "none shipped: LOINC as source values; local Mitra concepts",
    }


def _metadata(study: Study, freeze_day: date) -> list[Row]:
    values = {
        "deidentification_tier": study.tier.value,
        "study_id": study.id,
        "consent_version": study.consent_version,
        "ethics_reference": study.ethics_reference,
        "k_required": str(study.k),
        "min_cell": str(study.min_cell),
    }
    return [
        {
            "metadata_id": n,
            "metadata_concept_id": 0,
            "metadata_type_concept_id": 0,
            "name": name,
            "value_as_string": value,
            "value_as_concept_id": None,
            "value_as_number": None,
            "metadata_date": freeze_day,
            "metadata_datetime": None,
        }
        for n, (name, value) in enumerate(values.items(), 1)
    ]
