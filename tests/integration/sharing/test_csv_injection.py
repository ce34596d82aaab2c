"""#15 item 8: cells that a spreadsheet would run as formulas are neutralised in every CSV Mitra
writes, including text that arrived through a KratomTracker import; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from mitra.adapters.export.csv_format import cell, neutralised, table_text, unescape_cell
from mitra.services import entries, exports, imports
from mitra.services.context import Mitra

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_cell_that_could_start_a_formula_gets_a_quote_in_front(text: str) -> None:
    assert cell(text) == "'" + text
    assert unescape_cell(cell(text)) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [(-2.5, "-2.5"), (-3, "-3"), (0.0, "0.0"), ("plain", "plain"), ("'quoted", "''quoted")],
)
def test_numbers_stay_as_they_are_and_a_leading_quote_is_doubled(
    value: object, written: str
) -> None:
    assert cell(value) == written


@pytest.mark.parametrize("text", ["", "'", "''x", "a=b", *HOSTILE])
def test_unescape_reverses_neutralised_exactly(text: str) -> None:
    assert unescape_cell(neutralised(text)) == text


def test_table_text_neutralises_text_and_leaves_negative_numbers() -> None:
    text = table_text(["name", "delta"], [{"name": "=1+1", "delta": -4.0}])
    assert list(csv.reader(io.StringIO(text))) == [["name", "delta"], ["'=1+1", "-4.0"]]


def read_zip_table(data: bytes, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(f"{name}.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_kratomtracker_import_cannot_plant_a_formula_in_a_later_csv_export(
    mitra: Mitra,
) -> None:
    lines = ["date,time,iso_timestamp,strain_code,strain_name,amount_g,notes"]
    lines.append('2026-11-20,08:00,,R,"=HYPERLINK(""http://evil.example"")",2,@SUM(1+1)')
    lines.append("2026-11-21,08:00,,R,Green Maeng Da,1.5,-1+2")
    imports.import_bytes(mitra, ("\n".join(lines) + "\n").encode())
    entries.save(mitra, "checkins", {"mood": 5, "note": "+44 call me"})
    data = exports.csv_download(mitra)
    products = {row["name"] for row in read_zip_table(data, "products")}
    notes = [row["note"] for row in read_zip_table(data, "use_events")]
    checkin = read_zip_table(data, "checkins")[0]
    assert products == {'\'=HYPERLINK("http://evil.example")', "Green Maeng Da"}
    assert sorted(notes) == ["'-1+2", "'@SUM(1+1)"]
    assert checkin["note"] == "'+44 call me"
    assert checkin["mood"] == "5"
