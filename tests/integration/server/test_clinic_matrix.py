"""Issue #21's authorization matrix over every route of the server-mode app: each persona (ana
shares, ben shares nothing, lee is ana's clinician, max another clinician, kim a clinic admin)
x each consent state (none, active, out of scope, revoked, expired). Ana's journal holds
markers; a response showing one to someone other than ana is a grant, and the only grants are
the consented ones. And every clinician route that reads a person's data writes one audit event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.integration.server.clinic_people import People, share
from tests.integration.server.test_clinic_pages import csrf, sign_in, world  # noqa: F401
from tests.integration.server.test_server_mode import _routes

from mitra.interfaces.web.app import create_app
from mitra.services import audit, consent

NAMES = ("ana", "ben", "lee", "kim", "max")
NOTE = "Marker note only ana may read"
PRODUCT = "Marker Kratom Ana"
PATIENT = "/clinic/patients/{consent_id}"
SHARED = ["questionnaires", "uses", "checkins", "alerts", "taper", "medications"]  # no notes
# GET routes that only render a file or refuse to start work without input; nothing of a
# journal is in them, or they stream a binary (PDF, zip) a marker cannot be read in.
BINARY = ("/report/download", "/export/", "/backup")


def _states(who: People) -> dict[str, int]:
    base = who.base
    active = share(base, who.ana, who.lee, SHARED).id
    scoped = share(base, who.ana, who.lee, ["medications"]).id
    revoked = share(base, who.ana, who.lee, SHARED).id
    consent.revoke(base, who.ana, revoked)
    expired = share(base, who.ana, who.lee, SHARED, until=base.now().date()).id
    return {
        "none": 10**6,  # an id no consent has
        "active": active,
        "out of scope": scoped,
        "revoked": revoked,
        "expired": expired,
    }


def _fill(path: str, consent_id: int) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "consent_id":
            return str(consent_id)
        return "1" if name.endswith("id") else "phq9" if name == "instrument_id" else "checkins"

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def _plant(ana: TestClient) -> None:
    product = ana.post("/api/v1/products", json={"name": PRODUCT, "form": "capsule"}).json()
    ana.post("/api/v1/uses", json={"product_id": product["id"], "amount": 2, "unit": "capsule"})
    ana.post("/api/v1/checkins", json={"mood": 4, "note": NOTE})


def test_every_get_route_by_role_and_consent_state_grants_only_the_consented(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    base_app, who = world
    clients = {name: sign_in(base_app, name) for name in NAMES}
    _plant(clients["ana"])
    ids = _states(who)
    # the day after the expired consent's last day: it no longer grants
    later = replace(who.base, clock=lambda: who.base.now() + timedelta(days=1))
    app = create_app(who.base.settings, later)
    clients = {name: sign_in(app, name) for name in NAMES}
    routes = [p for m, p in _routes(app) if m == "GET" and not p.startswith(BINARY)]
    assert PATIENT in routes and len(routes) > 50
    grants: set[tuple[str, str, str]] = set()
    statuses: dict[tuple[str, str, str], int] = {}
    for path in routes:
        states = ids if "{consent_id}" in path else {"any": ids["active"]}
        for state, consent_id in states.items():
            for name, client in clients.items():
                answer = client.get(_fill(path, consent_id))
                statuses[(name, state, path)] = answer.status_code
                if PRODUCT in answer.text or NOTE in answer.text:
                    grants.add((name, state, path))
                assert NOTE not in answer.text or name == "ana", (name, state, path)
    others = {g for g in grants if g[0] != "ana"}
    assert others == {
        ("lee", "active", PATIENT + "/report"),
        ("lee", "active", PATIENT + "/fhir"),
    }
    assert ("ana", "any", "/history") in grants  # the markers are there to be found
    for path in (PATIENT, PATIENT + "/report", PATIENT + "/fhir"):
        seen = {(n, s): statuses[(n, s, path)] for n in NAMES for s in ids}
        allowed = {k for k, v in seen.items() if v == 200}
        assert allowed == {("lee", "active"), ("lee", "out of scope")}, path
        assert {k for k, v in seen.items() if v == 404} == set(seen) - allowed, path
    fhir_of_consent = "/sharing/clinicians/{consent_id}/fhir"
    assert {(n, s) for n in NAMES for s in ids if statuses[(n, s, fhir_of_consent)] == 200} == {
        ("ana", s) for s in ids if s != "none"
    }


def test_every_clinician_read_of_person_data_writes_one_audit_event(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    app, who = world
    ana, lee = sign_in(app, "ana"), sign_in(app, "lee")
    _plant(ana)
    active = share(who.base, who.ana, who.lee, SHARED).id
    reads = sorted(p for m, p in _routes(app) if m == "GET" and p.startswith("/clinic"))
    assert reads == ["/clinic", "/clinic/join", PATIENT, PATIENT + "/fhir", PATIENT + "/report"]
    counted = {}
    for path in reads:
        before = audit.verify(who.base).events
        assert lee.get(_fill(path, active)).status_code == 200, path
        counted[path] = audit.verify(who.base).events - before
    assert counted == {
        "/clinic": 1,  # one row, one patient
        "/clinic/join": 0,  # no person's data
        PATIENT: 1,
        PATIENT + "/fhir": 1,
        PATIENT + "/report": 1,
    }
    before = audit.verify(who.base).events
    asked = lee.post(
        PATIENT.format(consent_id=active) + "/requests",
        data={"instrument": "phq9", "csrf_token": csrf(lee, "/clinic/join")},
    )
    assert asked.status_code == 303
    assert audit.verify(who.base).events == before + 1
    words = [d.words for d in audit.disclosures(who.base, who.ana)]
    assert len(words) == 5 and "via request phq9" in words[0]
    assert audit.verify(who.base).ok


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_the_clinicians_next_request_after_revocation_or_expiry_is_refused(
    world: tuple[Any, People],  # noqa: F811
    state: str,
) -> None:
    app, who = world
    lee = sign_in(app, "lee")
    until = who.base.now().date() if state == "expired" else date(2026, 12, 31)
    granted = share(who.base, who.ana, who.lee, SHARED, until=until)
    page = PATIENT.format(consent_id=granted.id)
    assert lee.get(page).status_code == 200
    if state == "revoked":
        consent.revoke(who.base, who.ana, granted.id)
        assert lee.get(page).status_code == 404
    else:
        later = replace(who.base, clock=lambda: who.base.now() + timedelta(days=1))
        assert sign_in(create_app(who.base.settings, later), "lee").get(page).status_code == 404
