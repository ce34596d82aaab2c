"""Issue 19 follow-up, on SQLite and PostgreSQL: during a taper plan the measures schedule asks
for the SOWS daily and the PHQ-9 / GAD-7 weekly for the conditions managed, and for 30 days after
the plan is completed (then the usual schedule again); "I used again" is recorded on the plan
with who, when and a note, and pauses it at the last tolerated step (services, CLI, API, web)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from mitra.adapters.store import taper as store
from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm
from mitra.domain.taper import Actor, Event, EventKind, State
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import questionnaires, taper
from mitra.services.context import Mitra, utc_now
from mitra.services.demo import ingest_demo

LONDON = ZoneInfo("Europe/London")
TAPER = "your taper plan"


def seed(mitra: Mitra) -> None:
    """60 days of three 2 g doses of leaf (6 g a day), ending yesterday by `mitra`'s clock."""
    today = mitra.now().astimezone(LONDON).date()
    uses = [
        DemoUse(0, 2.0, "g", datetime.combine(today - timedelta(days=n), time(h), LONDON))
        for n in range(1, 61)
        for h in (8, 14, 20)
    ]
    leaf = Product("Leaf powder", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0)
    ingest_demo(mitra, DemoJournal(products=[leaf], uses=uses))
    questionnaires.onboard(mitra, conditions="depression, anxiety", country="GB")


def schedule_of(mitra: Mitra) -> dict[str, tuple[int | None, str]]:
    return {d.instrument_id: (d.interval_days, d.because) for d in questionnaires.due(mitra)}


def completed_days_ago(mitra: Mitra, days: int, *, held: bool = False) -> int:
    """A synthetic plan started 60 days before it was completed, completed `days` ago (on step
    8: 7 days a step); `held`: Mitra held it on step 8 and the person resumed it a day later."""
    plan = taper.create(mitra, taper.Choice("community-percent"))
    now = mitra.now()
    with mitra.store.write() as conn:
        started = now - timedelta(days=days + 60)
        store.add_event(conn, plan.id, Event(EventKind.START, started, Actor.PERSON, index=0))
        if held:
            at = started + timedelta(days=57)
            hold = Event(EventKind.HOLD, at, Actor.MITRA, why="SOWS rose", index=8)
            store.add_event(conn, plan.id, hold)
            back = Event(EventKind.RESUME, at + timedelta(days=1), Actor.PERSON, index=8)
            store.add_event(conn, plan.id, back)
        done = now - timedelta(days=days)
        store.add_event(conn, plan.id, Event(EventKind.COMPLETE, done, Actor.PERSON, index=8))
    return plan.id


def test_without_a_plan_the_usual_schedule(mitra: Mitra) -> None:
    seed(mitra)
    found = schedule_of(mitra)
    assert found["sows"][0] is None  # on demand
    assert found["phq9"][0] == 14 and found["gad7"][0] == 14


def test_a_draft_plan_changes_nothing(mitra: Mitra) -> None:
    seed(mitra)
    taper.create(mitra, taper.Choice("community-percent"))
    assert schedule_of(mitra)["sows"][0] is None


@pytest.mark.parametrize("held", [False, True])
def test_during_an_active_or_paused_plan_sows_daily_and_mood_weekly(
    mitra: Mitra, held: bool
) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("community-percent"))
    taper.act(mitra, plan.id, "start")
    if held:
        taper.act(mitra, plan.id, "hold", why="a hard week")
    found = schedule_of(mitra)
    assert found["sows"] == (1, f"not taken yet; every 1 days ({TAPER})")
    assert found["phq9"] == (7, f"not taken yet; every 7 days ({TAPER})")
    assert found["gad7"] == (7, f"not taken yet; every 7 days ({TAPER})")
    assert found["sds"] == (30, "not taken yet; every 30 days (you log regular kratom use)")
    calendar = questionnaires.calendar(mitra)
    assert "UID:sows.schedule@mitra.local\r\nDTSTAMP:20261125T120000Z\r\n" in calendar
    assert "RRULE:FREQ=DAILY;INTERVAL=1\r\n" in calendar


@pytest.mark.parametrize(("days_ago", "asked"), [(0, True), (29, True), (30, False), (31, False)])
def test_after_completion_the_measures_continue_for_thirty_days(
    mitra: Mitra, days_ago: int, asked: bool
) -> None:
    seed(mitra)
    completed_days_ago(mitra, days_ago)
    found = schedule_of(mitra)
    if asked:
        through = date(2026, 11, 25) - timedelta(days=days_ago) + timedelta(days=29)
        reason = f"{TAPER}: 30 days after it ended, through {through.isoformat()}"
        assert found["sows"] == (1, f"not taken yet; every 1 days ({reason})")
        assert found["phq9"][0] == 7 and found["gad7"][0] == 7
    else:
        assert found["sows"][0] is None
        assert found["phq9"][0] == 14 and found["gad7"][0] == 14


def test_a_relapse_during_a_plan_is_recorded_with_who_when_and_a_note(mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("community-percent"))
    taper.act(mitra, plan.id, "start")
    view = taper.relapse(mitra, note="  a hard week  ")
    assert (view.where.state, view.step.grams) == (State.PAUSED, 6.0)
    (event,) = view.relapses
    assert (event.by, event.at, event.why, event.index) == (
        Actor.PERSON,
        mitra.now(),
        "a hard week",
        0,
    )
    resumed = taper.act(mitra, plan.id, "resume")
    assert (resumed.where.state, resumed.step.grams) == (State.ACTIVE, 6.0)


@pytest.mark.parametrize(("held", "index", "grams"), [(False, 8, 4.3), (True, 7, 4.5)])
def test_a_relapse_after_completion_reopens_the_plan_at_the_last_tolerated_step(
    mitra: Mitra, held: bool, index: int, grams: float
) -> None:
    seed(mitra)
    plan_id = completed_days_ago(mitra, 10, held=held)
    done = taper.get(mitra, plan_id)
    assert done.where.state is State.COMPLETED and taper.current(mitra) is None
    assert done.step.index == 8
    view = taper.relapse(mitra, by="clinician")
    assert view.id == plan_id and view.where.state is State.PAUSED
    # community-percent from 6 g: 6.0, 5.7, 5.4, ... step 7 is 4.5 g, step 8 is 4.3 g
    assert (view.step.index, view.step.grams) == (index, grams)
    assert view.relapses[0].by is Actor.CLINICIAN
    current = taper.current(mitra)
    assert current is not None and current.id == plan_id
    assert schedule_of(mitra)["sows"][1] == f"not taken yet; every 1 days ({TAPER})"


def test_a_relapse_needs_a_plan_and_a_person(mitra: Mitra) -> None:
    seed(mitra)
    with pytest.raises(NotFoundError, match="no taper plan under way or completed"):
        taper.relapse(mitra)
    plan = taper.create(mitra, taper.Choice("community-percent"))
    with pytest.raises(NotFoundError):
        taper.relapse(mitra)  # a draft has nothing to go back to
    taper.act(mitra, plan.id, "start")
    with pytest.raises(InvalidInputError, match="only the person or their clinician"):
        taper.relapse(mitra, by="mitra")
    with pytest.raises(InvalidInputError, match="at most 500"):
        taper.relapse(mitra, note="x" * 501)
    assert taper.get(mitra, plan.id).relapses == []  # nothing written


def test_api_relapse_and_due(client: TestClient, mitra: Mitra) -> None:
    seed(mitra)
    measures = client.get("/api/v1/taper/paces").json()["measures"]
    assert (measures["sows_every_days"], measures["mood_every_days"]) == (1, 7)
    assert measures["after_zero_days"] == 30 and "Mitra's choice" in measures["logic"]
    assert client.post("/api/v1/taper/relapse", json={}).status_code == 404
    plan = taper.create(mitra, taper.Choice("community-percent"))
    taper.act(mitra, plan.id, "start")
    due = {d["instrument"]: d for d in client.get("/api/v1/measures/due").json()}
    assert (due["sows"]["interval_days"], due["sows"]["is_due"]) == (1, True)
    assert due["phq9"]["because"] == f"not taken yet; every 7 days ({TAPER})"
    got = client.post("/api/v1/taper/relapse", json={"note": "weekend"})
    assert got.status_code == 200
    body = got.json()
    assert body["state"] == "paused" and body["step"]["grams"] == 6.0
    assert body["events"][-1]["kind"] == "relapse" and body["events"][-1]["why"] == "weekend"


def test_web_relapse_button_confirm_and_record(client: TestClient, mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("community-percent"))
    taper.act(mitra, plan.id, "start")
    page = client.get("/taper").text
    assert '<a class="button" href="/taper/relapse">I used again</a>' in page
    confirm = client.get("/taper/relapse").text
    assert "Thank you for being honest about it." in confirm
    assert "<strong>6.0 g</strong>" in confirm or "<strong>6 g</strong>" in confirm
    words = re.sub(r"<[^>]+>", " ", confirm).lower()  # what a person reads
    for word in ("fail", "relapse", "blame", "should"):
        assert word not in words
    done = client.post("/taper/relapse", data={"note": "a party"}, follow_redirects=True)
    assert "Recorded, thank you for logging it." in done.text
    assert "Times you used again" in done.text and "a party" in done.text
    assert "fail" not in done.text.lower()
    assert taper.current(mitra) is not None
    assert taper.current(mitra).where.state is State.PAUSED  # type: ignore[union-attr]


def test_web_after_completion_offers_to_record_it(client: TestClient, mitra: Mitra) -> None:
    seed(mitra)
    completed_days_ago(mitra, 3)
    page = client.get("/taper").text
    assert 'you can <a href="/taper/relapse">record it</a> — no judgement' in page


def test_cli_relapse_and_due(cli: Callable[..., Any], mitra: Mitra) -> None:
    mitra.clock = utc_now  # the CLI runs on the real clock
    seed(mitra)
    assert cli("taper", "relapse").exit_code != 0
    assert cli("taper", "create", "--pace", "community-percent").exit_code == 0
    assert cli("taper", "start").exit_code == 0
    shown = cli("measures", "due").output
    assert f"every 1 days ({TAPER})" in shown and f"every 7 days ({TAPER})" in shown
    said = cli("taper", "relapse", "--note", "a long day")
    assert said.exit_code == 0, said.output
    assert said.output.startswith("Recorded, thank you for logging it. Plan #1 is paused at 6")
    assert "fail" not in said.output.lower()
    data = json.loads(cli("taper", "show", "--json").output)
    assert data["state"] == "paused"
    assert (data["events"][-1]["kind"], data["events"][-1]["by"]) == ("relapse", "person")
    assert data["events"][-1]["why"] == "a long day"
