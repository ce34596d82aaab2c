"""The export codecs on their own: JSON layout and header checks, column decoding, and the
KratomTracker reader's per-line problems."""

from __future__ import annotations

import pytest

from mitra.adapters.export import json_format, kratomtracker
from mitra.adapters.export.codec import CellError, decode_row
from mitra.adapters.store import tables as t


def test_a_file_that_is_not_a_mitra_export_is_refused_with_the_reason() -> None:
    with pytest.raises(json_format.FormatError, match=r"not valid JSON \(line 1, column 2"):
        json_format.parse("{oops")
    with pytest.raises(json_format.FormatError, match="not a Mitra export"):
        json_format.parse('{"format": "other"}')
    with pytest.raises(json_format.FormatError, match="format version 9 is not one"):
        json_format.parse('{"format": "mitra-journal-export", "format_version": 9}')


def test_rows_reformatted_onto_many_lines_are_reported_by_row_not_line() -> None:
    text = (
        '{"format": "mitra-journal-export", "format_version": 1,\n'
        ' "tables": {"products": [\n  {\n   "id": 1\n  }\n ]}}'
    )
    assert json_format.parse(text).lines == {"products": [None]}


def test_columns_are_decoded_by_type_and_named_when_wrong() -> None:
    row = {"id": 1, "key": "x"}
    with pytest.raises(CellError) as caught:
        decode_row(t.preferences, row)
    assert (caught.value.column, caught.value.reason) == ("id", "is not a column of preferences")
    vital = {"id": 1, "measured_at": "2026-11-25T09:00:00", "tz": "UTC", "created_at": None}
    with pytest.raises(CellError, match="time must include a zone offset"):
        decode_row(t.vitals, vital)
    vital["measured_at"] = "2026-11-25T09:00:00Z"
    vital["heart_rate"] = 72.5
    with pytest.raises(CellError, match="must be a whole number"):
        decode_row(t.vitals, vital)


def test_the_tracker_reader_names_each_bad_line() -> None:
    text = (
        "date,time,iso_timestamp,strain_code,strain_name,amount_g,notes\n"
        "2026-11-20,08:30,,RB,,3,\n"
        "2026-13-01,08:30,,RB,Red,3,\n"
        "2026-11-20,8h,,RB,Red,3,\n"
        "2026-11-20,08:30,,RB,Red,lots,\n"
        "too,few\n"
    )
    rows, problems = kratomtracker.parse(text, "UTC")
    assert rows == []
    assert [(p.field, p.reason) for p in problems] == [
        ("line 2", "strain_name: is empty; each row needs the product (strain) name"),
        ("line 3", "date: not a date YYYY-MM-DD (and iso_timestamp is empty)"),
        ("line 4", "time: not a time HH:MM"),
        ("line 5", "amount_g: not a number"),
        ("line 6", "has 2 fields, not 7"),
    ]
    assert kratomtracker.parse("a,b\n", "UTC")[1][0].field == "line 1"
