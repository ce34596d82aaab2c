"""The lexicon test table: every name in tests/data/drug_names.csv, read through the same path as
`mitra check-interactions` (services.interactions.read_name), has its expected classes, the
expected alert severity and state. The table was written from drug labels and reference pages
(the `basis` column), not from the lexicon; a miss here is a gap in the lexicon."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mitra.services.interactions import Reading, read_name

TABLE = Path(__file__).resolve().parents[2] / "data" / "drug_names.csv"
ROWS = list(csv.DictReader(TABLE.read_text(encoding="utf-8").splitlines()))
KINDS = {"generic", "brand", "misspelt", "street", "combination", "no_data", "unknown"}


def test_the_table_has_at_least_300_names_of_every_kind() -> None:
    assert len(ROWS) >= 300
    assert {row["kind"] for row in ROWS} == KINDS
    assert len({row["name"].casefold() for row in ROWS}) == len(ROWS)
    assert all(row["basis"] for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["name"] for row in ROWS])
def test_each_name_reads_as_its_expected_classes_and_severity(row: dict[str, str]) -> None:
    reading = read_name(row["name"])
    expected = set(filter(None, row["classes"].split(";")))
    if row["kind"] == "unknown":
        assert reading.state is Reading.UNKNOWN_NAME
        assert reading.severity is None
        return
    found = {c.klass.id for c in reading.classes}
    assert expected <= found, f"{row['name']}: expected {sorted(expected)}, read {sorted(found)}"
    assert reading.severity is not None and reading.severity.value == row["severity"]
    if row["kind"] == "no_data":
        assert reading.state is Reading.NO_INTERACTION_DATA
    else:
        assert reading.state is Reading.INTERACTION
