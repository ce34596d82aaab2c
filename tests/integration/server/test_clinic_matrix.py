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
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.integration.server.clinic_people import PASSWORD, People, share
from tests.integration.server.test_clinic_pages import BASE, csrf, sign_in, world  # noqa: F401
from tests.integration.server.test_server_mode import _routes
from tests.studies import study_yaml

from mitra.adapters.store import tables as t
from mitra.interfaces.web.app import create_app
from mitra.services import accounts, audit, consent, studies

NAMES = ("ana", "ben", "lee", "kim", "max", "sam", "rae")  # sam: a server admin; rae: a researcher
NOBODY = "no session"
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
        if name == "instrument_id":
            return "phq9"
        return "1" if name.endswith(("id", "pk")) else "checkins"

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def _plant(ana: TestClient) -> None:
    product = ana.post("/api/v1/products", json={"name": PRODUCT, "form": "capsule"}).json()
    ana.post("/api/v1/uses", json={"product_id": product["id"], "amount": 2, "unit": "capsule"})
    ana.post("/api/v1/checkins", json={"mood": 4, "note": NOTE})


def _sign_in_all(app: Any) -> dict[str, TestClient]:
    """A signed-in client per persona, and one with no session at all."""
    clients = {name: sign_in(app, name) for name in NAMES}
    clients[NOBODY] = TestClient(app, base_url=BASE, follow_redirects=False)
    return clients


def test_every_route_and_method_by_role_and_consent_state_grants_only_the_consented(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    """One app, one set of personas, both halves: every GET (reads) and then every other
    method (writes); shared so the matrix stays fast."""
    base_app, who = world
    accounts.add_account(who.base, "sam", PASSWORD)
    consent.grant_role(who.base, "sam", "server_admin")
    accounts.add_account(who.base, "rae", PASSWORD)
    consent.grant_role(who.base, "rae", "researcher")
    _plant(sign_in(base_app, "ana"))
    ids = _states(who)
    # the day after the expired consent's last day: it no longer grants
    later = replace(who.base, clock=lambda: who.base.now() + timedelta(days=1))
    app = create_app(who.base.settings, later)
    clients = _sign_in_all(app)
    _reads(app, clients, ids)
    _writes(app, clients, ids, who)


def _reads(app: Any, clients: dict[str, TestClient], ids: dict[str, int]) -> None:
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
    everyone = (*NAMES, NOBODY)
    for path in (PATIENT, PATIENT + "/report", PATIENT + "/fhir"):
        seen = {(n, s): statuses[(n, s, path)] for n in everyone for s in ids}
        allowed = {k for k, v in seen.items() if v == 200}
        assert allowed == {("lee", "active"), ("lee", "out of scope")}, path
        # no session: to the login page; every signed-in account but lee: 404, as if no id
        assert {k for k, v in seen.items() if v == 303} == {(NOBODY, s) for s in ids}, path
        assert {k for k, v in seen.items() if v == 404} == set(seen) - allowed - {
            (NOBODY, s) for s in ids
        }, path
    fhir_of_consent = "/sharing/clinicians/{consent_id}/fhir"
    assert {(n, s) for n in everyone for s in ids if statuses[(n, s, fhir_of_consent)] == 200} == {
        ("ana", s) for s in ids if s != "none"
    }
    # a clinic admin and a server admin see no clinical data (not a clinician): 403 on the
    # clinician's own pages, 404 on a patient's, and the admin page is theirs alone
    for name in ("kim", "sam"):
        assert statuses[(name, "any", "/clinic")] == 403
    admin = {n for n in everyone if statuses[(n, "any", "/clinic/admin")] == 200}
    assert admin == {"kim", "sam"}
    _researcher_only(routes, statuses, everyone)


RESEARCH = ("/research", "/api/v1/research/")


def _researcher_only(
    routes: list[str], statuses: dict[tuple[str, str, str], int], everyone: tuple[str, ...]
) -> None:
    """Issue #22: the researcher's pages and API answer rae alone (a study number that is not
    hers, here none at all, a 404); every other account 403; no session the login page (303)
    or, under /api/, 401."""
    paths = [p for p in routes if p.startswith(RESEARCH)]
    assert "/api/v1/research/studies/{study_pk}/stats" in paths and len(paths) == 6
    for path in paths:
        seen = {n: statuses[(n, "any", path)] for n in everyone}
        assert seen["rae"] == (404 if "{study_pk}" in path else 200), path
        assert {n for n, v in seen.items() if v == 403} == set(NAMES) - {"rae"}, path
        assert seen[NOBODY] == (401 if path.startswith("/api/") else 303), path


# Routes that end the caller's own session: tried last, so every other write is made signed in.
LAST = ("/logout", "/lock")


def _ana_and_the_shared(who: People) -> dict[str, list[tuple[Any, ...]]]:
    """Everything of ana's (her journal, her consents and what hangs off them) and everything
    server-wide a write could grant itself (roles, clinic invitations)."""
    with who.base.store.engine.connect() as conn:
        journal = conn.execute(
            sa.select(t.accounts.c.journal_id).where(t.accounts.c.id == who.ana)
        ).scalar_one()
        found = {
            table.name: sorted(
                tuple(map(str, row))
                for row in conn.execute(sa.select(table).where(table.c.journal_id == journal)).all()
            )
            for table in (*t.JOURNAL_TABLES, t.preferences)
        }
        for table in (t.consents, t.questionnaire_requests):
            found[table.name] = sorted(
                tuple(map(str, row))
                for row in conn.execute(
                    sa.select(table).where(table.c.person_account_id == who.ana)
                ).all()
            )
        for table in (t.consent_versions, t.taper_reviews, t.clinic_invitations):
            found[table.name] = sorted(
                tuple(map(str, row)) for row in conn.execute(sa.select(table)).all()
            )
        found["roles"] = sorted(
            tuple(map(str, row))
            for row in conn.execute(sa.select(t.accounts.c.name, t.accounts.c.roles)).all()
        )
        return found


def _writes(app: Any, clients: dict[str, TestClient], ids: dict[str, int], who: People) -> None:
    """Every POST, PUT and DELETE by everyone but ana, aimed at ana's ids with a body that
    would do something: the only changes to ana's data (or to who may do what) are the
    consented clinician's request and the admins' role change; ids outside a consent 404."""
    ana = clients["ana"]
    product = ana.get("/api/v1/products").json()[0]["id"]
    mine = {kind: ana.get(f"/api/v1/{kind}").json()[0]["id"] for kind in ("checkins", "uses")}
    mine["products"] = product
    form = {
        "name": "ana",  # made a clinician by an admin: it changes no one else's rights
        "role": "on",
        "instrument": "phq9",
        "kind": "comment",
        "text": "written by someone else",
        "code": "not-a-code",
        "mood": "1",
        "kinds": "checkins",
        "period": "all",
        "until": "2026-12-31",
        "declaration": study_yaml(id="matrix-study"),  # rae publishes; no one else may
    }
    body = {"mood": 1, "name": "Not Ana's", "form": "capsule", "product_id": product}
    body |= {"amount": 9, "unit": "capsule", "note": "written by someone else"}
    body |= {"declaration": form["declaration"]}
    routes = [(m, p) for m, p in _routes(app) if m not in ("GET", "HEAD")]
    routes.sort(key=lambda route: route[1].startswith(LAST))
    assert ("POST", "/clinic/admin/clinicians") in routes and len(routes) > 50
    writers = {n: c for n, c in clients.items() if n != "ana"}
    for name, client in writers.items():
        if name != NOBODY:
            client.headers["x-csrf-token"] = csrf(client, "/sharing/clinicians")
    changed: set[tuple[str, str, str, str]] = set()
    statuses: dict[tuple[str, str, str, str], int] = {}
    before = _ana_and_the_shared(who)
    for method, path in routes:
        states = ids if "{consent_id}" in path else {"any": ids["active"]}
        for state, consent_id in states.items():
            kind = next((k for k in mine if f"/{k}/" in path), "checkins")
            url = _fill(path.replace("{entry_id}", str(mine[kind])), consent_id)
            for name, client in writers.items():
                if path.startswith("/api/"):
                    answer = client.request(method, url, json=body)
                else:
                    answer = client.request(method, url, data=form)
                statuses[(name, state, method, path)] = answer.status_code
                after = _ana_and_the_shared(who)
                if after != before:
                    changed.add((name, state, method, path))
                    before = after
    requests = PATIENT + "/requests"
    assert changed == {
        ("lee", "active", "POST", requests),  # the consented clinician asks for a PHQ-9
        ("lee", "any", "POST", "/clinic/invitations"),  # a clinician's own invitation code
        ("max", "any", "POST", "/clinic/invitations"),
        ("kim", "any", "POST", "/clinic/admin/clinicians"),  # ana made a clinician
    }
    assert statuses[("sam", "any", "POST", "/clinic/admin/clinicians")] == 303
    for name in ("ben", "lee", "max"):
        assert statuses[(name, "any", "POST", "/clinic/admin/clinicians")] == 403
    assert statuses[(NOBODY, "any", "POST", "/clinic/admin/clinicians")] == 303
    for path in (requests, PATIENT + "/taper", "/sharing/clinicians/{consent_id}/revoke"):
        refused = {(n, s) for n in writers for s in ids if statuses[(n, s, "POST", path)] == 404}
        expected = {(n, s) for n in writers for s in ids if n != NOBODY}
        if path.startswith("/clinic/"):
            expected -= {("lee", "active")}
        assert refused == expected, path
    # the consented clinician: the request is made; ana has no taper plan to review (nothing
    # is written); only ana revokes her consent
    assert statuses[("lee", "active", "POST", requests)] == 303
    assert statuses[("lee", "active", "POST", PATIENT + "/taper")] == 409
    for (name, _state, _method, path), status in statuses.items():
        if path.startswith(RESEARCH) and name not in ("rae", NOBODY):
            assert status == 403, (name, path)  # not a researcher: nothing published or frozen
    assert statuses[("rae", "any", "POST", "/api/v1/research/studies")] == 201
    assert [s.study.id for s in studies.published(who.base)] == ["matrix-study"]


def test_every_clinician_read_of_person_data_writes_one_audit_event(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    app, who = world
    ana, lee = sign_in(app, "ana"), sign_in(app, "lee")
    _plant(ana)
    active = share(who.base, who.ana, who.lee, SHARED).id
    reads = sorted(p for m, p in _routes(app) if m == "GET" and p.startswith("/clinic"))
    assert reads.pop(1) == "/clinic/admin"  # names of clinicians only: no one's data
    before = audit.verify(who.base).events
    assert sign_in(app, "kim").get("/clinic/admin").status_code == 200
    assert audit.verify(who.base).events == before
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
