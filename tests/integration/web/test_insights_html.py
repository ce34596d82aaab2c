"""/insights, GET /api/v1/insights and `mitra insights`: the same dashboard three ways."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from mitra.services.context import Mitra
from mitra.services.demo import seed_demo


def test_a_fresh_journal_page_says_not_enough_data_yet(client: TestClient) -> None:
    page = client.get("/insights")
    assert page.status_code == 200
    assert "Not enough data yet" in page.text
    assert '<option value="4" selected>last 4 weeks</option>' in page.text
    assert '<a href="/insights" aria-current="page">Insights</a>' in page.text


def test_the_demo_page_has_inline_svg_charts_each_with_a_table(
    client: TestClient, mitra: Mitra
) -> None:
    seed_demo(mitra, days=120, anxiety_effect_per_g=-0.5)
    page = client.get("/insights", params={"weeks": 12})
    assert page.status_code == 200
    # 9 charts of the daily journal and 4 questionnaire timelines (the demo's PHQ-9, GAD-7, SOWS
    # and kratom-use checklist)
    assert page.text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 13
    assert page.text.count("<summary>Table: ") == 13
    assert page.text.count("<script") == page.text.count('<script src="/static/')  # none inline
    assert "http://" not in page.text.split("<main", 1)[1].replace("http://www.w3.org/2000/svg", "")
    assert "not proof that kratom caused it" in page.text
    assert '<option value="12" selected>' in page.text


def test_an_unknown_period_is_a_422_page(client: TestClient) -> None:
    assert client.get("/insights", params={"weeks": 3}).status_code == 422


def test_the_home_page_links_to_insights(client: TestClient) -> None:
    assert 'href="/insights"' in client.get("/").text


def test_the_api_returns_the_dashboard_and_refuses_other_periods(
    client: TestClient, mitra: Mitra
) -> None:
    seed_demo(mitra, days=40)
    body = client.get("/api/v1/insights", params={"weeks": 4}).json()
    assert body["weeks"] == 4 and len(body["days"]) == 28 and body["end"] == "2026-11-24"
    assert [f["outcome"] for f in body["nof1"]] == ["mood", "anxiety", "pain", "sleep", "craving"]
    bad = client.get("/api/v1/insights", params={"weeks": 7})
    assert bad.status_code == 422 and "weeks" in bad.text


def test_the_cli_prints_words_and_json(cli: Any) -> None:
    words = cli("insights")
    assert words.exit_code == 0 and "Not enough data yet" in words.stdout
    data = json.loads(cli("insights", "--weeks", "52", "--json").stdout)
    assert data["weeks"] == 52 and data["empty"] is True
    bad = cli("insights", "--weeks", "3")
    assert bad.exit_code == 2 and "weeks: must be one of 4, 12, 52" in bad.stderr
