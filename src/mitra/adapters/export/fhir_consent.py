"""A person's consent to a clinician as a FHIR R4 `Consent` (issue #21).

Scope `patient-privacy`, category LOINC 59284-0 (Patient Consent); `provision` permits the
clinician (`actor` role PRCP, primary information recipient) to read the shared kinds (`class`:
the FHIR resource types Mitra exports them as) in the shared period (`dataPeriod`), for the
consent's own `period`. The resource and the provision carry the security label ETH (substance
abuse information sensitivity, HL7 v3 ActCode), as do records shared under it. Validated by
fhir.resources' R4B models in tests (these elements are identical in R4 4.0.1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mitra.domain.consent import Consent, Shared, State, describe

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
ETH = {"system": ACT_CODE, "code": "ETH", "display": "substance abuse information sensitivity"}
BASE = "https://mitra.invalid/fhir"

RESOURCE_TYPES = {
    Shared.QUESTIONNAIRES: ("QuestionnaireResponse", "Observation"),
    Shared.USES: ("MedicationStatement",),
    Shared.MEDICATIONS: ("MedicationStatement",),
    Shared.ALERTS: ("Flag",),
    Shared.CHECKINS: ("Observation",),
    Shared.NOTES: ("Annotation",),
    Shared.TAPER: ("CarePlan",),
}
STATUS = {
    State.PENDING: "proposed",
    State.ACTIVE: "active",
    State.REVOKED: "inactive",
    State.EXPIRED: "inactive",
}


def consent_resource(consent: Consent, today: date) -> dict[str, Any]:
    scope = consent.scope
    start = scope.start(today)
    classes = sorted({t for kind in scope.kinds for t in RESOURCE_TYPES[kind]})
    provision: dict[str, Any] = {
        "type": "permit",
        "period": {
            "start": consent.created_at.date().isoformat(),
            "end": scope.until.isoformat(),
        },
        "action": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/consentaction",
                        "code": "access",
                    }
                ]
            }
        ],
        "securityLabel": [ETH],
        "class": [{"system": "http://hl7.org/fhir/resource-types", "code": c} for c in classes],
        "dataPeriod": {"end": today.isoformat()}
        if start is None
        else {"start": start.isoformat(), "end": today.isoformat()},
    }
    if consent.clinician_name is not None:
        provision["actor"] = [
            {
                "role": {"coding": [{"system": ROLE_CODE, "code": "PRCP"}]},
                "reference": {
                    "reference": f"{BASE}/Practitioner/{consent.clinician_account_id}",
                    "display": consent.clinician_name,
                },
            }
        ]
    return {
        "resourceType": "Consent",
        "id": f"mitra-consent-{consent.id}-v{consent.version}",
        "meta": {"versionId": str(consent.version), "security": [ETH]},
        "text": {
            "status": "generated",
            "div": '<div xmlns="http://www.w3.org/1999/xhtml">'
            + "".join(f"<p>{_escape(line)}</p>" for line in describe(scope, consent.clinician_name))
            + "</div>",
        },
        "status": STATUS[consent.state_on(today)],
        "scope": {"coding": [{"system": SCOPE_SYSTEM, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": f"{BASE}/Patient/{consent.person_account_id}"},
        "dateTime": consent.updated_at.isoformat(),
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN"}]},
        "provision": provision,
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def labelled(bundle: dict[str, Any]) -> dict[str, Any]:
    """A bundle shared under a consent: the Bundle and every resource in it carry ETH in
    `meta.security` (beside any label they had, e.g. the Patient's PSEUDED)."""

    def label(resource: dict[str, Any]) -> dict[str, Any]:
        meta = dict(resource.get("meta", {}))
        held = list(meta.get("security", []))
        meta["security"] = held + ([ETH] if ETH not in held else [])
        return {**resource, "meta": meta}

    entries = [{**e, "resource": label(e["resource"])} for e in bundle.get("entry", [])]
    return label({**bundle, "entry": entries})
