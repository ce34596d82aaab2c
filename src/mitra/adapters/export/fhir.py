"""A FHIR R4 (4.0.1) `collection` Bundle built from the journal: plain dicts, ready for json.dumps.

What goes in (docs/export-format.md has the full mapping):
- one pseudonymous Patient (no name, no identifiers; `meta.security` PSEUDED);
- a Questionnaire per instrument version used, with a canonical `url` and `version`, each item a
  `choice` whose answer options are Mitra codings carrying the option's label and its score
  (`ordinalValue`);
- a QuestionnaireResponse per administration (`in-progress` when incomplete), answers as those
  codings;
- an Observation per complete total, `derivedFrom` its QuestionnaireResponse, coded with LOINC only
  where the instrument file holds a verified code (else Mitra's own code system);
- kratom uses and medications as MedicationStatement; adverse effects as Observations (Mitra's
  codes: no verified standard code is held for them); vitals as LOINC-coded vital-sign
  Observations (heart rate 8867-4; blood pressure panel 85354-9 with 8480-6 and 8462-4);
- each rating of a daily check-in (mood, anxiety, pain, sleep, craving) as its own `survey`
  Observation in Mitra's code system (no LOINC code exists for Mitra's own 0-10 ratings), the scale
  and its anchors stated in `code.text` and a note.
Every reference is a `urn:uuid:` fullUrl inside the bundle; the uuids are derived from the
pseudonym and the row, so the same journal gives the same bundle.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from mitra.domain.instruments import Instrument
from mitra.domain.instruments.model import Item, Number
from mitra.domain.journal import CHECKIN_LABELS, AdverseEffect, CheckIn, Medication, UseEvent, Vital
from mitra.domain.products import FORM_LABELS, Product
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.taper import Dated, EventKind, Plan, Position, State

FHIR_VERSION = "4.0.1"
BASE = "https://mitra.invalid/fhir"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SECURITY = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
SCORES_SYSTEM = f"{BASE}/CodeSystem/instrument-scores"
EFFECTS_SYSTEM = f"{BASE}/CodeSystem/adverse-effects"
SUBSTANCE_SYSTEM = f"{BASE}/CodeSystem/substances"
RATINGS_SYSTEM = f"{BASE}/CodeSystem/daily-ratings"
ANSWERS_SYSTEM = f"{BASE}/CodeSystem/answers"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
HEART_RATE = {"system": LOINC, "code": "8867-4", "display": "Heart rate"}
BP_PANEL = {
    "system": LOINC,
    "code": "85354-9",
    "display": "Blood pressure panel with all children optional",
}
SYSTOLIC = {"system": LOINC, "code": "8480-6", "display": "Systolic blood pressure"}
DIASTOLIC = {"system": LOINC, "code": "8462-4", "display": "Diastolic blood pressure"}
UCUM_UNITS = {"g": "g", "mg": "mg", "ml": "mL"}
Resource = dict[str, Any]


@dataclass(frozen=True)
class JournalData:
    """Everything the bundle is made from, read by the service in one transaction."""

    pseudonym: str
    now: datetime
    today: date
    products: Mapping[int, Product]
    uses: Sequence[UseEvent]
    medications: Sequence[Medication]
    effects: Sequence[AdverseEffect]
    vitals: Sequence[Vital]
    checkins: Sequence[CheckIn]
    responses: Sequence[QuestionnaireResponse]
    instruments: Mapping[str, Instrument]
    tapers: Sequence[tuple[Plan, Position, Sequence[Dated]]] = ()


class Ids:
    """Stable `urn:uuid:` names for the bundle's resources, derived from the pseudonym."""

    def __init__(self, pseudonym: str) -> None:
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/Patient/{pseudonym}")

    def uid(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(self.namespace, f"{kind}/{key}"))

    def ref(self, kind: str, key: object) -> dict[str, str]:
        return {"reference": f"urn:uuid:{self.uid(kind, key)}"}


def local(at: datetime, tz: str) -> str:
    """A FHIR dateTime in the zone it was recorded in, with its offset."""
    return at.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")[:64] or "1"


def canonical(instrument: Instrument) -> tuple[str, str]:
    return f"{BASE}/Questionnaire/{instrument.id}", slug(instrument.version)


def patient(ids: Ids, pseudonym: str) -> Resource:
    return {
        "resourceType": "Patient",
        "id": ids.uid("Patient", pseudonym),
        "meta": {"security": [{"system": SECURITY, "code": "PSEUDED", "display": "pseudonymized"}]},
        "active": True,
    }


def _code(value: Number) -> str:
    return f"{value:g}"


def answer_coding(item: Item, value: Number) -> dict[str, Any]:
    """An answer as a Mitra coding: one code system per item (options differ between items of
    some instruments), the code is the option's value and the display its label."""
    labels = {option.value: option.label for option in item.options}
    coding = {"system": f"{ANSWERS_SYSTEM}/{item.id}", "code": _code(value)}
    return coding | ({"display": labels[value]} if value in labels else {})


def _question(item: Item) -> Resource:
    options = [
        {
            "valueCoding": {
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
                **answer_coding(item, option.value),
            }
        }
        for option in item.options
    ]
    question: Resource = {"linkId": item.id, "text": item.text, "type": "choice"}
    if item.loinc:
        question["code"] = [{"system": LOINC, "code": item.loinc}]
    return question | {"answerOption": options}


def questionnaire(ids: Ids, instrument: Instrument) -> Resource:
    url, version = canonical(instrument)
    resource: Resource = {
        "resourceType": "Questionnaire",
        "id": ids.uid("Questionnaire", f"{url}|{version}"),
        "url": url,
        "version": version,
        "name": re.sub(r"[^A-Za-z0-9_]", "_", instrument.id.upper()),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_question(item) for item in instrument.items],
    }
    if instrument.loinc.panel:
        resource["code"] = [{"system": LOINC, "code": instrument.loinc.panel}]
    if instrument.licence:
        resource["copyright"] = instrument.licence
    return resource


def questionnaire_response(
    ids: Ids, response: QuestionnaireResponse, instrument: Instrument, subject: dict[str, str]
) -> Resource:
    url, version = canonical(instrument)
    answers = response.score.answers
    return {
        "resourceType": "QuestionnaireResponse",
        "id": ids.uid("QuestionnaireResponse", response.id),
        "questionnaire": f"{url}|{version}",
        "status": "completed" if response.score.complete else "in-progress",
        "subject": subject,
        "authored": local(response.taken_at, response.tz),
        "author": subject,
        "source": subject,
        "item": [
            {
                "linkId": item.id,
                "text": item.text,
                "answer": [{"valueCoding": answer_coding(item, value)}],
            }
            for item in instrument.items
            if (value := answers.get(item.id)) is not None
        ],
    }


def _score_code(instrument: Instrument) -> dict[str, Any]:
    name = f"{instrument.display_title} total score"
    if instrument.loinc.total:
        coding = {"system": LOINC, "code": instrument.loinc.total, "display": name}
    else:
        coding = {"system": SCORES_SYSTEM, "code": f"{instrument.id}.total", "display": name}
    return {"coding": [coding], "text": name}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": code, "display": display}]}]


def total_observation(
    ids: Ids, response: QuestionnaireResponse, instrument: Instrument, subject: dict[str, str]
) -> Resource:
    """The total of a complete response, pointing back at the response it was scored from."""
    total = response.score.total
    assert total is not None
    value: dict[str, Any] = (
        {"valueInteger": int(total)}
        if float(total).is_integer()
        else {
            "valueQuantity": {"value": total, "unit": "{score}", "system": UCUM, "code": "{score}"}
        }
    )
    resource: Resource = {
        "resourceType": "Observation",
        "id": ids.uid("Observation.total", response.id),
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _score_code(instrument),
        "subject": subject,
        "effectiveDateTime": local(response.taken_at, response.tz),
        **value,
        "derivedFrom": [ids.ref("QuestionnaireResponse", response.id)],
    }
    if response.score.band_label:
        resource["interpretation"] = [{"text": response.score.band_label}]
    return resource


def item_observations(
    ids: Ids, response: QuestionnaireResponse, instrument: Instrument, subject: dict[str, str]
) -> list[Resource]:
    """One Observation per answered item whose LOINC code the instrument file verified."""
    observations: list[Resource] = []
    for item in instrument.items:
        value = response.score.answers.get(item.id)
        if not item.loinc or value is None:
            continue
        code = {"coding": [{"system": LOINC, "code": item.loinc}], "text": item.text}
        observations.append(
            {
                "resourceType": "Observation",
                "id": ids.uid("Observation.item", f"{response.id}.{item.id}"),
                "status": "final",
                "category": _category("survey", "Survey"),
                "code": code,
                "subject": subject,
                "effectiveDateTime": local(response.taken_at, response.tz),
                **_answer_value(value),
                "derivedFrom": [ids.ref("QuestionnaireResponse", response.id)],
            }
        )
    return observations


def _answer_value(value: float | int) -> dict[str, Any]:
    if float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueQuantity": {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}}


def _dose(use: UseEvent) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": use.amount, "unit": use.unit}
    if use.unit in UCUM_UNITS:
        quantity |= {"system": UCUM, "code": UCUM_UNITS[use.unit]}
    parts = [f"{use.amount:g} {use.unit}"]
    if use.grams_leaf is not None and use.unit != "g":
        parts.append(f"= {use.grams_leaf:g} g leaf")
    if use.mg_mitragynine is not None:
        parts.append(f"≈ {use.mg_mitragynine:g} mg mitragynine (label)")
    if use.mg_7oh is not None:
        parts.append(f"≈ {use.mg_7oh:g} mg 7-OH (label)")
    return {"text": " ".join(parts), "doseAndRate": [{"doseQuantity": quantity}]}


def use_statement(ids: Ids, use: UseEvent, product: Product, subject: dict[str, str]) -> Resource:
    """One kratom use: what was taken, when, how much (as entered, and converted by the label)."""
    form = FORM_LABELS[product.form]
    resource: Resource = {
        "resourceType": "MedicationStatement",
        "id": ids.uid("MedicationStatement.use", use.id),
        "status": "completed",
        "medicationCodeableConcept": {
            "coding": [{"system": SUBSTANCE_SYSTEM, "code": f"kratom.{product.form.value}"}],
            "text": f"Kratom (Mitragyna speciosa), {form.lower()}: {product.name}",
        },
        "subject": subject,
        "effectiveDateTime": local(use.taken_at, use.tz),
        "informationSource": subject,
        "dosage": [_dose(use)],
    }
    if use.note:
        resource["note"] = [{"text": use.note}]
    return resource


def medication_statement(
    ids: Ids, med: Medication, today: date, subject: dict[str, str]
) -> Resource:
    resource: Resource = {
        "resourceType": "MedicationStatement",
        "id": ids.uid("MedicationStatement.medication", med.id),
        "status": "active" if med.is_current(today) else "completed",
        "medicationCodeableConcept": {"text": med.name},
        "subject": subject,
        "informationSource": subject,
    }
    period = {
        key: day.isoformat()
        for key, day in (("start", med.started_on), ("end", med.stopped_on))
        if day is not None
    }
    if period:
        resource["effectivePeriod"] = period
    dosage: dict[str, Any] = {"asNeededBoolean": med.schedule.value == "as_needed"}
    if med.dose_text:
        dosage["text"] = med.dose_text
    resource["dosage"] = [dosage]
    if med.note:
        resource["note"] = [{"text": med.note}]
    return resource


def effect_observation(ids: Ids, effect: AdverseEffect, subject: dict[str, str]) -> Resource:
    """An adverse effect and its severity (0-10, self-rated) as an Observation."""
    resource: Resource = {
        "resourceType": "Observation",
        "id": ids.uid("Observation.effect", effect.id),
        "status": "final",
        "code": {
            "coding": [{"system": EFFECTS_SYSTEM, "code": effect.effect.value}],
            "text": f"Adverse effect: {effect.label} (self-rated severity 0-10)",
        },
        "subject": subject,
        "effectiveDateTime": local(effect.occurred_at, effect.tz),
        "valueInteger": effect.severity,
    }
    if effect.note:
        resource["note"] = [{"text": effect.note}]
    return resource


def checkin_observations(ids: Ids, checkin: CheckIn, subject: dict[str, str]) -> list[Resource]:
    """One `survey` Observation per rating given in a daily check-in, its 0-10 scale stated."""
    found: list[Resource] = []
    for name, value in checkin.ratings().items():
        if value is None:
            continue
        label = CHECKIN_LABELS[name]
        notes = [{"text": f"Daily self-rating on Mitra's own 0-10 scale: {label}."}]
        if checkin.note:
            notes.append({"text": checkin.note})
        found.append(
            {
                "resourceType": "Observation",
                "id": ids.uid(f"Observation.checkin.{name}", checkin.id),
                "status": "final",
                "category": _category("survey", "Survey"),
                "code": {
                    "coding": [{"system": RATINGS_SYSTEM, "code": name, "display": label}],
                    "text": label,
                },
                "subject": subject,
                "effectiveDateTime": local(checkin.recorded_at, checkin.tz),
                "valueInteger": value,
                "note": notes,
            }
        )
    return found


def _mmhg(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}


def vital_observations(ids: Ids, vital: Vital, subject: dict[str, str]) -> list[Resource]:
    """Heart rate and blood pressure, each its own LOINC-coded vital-signs Observation."""
    common = {
        "status": "final",
        "category": _category("vital-signs", "Vital Signs"),
        "subject": subject,
        "effectiveDateTime": local(vital.measured_at, vital.tz),
    }
    found: list[Resource] = []
    if vital.heart_rate is not None:
        found.append(
            {
                "resourceType": "Observation",
                "id": ids.uid("Observation.heart_rate", vital.id),
                **common,
                "code": {"coding": [HEART_RATE], "text": "Heart rate"},
                "valueQuantity": {
                    "value": vital.heart_rate,
                    "unit": "beats/minute",
                    "system": UCUM,
                    "code": "/min",
                },
            }
        )
    if vital.systolic is not None and vital.diastolic is not None:
        found.append(
            {
                "resourceType": "Observation",
                "id": ids.uid("Observation.blood_pressure", vital.id),
                **common,
                "code": {"coding": [BP_PANEL], "text": "Blood pressure"},
                "component": [
                    {"code": {"coding": [SYSTOLIC]}, "valueQuantity": _mmhg(vital.systolic)},
                    {"code": {"coding": [DIASTOLIC]}, "valueQuantity": _mmhg(vital.diastolic)},
                ],
            }
        )
    return found


def bundle(data: JournalData) -> Resource:
    """The whole collection Bundle for `data`."""
    ids = Ids(data.pseudonym)
    subject = ids.ref("Patient", data.pseudonym)
    resources = [patient(ids, data.pseudonym)]
    used = {r.instrument_id for r in data.responses if r.instrument_id in data.instruments}
    resources += [questionnaire(ids, data.instruments[i]) for i in sorted(used)]
    for response in data.responses:
        instrument = data.instruments.get(response.instrument_id)
        if instrument is None:
            continue
        resources.append(questionnaire_response(ids, response, instrument, subject))
        if response.score.complete and response.score.total is not None:
            resources.append(total_observation(ids, response, instrument, subject))
            resources += item_observations(ids, response, instrument, subject)
    resources += [use_statement(ids, u, data.products[u.product_id], subject) for u in data.uses]
    resources += [medication_statement(ids, m, data.today, subject) for m in data.medications]
    resources += [effect_observation(ids, e, subject) for e in data.effects]
    for vital in data.vitals:
        resources += vital_observations(ids, vital, subject)
    for checkin in data.checkins:
        resources += checkin_observations(ids, checkin, subject)
    for plan, where, dated in data.tapers:
        resources += taper_care_plan(ids, plan, where, dated, subject)
    return {
        "resourceType": "Bundle",
        "id": ids.uid("Bundle", data.now.isoformat()),
        "type": "collection",
        "timestamp": data.now.isoformat(timespec="seconds"),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


GOAL_STATUS = {
    State.DRAFT: "proposed",
    State.ACTIVE: "active",
    State.PAUSED: "on-hold",
    State.COMPLETED: "completed",
    State.STOPPED: "cancelled",
}
CARE_PLAN_STATUS = {
    State.DRAFT: "draft",
    State.ACTIVE: "active",
    State.PAUSED: "on-hold",
    State.COMPLETED: "completed",
    State.STOPPED: "revoked",
}
MAX_ACTIVITIES = 60


def _grams(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "g", "system": UCUM, "code": "g"}


def taper_care_plan(
    ids: Ids, plan: Plan, where: Position, dated: Sequence[Dated], subject: dict[str, str]
) -> list[Resource]:
    """A taper plan as a `Goal` (none a day, by the last step's date) and a `CarePlan` whose
    activities are the steps from the current one on; holds and the clinician's agreement are
    notes. The amounts are the person's own plan, never a recommendation."""
    assert plan.id is not None
    design = plan.design
    last = dated[-1].starts if dated else None
    goal: Resource = {
        "resourceType": "Goal",
        "id": ids.uid("Goal", plan.id),
        "lifecycleStatus": GOAL_STATUS[where.state],
        "description": {
            "text": f"Reduce kratom leaf from {design.baseline_grams:g} g a day "
            f"({design.baseline_doses:g} doses) to none: {design.pace.name}"
        },
        "subject": subject,
        "target": [
            {
                "measure": {"text": "Kratom leaf per day"},
                "detailQuantity": _grams(0.0),
                **({"dueDate": last.isoformat()} if last else {}),
            }
        ],
    }
    activities = []
    for d in [d for d in dated if d.starts is not None][:MAX_ACTIVITIES]:
        assert d.starts is not None
        activities.append(
            {
                "detail": {
                    "status": "in-progress" if d.step.index == where.index else "scheduled",
                    "description": f"{d.step.grams:g} g of leaf a day in {d.step.doses} dose(s)",
                    "scheduledString": f"from {d.starts.isoformat()}",
                    "dailyAmount": _grams(d.step.grams),
                }
            }
        )
    notes = [
        {"time": local(e.at, plan.tz), "text": f"Held by {e.by.value}: {e.why}"}
        for e in where.events
        if e.kind is EventKind.HOLD
    ]
    if where.agreed is not None and where.agreed.agreed_on is not None:
        notes.append(
            {
                "text": f"Agreed with clinician {where.agreed.clinician} on "
                f"{where.agreed.agreed_on.isoformat()}"
            }
        )
    care_plan: Resource = {
        "resourceType": "CarePlan",
        "id": ids.uid("CarePlan", plan.id),
        "status": CARE_PLAN_STATUS[where.state],
        "intent": "plan",
        "title": "Kratom taper plan",
        "description": f"{design.pace.name}; steps rounded to {design.measure.unit:g} g"
        f"{' capsules' if design.measure.capsules else ''}; baseline from the person's own log "
        f"{plan.baseline.first.isoformat()} to {plan.baseline.last.isoformat()}.",
        "subject": subject,
        "created": local(plan.created_at, plan.tz),
        "goal": [ids.ref("Goal", plan.id)],
        "activity": activities,
    }
    if where.since is not None:
        care_plan["period"] = {"start": where.since.isoformat()}
    if notes:
        care_plan["note"] = notes
    return [goal, care_plan]
