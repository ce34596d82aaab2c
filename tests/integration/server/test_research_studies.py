"""Issue #22's done-when on a server: a researcher publishes a study, three people join from
their journals, one withdraws, and the next freeze holds two (refused at k=5 with the reason, and
exactly two at the study's k=2); a researcher reads no journal and no one else's study, and a
person reads no one else's donation (404)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient
from tests.integration.server.clinic_people import PASSWORD, People, people
from tests.studies import study_yaml

from mitra.adapters.store import tables as t
from mitra.errors import ForbiddenError
from mitra.interfaces.web.app import create_app
from mitra.services import accounts, consent, studies
from mitra.services.context import Mitra
from mitra.settings import Settings

BASE = "http://127.0.0.1:8000"
JOINERS = ("ana", "ben", "cyd")


@pytest.fixture
def world(
    settings_factory: Callable[..., Settings], database_url: str, mitra: Mitra
) -> Iterator[tuple[Any, People]]:
    server = settings_factory(database_url=database_url, server=True, loopback_only=True)
    base = Mitra(mitra.store, server, mitra.clock)
    with people(base) as who:
        try:
            for name in ("cyd", "rae", "ron"):
                accounts.add_account(base, name, PASSWORD)
            consent.grant_role(base, "rae", "researcher")
            consent.grant_role(base, "ron", "researcher")
            yield create_app(server, base), who
        finally:
            with base.store.engine.begin() as conn:  # before people() removes the accounts
                conn.execute(t.study_donations.delete())
                conn.execute(t.study_versions.delete())
                conn.execute(t.studies.delete())


def sign_in(app: Any, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    assert client.post("/login", data={"name": name, "password": PASSWORD}).status_code == 303
    return client


def csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def publish(client: TestClient, **overrides: Any) -> int:
    made = client.post(
        "/research",
        data={"declaration": study_yaml(**overrides), "csrf_token": csrf(client, "/research")},
    )
    assert made.status_code == 303, made.text
    return int(made.headers["location"].rsplit("/", 1)[1])


def join(client: TestClient, study: int, year: str) -> None:
    page = f"/sharing/research/studies/{study}"
    form = {"birth_year": year, "sex": "female", "state": "US-FL", "agree": "yes"}
    joined = client.post(f"{page}/join", data={**form, "csrf_token": csrf(client, page)})
    assert joined.status_code == 303, joined.text


def withdraw(client: TestClient, study_key: str) -> None:
    form = {"study_id": study_key, "csrf_token": csrf(client, "/sharing/research")}
    assert client.post("/sharing/research/withdraw", data=form).status_code == 200


def test_publish_join_withdraw_freeze_holds_two(
    world: tuple[Any, People], tmp_path: Path, cli: Callable[..., Any]
) -> None:
    app, _ = world
    rae = sign_in(app, "rae")
    people_ = {name: sign_in(app, name) for name in JOINERS}
    small = publish(rae, id="mood-k2", title="Mood, k two", k=2, min_cell=2)
    strict = publish(rae, id="mood-k5", title="Mood, k five", k=5)
    for client in people_.values():
        client.post("/api/v1/checkins", json={"mood": 3})
        listed = client.get("/sharing/research").text
        assert f'href="/sharing/research/studies/{small}"' in listed
        shown = client.get(f"/sharing/research/studies/{small}").text
        assert "Consent (version 1.0)" in shown and "<code>year_of_birth</code>" in shown
        assert "Never your name, notes" in shown
        join(client, small, "1980")
        join(client, strict, "1980")
    withdraw(people_["cyd"], "mood-k2")
    withdraw(people_["cyd"], "mood-k5")
    page = rae.get(f"/research/studies/{small}").text
    assert '<dd id="members">2</dd>' in page and '<dd id="withdrawn">1</dd>' in page

    refused = rae.post(
        f"/research/studies/{strict}/freeze", data={"csrf_token": csrf(rae, "/research")}
    )
    assert refused.status_code == 409
    reason = "export refused: k = 2 on year_of_birth, sex, state over 2 people is below the study"
    assert reason in refused.text

    frozen = rae.post(
        f"/research/studies/{small}/freeze", data={"csrf_token": csrf(rae, "/research")}
    )
    assert frozen.status_code == 200
    with zipfile.ZipFile(io.BytesIO(frozen.content)) as archive:
        report = json.loads(archive.read("risk_report.json"))
        archive.extractall(tmp_path / "freeze")
    assert (report["members"], report["withdrawn_left_out"], report["risk"]["k"]) == (2, 1, 2)
    with duckdb.connect(str(tmp_path / "freeze" / "omop.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM person").fetchone() == (2,)

    done = cli("research", "freeze", "--study-id", str(small), "-o", str(tmp_path / "cli"))
    assert done.exit_code == 0, done.stdout
    assert "Froze 2 people" in done.stdout and "1 withdrawn left out" in done.stdout


def test_researchers_read_no_journal_and_people_no_one_elses_donation(
    world: tuple[Any, People],
) -> None:
    app, who = world
    rae, ron, ana, ben = (sign_in(app, n) for n in ("rae", "ron", "ana", "ben"))
    study = publish(rae, id="mood-k2", k=2)
    ana.post("/api/v1/checkins", json={"mood": 3})
    join(ana, study, "1980")
    mine = ana.get(f"/sharing/research/studies/{study}/package")
    assert mine.status_code == 200 and mine.content[:2] == b"PK"
    assert ben.get(f"/sharing/research/studies/{study}/package").status_code == 404
    assert rae.get(f"/sharing/research/studies/{study}/package").status_code == 404
    assert rae.get("/api/v1/checkins").json() == []  # the researcher's own, empty journal
    assert rae.get("/clinic").status_code == 403  # no shared journals either
    assert ron.get(f"/research/studies/{study}").status_code == 404
    token = csrf(ron, "/research")
    assert (
        ron.post(f"/research/studies/{study}/freeze", data={"csrf_token": token}).status_code == 404
    )
    assert ben.get("/research").status_code == 403
    with pytest.raises(ForbiddenError):
        studies.publish(who.base, who.ben, study_yaml(id="other"))
    again = rae.post(
        "/research",
        data={"declaration": study_yaml(id="mood-k2"), "csrf_token": csrf(rae, "/research")},
    )
    assert again.status_code == 409 and "already published" in again.text


def test_joining_is_one_transaction_and_needs_the_tick(world: tuple[Any, People]) -> None:
    app, who = world
    rae, ana = sign_in(app, "rae"), sign_in(app, "ana")
    study = publish(rae, id="mood-k2", k=2)
    page = f"/sharing/research/studies/{study}"
    form = {"birth_year": "1980", "sex": "female", "state": "US-FL", "csrf_token": csrf(ana, page)}
    assert ana.post(f"{page}/join", data=form).status_code == 422
    assert studies.counts(who.base, study) == studies.Counts(0, 0)
    join(ana, study, "1980")
    again = {**form, "agree": "yes", "csrf_token": csrf(ana, page)}
    assert ana.post(f"{page}/join", data=again).status_code == 409
    assert studies.counts(who.base, study) == studies.Counts(1, 0)
    assert "you gave to it" in ana.get("/sharing/research").text


def test_a_study_no_one_joined_is_refused_not_a_crash(world: tuple[Any, People]) -> None:
    """k of an empty table is 0: the freeze is refused (409) before pyCANON, which cannot measure
    a table of no one (it raised a 500 once it ran on every freeze)."""
    app, _ = world
    rae = sign_in(app, "rae")
    empty = publish(rae, id="nobody", title="Nobody yet", k=2)
    refused = rae.post(
        f"/research/studies/{empty}/freeze", data={"csrf_token": csrf(rae, "/research")}
    )
    assert refused.status_code == 409
    assert "export refused: k = 0 on year_of_birth, sex, state over 0 people" in refused.text
