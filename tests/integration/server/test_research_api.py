"""Issue #22's researcher API (/api/v1/research, server mode): a researcher publishes, reads
counts, freezes and gets cohort statistics with an API token; consent versions (people on an
older version are left out of the next freeze and counted as awaiting re-consent until they agree
again or withdraw); closing a study stops new joins and keeps the donations already given."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.integration.server.clinic_people import People
from tests.integration.server.test_research_studies import (
    BASE,
    csrf,
    join,
    sign_in,
    withdraw,
    world,  # noqa: F401
)
from tests.studies import study_yaml

from mitra.services import research, studies

V2 = "I agree to give the fields listed, in the form shown, for three more years."


def bearer(app: Any, name: str) -> TestClient:
    made = sign_in(app, name).post("/api/v1/tokens", json={"label": "script"}).json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    return TestClient(app, base_url=BASE, headers=headers, follow_redirects=False)


def sows(client: TestClient, value: int) -> None:
    items = client.get("/api/v1/instruments/sows").json()["items"]
    answers = {item["id"]: value for item in items}
    taken = client.post("/api/v1/responses", json={"instrument": "sows", "answers": answers})
    assert taken.status_code == 201, taken.text


def reconsent(client: TestClient, study: int, year: str) -> None:
    page = f"/sharing/research/studies/{study}/reconsent"
    form = {"birth_year": year, "sex": "female", "state": "US-FL", "agree": "yes"}
    done = client.post(page, data={**form, "csrf_token": csrf(client, page)})
    assert done.status_code == 303, done.text


def test_the_api_is_the_researchers_own_and_answers_like_the_pages(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    app, _ = world
    rae, ron, ben = bearer(app, "rae"), bearer(app, "ron"), bearer(app, "ben")
    made = rae.post("/api/v1/research/studies", json={"declaration": study_yaml(id="mood-k2")})
    assert made.status_code == 201, made.text
    study = made.json()
    assert (study["study_id"], study["consent_version"], study["closed_at"]) == (
        "mood-k2",
        "1.0",
        None,
    )
    assert study["counts"] == {"members": 0, "withdrawn": 0, "awaiting_reconsent": 0}
    assert [v["consent_version"] for v in study["versions"]] == ["1.0"]
    pk = study["id"]
    assert [s["id"] for s in rae.get("/api/v1/research/studies").json()] == [pk]
    assert ron.get("/api/v1/research/studies").json() == []
    for path in (f"/studies/{pk}", f"/studies/{pk}/counts", f"/studies/{pk}/stats"):
        assert ron.get(f"/api/v1/research{path}").status_code == 404, path
        assert ben.get(f"/api/v1/research{path}").status_code == 403, path
    assert ron.post(f"/api/v1/research/studies/{pk}/freeze").status_code == 404
    assert ron.post(f"/api/v1/research/studies/{pk}/close").status_code == 404
    anonymous = TestClient(app, base_url=BASE)
    assert anonymous.get("/api/v1/research/studies").status_code == 401
    again = rae.post("/api/v1/research/studies", json={"declaration": study_yaml(id="mood-k2")})
    assert again.status_code == 409
    wrong = rae.post("/api/v1/research/studies", json={"declaration": study_yaml(k=1, tier="x")})
    assert wrong.status_code == 422
    assert {p["loc"][1] for p in wrong.json()["detail"]} == {"k", "tier"}
    assert "/api/v1/research/studies/{study_pk}/stats" in app.openapi()["paths"]
    assert (
        '<a href="/research">Your studies (as a researcher)</a>'
        in sign_in(app, "rae").get("/more").text
    )
    assert 'href="/research"' not in sign_in(app, "ben").get("/more").text


def test_a_new_consent_version_leaves_out_who_has_not_agreed_again(
    world: tuple[Any, People],  # noqa: F811
    tmp_path: Path,
) -> None:
    app, who = world
    rae = bearer(app, "rae")
    pk = rae.post(
        "/api/v1/research/studies",
        json={"declaration": study_yaml(id="mood-k2", k=2, min_cell=2)},
    ).json()["id"]
    people_ = {name: sign_in(app, name) for name in ("ana", "ben", "cyd")}
    for value, client in enumerate(people_.values(), start=1):
        sows(client, value)  # SOWS totals 16, 32 and 48
        join(client, pk, "1980")
    v2 = study_yaml(id="mood-k2", k=2, min_cell=2, consent_version="2.0", consent_text=V2)
    bumped = rae.post(f"/api/v1/research/studies/{pk}/versions", json={"declaration": v2})
    assert bumped.status_code == 200, bumped.text
    assert bumped.json()["counts"] == {"members": 0, "withdrawn": 0, "awaiting_reconsent": 3}
    assert [v["consent_version"] for v in bumped.json()["versions"]] == ["1.0", "2.0"]
    same = rae.post(f"/api/v1/research/studies/{pk}/versions", json={"declaration": v2})
    assert same.status_code == 409 and "already published" in same.json()["detail"]
    other = study_yaml(id="another", consent_version="3.0")
    assert (
        rae.post(f"/api/v1/research/studies/{pk}/versions", json={"declaration": other}).status_code
        == 422
    )

    listed = people_["ana"].get("/sharing/research").text
    assert f'href="/sharing/research/studies/{pk}/reconsent"' in listed
    shown = people_["ana"].get(f"/sharing/research/studies/{pk}/reconsent").text
    assert "You agreed to consent version 1.0" in shown and V2 in shown
    page = f"/sharing/research/studies/{pk}/reconsent"
    untick = {"birth_year": "1981", "sex": "female", "state": "US-FL"}
    refused = people_["ana"].post(page, data={**untick, "csrf_token": csrf(people_["ana"], page)})
    assert refused.status_code == 422  # nothing changes without the tick; the answers stay
    assert 'value="1981"' in refused.text and "tick the box to agree" in refused.text
    before = people_["ana"].get(f"/sharing/research/studies/{pk}/package").content
    reconsent(people_["ana"], pk, "1980")
    reconsent(people_["ben"], pk, "1980")
    after = people_["ana"].get(f"/sharing/research/studies/{pk}/package").content
    with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(io.BytesIO(after)) as new:
        old_manifest = json.loads(old.read("manifest.json"))
        new_manifest = json.loads(new.read("manifest.json"))
    assert (old_manifest["consent_version"], new_manifest["consent_version"]) == ("1.0", "2.0")
    assert new_manifest["participant"] == old_manifest["participant"]
    assert [
        d.consent_version for d in research.donations(who.base.for_journal(_journal(who, "ana")))
    ] == ["2.0"]
    assert people_["ana"].get(f"/sharing/research/studies/{pk}/reconsent").status_code == 404
    assert studies.counts(who.base, pk) == studies.Counts(2, 0, 1)

    frozen = rae.post(f"/api/v1/research/studies/{pk}/freeze")
    assert frozen.status_code == 200 and frozen.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(frozen.content)) as archive:
        archive.extractall(tmp_path / "freeze")
    report = json.loads((tmp_path / "freeze" / "risk_report.json").read_text())
    assert (report["members"], report["withdrawn_left_out"], report["awaiting_reconsent"]) == (
        2,
        0,
        1,
    )

    got = rae.get(f"/api/v1/research/studies/{pk}/stats").json()
    assert (got["members"], got["awaiting_reconsent"], got["min_cell"]) == (2, 1, 2)
    cells = {q["name"]: q["cells"] for q in got["queries"]}
    # ana 16 and ben 32: mean 24, 95 % interval 24 ± t(1, .975) × sqrt(128 / 2) = 24 ± 101.65
    assert cells["sows_by_doses_per_day"] == [
        {
            "cell": "1 dose a day",
            "n": 2,
            "mean": 24.0,
            "low": pytest.approx(-77.65, abs=0.01),
            "high": pytest.approx(125.65, abs=0.01),
            "suppressed": False,
        }
    ]
    cli_rule = research.stats(tmp_path / "freeze", "duckdb")
    assert cells == {name: [c.__dict__ for c in found] for name, found in cli_rule.items()}

    withdraw(people_["cyd"], "mood-k2")
    assert studies.counts(who.base, pk) == studies.Counts(2, 1, 0)
    assert rae.get(f"/api/v1/research/studies/{pk}/counts").json() == {
        "members": 2,
        "withdrawn": 1,
        "awaiting_reconsent": 0,
    }


def _journal(who: People, name: str) -> int:
    from mitra.adapters.store import tables as t

    with who.base.store.engine.connect() as conn:
        return int(
            conn.execute(
                t.accounts.select()
                .with_only_columns(t.accounts.c.journal_id)
                .where(t.accounts.c.name == name)
            ).scalar_one()
        )


def test_a_closed_study_takes_no_one_new_and_keeps_what_was_given(
    world: tuple[Any, People],  # noqa: F811
) -> None:
    app, who = world
    rae = bearer(app, "rae")
    pk = rae.post(
        "/api/v1/research/studies", json={"declaration": study_yaml(id="mood-k2", k=2)}
    ).json()["id"]
    ana, ben = sign_in(app, "ana"), sign_in(app, "ben")
    join(ana, pk, "1980")
    closed = rae.post(f"/api/v1/research/studies/{pk}/close")
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    assert (
        rae.post(f"/api/v1/research/studies/{pk}/close").json()["closed_at"]
        == (closed.json()["closed_at"])
    )
    assert "This study is closed to new people" in ben.get(f"/sharing/research/studies/{pk}").text
    page = f"/sharing/research/studies/{pk}"
    form = {"birth_year": "1980", "sex": "female", "state": "US-FL", "agree": "yes"}
    refused = ben.post(f"{page}/join", data={**form, "csrf_token": csrf(ben, "/sharing/research")})
    assert refused.status_code == 409
    assert studies.counts(who.base, pk) == studies.Counts(1, 0, 0)
    v2 = study_yaml(id="mood-k2", k=2, consent_version="2.0")
    assert (
        rae.post(f"/api/v1/research/studies/{pk}/versions", json={"declaration": v2}).status_code
        == 409
    )
    assert ana.get(f"{page}/package").status_code == 200
