"""Issue #21 over HTTP: invite, scope in plain words, the clinician's dashboard showing only
that scope, revocation refusing the very next request, the disclosure log; and the
authorization matrix of the clinic routes (role x consent state, 0 unexpected grants)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.integration.server.clinic_people import PASSWORD, People, people, share

from mitra.domain.consent import Shared
from mitra.errors import NotFoundError
from mitra.interfaces.web.app import create_app
from mitra.services import consent
from mitra.services.context import Mitra
from mitra.settings import Settings

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def world(
    settings_factory: Callable[..., Settings], database_url: str, mitra: Mitra
) -> Iterator[tuple[Any, People]]:
    server = settings_factory(database_url=database_url, server=True, loopback_only=True)
    base = Mitra(mitra.store, server, mitra.clock)
    with people(base) as who:
        yield create_app(server, base), who


def sign_in(app: Any, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    assert client.post("/login", data={"name": name, "password": PASSWORD}).status_code == 303
    return client


def csrf(client: TestClient, path: str = "/sharing/clinicians") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_invite_scope_dashboard_revoke_and_disclosure_log(world: tuple[Any, People]) -> None:
    app, _ = world
    ana, lee = sign_in(app, "ana"), sign_in(app, "lee")
    ana.post("/api/v1/checkins", json={"mood": 3})
    form = {
        "kinds": ["questionnaires", "alerts"],
        "period": "rolling",
        "days": "30",
        "until": "2026-12-31",
        "csrf_token": csrf(ana),
    }
    shown = ana.post("/sharing/clinicians", data=form)
    assert "Period: the last 30 days" in shown.text
    assert "Your written notes are not shared." in shown.text
    made = ana.post("/sharing/clinicians", data={**form, "agree": "yes"})
    code = re.search(r'id="consent-code">([^<]+)<', made.text)
    assert code is not None
    joined = lee.post("/clinic/join", data={"code": code.group(1), "csrf_token": csrf(lee)})
    assert joined.status_code == 303
    board = lee.get("/clinic")
    assert board.status_code == 200 and ">ana<" in board.text.replace(" <strong", "<")
    assert board.text.count("not shared") == 2  # kratom and taper; questionnaires and alerts shown
    consent_id = int(re.search(r'id="patient-(\d+)"', board.text).group(1))  # type: ignore[union-attr]
    revoked = ana.post(f"/sharing/clinicians/{consent_id}/revoke", data={"csrf_token": csrf(ana)})
    assert revoked.status_code == 303
    after = lee.get("/clinic")
    assert 'id="no-patients"' in after.text
    log = ana.get("/sharing/disclosures").text
    assert log.count("lee looked at your questionnaires, alerts") == 1
    assert "(the last 30 days" in log


# --- the authorization matrix ---------------------------------------------------------------

ROUTES = ("/clinic", "/clinic/join", "/sharing/clinicians", "/sharing/disclosures")


def _states(who: People) -> dict[str, int | None]:
    """One consent of ana's to lee per state; the id each state's look is tried with."""
    base = who.base
    active = share(base, who.ana, who.lee, ["questionnaires"]).id
    scoped = share(base, who.ana, who.lee, ["uses"]).id  # out of scope for questionnaires
    revoked = share(base, who.ana, who.lee, ["questionnaires"]).id
    consent.revoke(base, who.ana, revoked)
    expired = share(base, who.ana, who.lee, ["questionnaires"], until=base.now().date()).id
    return {
        "none": None,
        "active": active,
        "out of scope": scoped,
        "revoked": revoked,
        "expired": expired,
    }


def test_every_clinic_route_by_role_and_consent_state_grants_nothing_unexpected(
    world: tuple[Any, People],
) -> None:
    app, who = world
    ids = _states(who)
    later = replace(who.base, clock=lambda: who.base.now() + timedelta(days=1))
    clients = {name: sign_in(app, name) for name in ("ana", "ben", "lee", "kim", "max")}
    got = {(name, path): c.get(path).status_code for name, c in clients.items() for path in ROUTES}
    expected_403 = {(n, p) for n in ("ana", "ben", "kim") for p in ("/clinic", "/clinic/join")}
    assert {k for k, v in got.items() if v == 403} == expected_403
    assert {k for k, v in got.items() if v == 200} == set(got) - expected_403
    # the FHIR Consent and revocation: the person's own only, 404 for anyone else
    for state, consent_id in ids.items():
        if consent_id is None:
            continue
        for name, client in clients.items():
            answer = client.get(f"/sharing/clinicians/{consent_id}/fhir").status_code
            assert answer == (200 if name == "ana" else 404), (state, name)
    # what the clinician sees, per state, the day after the expired one ended
    for state, consent_id in ids.items():
        if consent_id is None:
            continue
        kind = Shared.QUESTIONNAIRES
        for name, account in (("lee", who.lee), ("max", who.max)):
            try:
                consent.granted(later, account, consent_id, kind)
                allowed = True
            except NotFoundError:
                allowed = False
            assert allowed == (name == "lee" and state == "active"), (state, name)


def test_a_person_accepts_a_clinics_invitation_choosing_the_scope(
    world: tuple[Any, People],
) -> None:
    app, who = world
    ana, lee, ben = sign_in(app, "ana"), sign_in(app, "lee"), sign_in(app, "ben")
    assert ben.post("/clinic/invitations", data={"csrf_token": csrf(ben)}).status_code == 403
    made = lee.post("/clinic/invitations", data={"csrf_token": csrf(lee, "/clinic/join")})
    code = re.search(r'id="invitation-code">([^<]+)<', made.text)
    assert code is not None
    asked = ana.get(f"/sharing/clinicians?invite={code.group(1)}")
    assert "lee invited you to share your journal" in asked.text
    form = {
        "kinds": ["alerts"],
        "period": "all",
        "until": "2026-12-31",
        "invite": code.group(1),
        "csrf_token": csrf(ana),
    }
    shown = ana.post("/sharing/clinicians", data=form)
    assert "lee will be able to see: safety alerts" in shown.text
    assert ana.post("/sharing/clinicians", data={**form, "agree": "yes"}).status_code == 303
    [made_consent] = consent.of_person(who.base, who.ana)
    assert (made_consent.clinician_name, made_consent.state.value) == ("lee", "active")
    assert ">ana<" in lee.get("/clinic").text.replace('">ana</a>', ">ana<")
    again = ana.get(f"/sharing/clinicians?invite={code.group(1)}")  # works once
    assert again.status_code == 404 and "unknown or already used" in again.text


def test_a_clinic_admin_gives_and_takes_the_clinician_role_and_sees_names_only(
    world: tuple[Any, People],
) -> None:
    app, who = world
    kim, ben = sign_in(app, "kim"), sign_in(app, "ben")
    sign_in(app, "ana").post("/api/v1/checkins", json={"mood": 3, "note": "Ana's own words"})
    page = kim.get("/clinic/admin")
    assert page.status_code == 200
    assert re.findall(r'id="clinician-(\w+)"', page.text) == ["lee", "max"]
    assert "Ana's own words" not in page.text and "mood" not in page.text
    token = csrf(kim, "/clinic/admin")
    given = kim.post(
        "/clinic/admin/clinicians", data={"name": " Ben ", "role": "on", "csrf_token": token}
    )
    assert (given.status_code, given.headers["location"]) == (303, "/clinic/admin?given=ben")
    assert "ben is now a clinician." in kim.get(given.headers["location"]).text
    assert ben.get("/clinic/join").status_code == 200  # ben's very next request
    taken = kim.post(
        "/clinic/admin/clinicians", data={"name": "lee", "role": "off", "csrf_token": token}
    )
    assert taken.headers["location"] == "/clinic/admin?taken=lee"
    assert consent.clinicians(who.base, who.kim) == ["ben", "max"]
    unknown = kim.post(
        "/clinic/admin/clinicians", data={"name": "zed", "role": "on", "csrf_token": token}
    )
    assert unknown.status_code == 404 and "no account named &#39;zed&#39;" in unknown.text
    # someone who is not an admin changes nothing, and sees nothing
    token = csrf(ben, "/clinic/join")
    refused = ben.post(
        "/clinic/admin/clinicians", data={"name": "ben", "role": "off", "csrf_token": token}
    )
    assert refused.status_code == 403 and ben.get("/clinic/admin").status_code == 403
    assert consent.clinicians(who.base, who.kim) == ["ben", "max"]
    # a clinic admin is no clinician: no dashboard, no patient
    assert kim.get("/clinic").status_code == 403
    more = kim.get("/more").text
    assert "/clinic/admin" in more and "Your patients" not in more
    assert "/clinic/admin" not in ben.get("/more").text
