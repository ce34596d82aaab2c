"""GET /api/v1/interactions reads names exactly as `mitra check-interactions --json` does."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

TABLE = Path(__file__).resolve().parents[2] / "data" / "drug_names.csv"
ROWS = list(csv.DictReader(TABLE.read_text(encoding="utf-8").splitlines()))
# one name of every kind in the lexicon table, plus every 25th row
SAMPLE = sorted(
    {next(r["name"] for r in ROWS if r["kind"] == kind) for kind in {r["kind"] for r in ROWS}}
    | {r["name"] for r in ROWS[::25]}
)


def test_the_api_and_the_cli_read_a_sample_of_the_table_the_same_way(
    client: TestClient, cli: Callable[..., Any]
) -> None:
    answer = client.get("/api/v1/interactions", params=[("name", n) for n in SAMPLE])
    assert answer.status_code == 200, answer.text
    from_cli = json.loads(cli("check-interactions", *SAMPLE, "--json").output)
    assert answer.json() == from_cli
    expected = {r["name"]: r for r in ROWS}
    for reading in answer.json():
        row = expected[reading["name"]]
        assert reading["severity"] == (row["severity"] or None)
        assert set(filter(None, row["classes"].split(";"))) <= {c["id"] for c in reading["classes"]}


def test_a_combination_product_lists_every_ingredient_and_takes_the_most_severe_class(
    client: TestClient,
) -> None:
    [reading] = client.get("/api/v1/interactions", params={"name": "Fioricet with codeine"}).json()
    assert reading["ingredients"] == ["fioricet", "codeine"]
    assert reading["state"] == "interaction" and reading["severity"] == "urgent"
    assert [c["id"] for c in reading["classes"]] == [
        "strong_depressants",
        "opioids",
        "cyp2d6_substrates",
    ]


def test_no_name_is_refused_with_the_field_named(client: TestClient) -> None:
    answer = client.get("/api/v1/interactions")
    assert answer.status_code == 422
    assert "name" in answer.text
