"""`mitra taper ...` (issue 19): paces with sources, the baseline, a preview, a plan created,
started, held and stopped, today's target, the escalation help; every command with --json."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm
from mitra.services.context import Mitra, utc_now
from mitra.services.demo import ingest_demo

Cli = Callable[..., Any]
LONDON = ZoneInfo("Europe/London")


def seed(mitra: Mitra) -> None:
    """60 days of three 2 g doses of leaf, ending yesterday by the real clock (the CLI's)."""
    today = datetime.now(LONDON).date()
    uses = [
        DemoUse(0, 2.0, "g", datetime.combine(today - timedelta(days=n), time(h), LONDON))
        for n in range(1, 61)
        for h in (8, 14, 20)
    ]
    leaf = Product("Leaf powder", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0)
    mitra.clock = utc_now  # the CLI runs on the real clock
    ingest_demo(mitra, DemoJournal(products=[leaf], uses=uses))


def test_paces_are_listed_with_their_sources(cli: Cli) -> None:
    shown = cli("taper", "paces")
    assert shown.exit_code == 0, shown.output
    assert "cdc-monthly: 10 % of the current amount every 30 days." in shown.output
    data = json.loads(cli("taper", "paces", "--json").output)
    assert [p["id"] for p in data["paces"]] == [
        "cdc-monthly",
        "asam-slow",
        "community-percent",
        "community-grams",
    ]
    assert data["paces"][0]["sources"] == ["cdc-opioids-2022", "horowitz-taylor-2019"]
    assert data["custom"]["max_percent"] == 25


def test_a_plan_from_the_command_line(cli: Cli, mitra: Mitra) -> None:
    seed(mitra)
    base = json.loads(cli("taper", "baseline", "--json").output)
    assert (base["grams"], base["doses"], base["has_seven_oh"]) == (6.0, 3.0, False)
    preview = json.loads(cli("taper", "preview", "--pace", "cdc-monthly", "--json").output)
    assert [s["grams"] for s in preview["steps"][:3]] == [6.0, 5.4, 4.9]
    created = cli("taper", "create", "--pace", "asam-slow", "--unit", "0.5", "--capsules")
    assert created.exit_code == 0, created.output
    assert "Saved draft plan #1." in created.output
    assert "Now: 12 capsules (6 g) a day in 3 dose(s)" in created.output
    assert cli("taper", "start").output.strip() == "Plan #1: start recorded; now active."
    today = json.loads(cli("taper", "today", "--json").output)
    assert today["target"] == {"grams": 6.0, "doses": 3}
    assert today["logged"]["doses"] == 0
    held = cli("taper", "hold", "--why", "a hard week")
    assert held.output.strip() == "Plan #1: hold recorded; now paused."
    faster = cli("taper", "slower", "--every", "7")
    assert faster.exit_code == 2 and "slower means more than the current 14 days" in faster.output
    agreed = cli("taper", "agree", "--clinician", "Dr Rao", "--on", "2026-12-01")
    assert agreed.exit_code == 0, agreed.output
    plan = json.loads(cli("taper", "show", "--json").output)
    assert plan["state"] == "paused" and plan["agreed"]["clinician"] == "Dr Rao"
    assert [e["kind"] for e in plan["events"]] == ["start", "hold", "agree"]
    ics = cli("taper", "calendar", "--discreet")
    assert ics.output.startswith("BEGIN:VCALENDAR") and "kratom" not in ics.output.lower()
    assert cli("taper", "stop", "--why", "with my clinician").exit_code == 0
    assert cli("taper", "show").output.strip() == "No open taper plan."
    assert "no open taper plan" in cli("taper", "resume").output


def test_the_help_lists_treatment_with_sources_and_no_dose(cli: Cli) -> None:
    shown = cli("taper", "help", "--json")
    items = json.loads(shown.output)
    assert [i["id"] for i in items] == ["buprenorphine", "findtreatment", "helpline"]
    assert items[0]["sources"] == ["kiyokawa-2023", "weiss-2022-bup-case-series"]
    assert " mg" not in shown.output


def test_preview_and_create_take_the_options_declared_once() -> None:
    import typer.main

    from mitra.interfaces.cli.app import make_app
    from mitra.interfaces.cli.commands.taper import CHOICE_OPTIONS

    group: Any = typer.main.get_command(make_app())
    taper_group = group.commands["taper"]
    names = {c: [p.name for p in taper_group.commands[c].params] for c in ("preview", "create")}
    assert names["preview"] == names["create"] == [n for n, _, _ in CHOICE_OPTIONS]
