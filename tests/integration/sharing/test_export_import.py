"""JSON and CSV export, all-or-nothing import (Mitra JSON and KratomTracker CSV), and the round
trip export -> import into an empty journal -> export."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import NOW
from tests.integration.sharing.seed import seed

from mitra.adapters.store.engine import Store, build_engine
from mitra.domain.activity import Status
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import activity, exports, imports, journal
from mitra.services.context import Mitra
from mitra.settings import Settings

TRACKER = (
    "date,time,iso_timestamp,strain_code,strain_name,amount_g,notes\n"
    "2026-11-20,08:30,,RB,Red Bali,3.5,morning\n"
    "2026-11-20,14:00,2026-11-20T14:00:00+00:00,RB,Red Bali,2,\n"
    '2026-11-21,09:15,,GMD,Green Maeng Da,4,"with, comma"\n'
)


@pytest.fixture
def empty_journal(
    settings_factory: Callable[..., Settings], tmp_path: Path, sqlite_template: Path
) -> Mitra:
    import shutil

    path = tmp_path / "other" / "mitra.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    other = settings_factory(database_url=f"sqlite:///{path}")
    return Mitra(Store(build_engine(other.resolved_database_url)), other, lambda: NOW)


def test_json_export_holds_every_table_with_one_row_per_line(mitra: Mitra, tmp_path: Path) -> None:
    seed(mitra)
    done = exports.export_json(mitra, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == "mitra-journal-export" and data["format_version"] == 1
    assert set(data["tables"]) >= {
        "preferences",
        "products",
        "use_events",
        "checkins",
        "medications",
        "adverse_effects",
        "vitals",
        "questionnaire_responses",
        "activity",
    }
    assert done.counts["products"] == 4 and done.counts["questionnaire_responses"] == 3
    first_use = data["tables"]["use_events"][0]
    assert first_use["taken_at"].endswith("Z")
    assert f"      {json.dumps(first_use, ensure_ascii=False)}," in text.splitlines()
    assert "Ünïcødé" in text


def test_round_trip_gives_the_same_export_after_normalisation(
    mitra: Mitra, empty_journal: Mitra, tmp_path: Path
) -> None:
    seed(mitra)
    first, _ = exports.json_text(mitra)
    (tmp_path / "a.json").write_text(first, encoding="utf-8")
    imported = imports.import_file(empty_journal, tmp_path / "a.json")
    second, _ = exports.json_text(empty_journal)
    assert imported.counts["use_events"] > 0
    assert exports.normalised(second) == exports.normalised(first)
    assert second != first  # the import's own activity record is the difference


def test_a_bad_row_is_reported_by_line_and_nothing_is_written(
    mitra: Mitra, empty_journal: Mitra, tmp_path: Path
) -> None:
    seed(mitra)
    text, _ = exports.json_text(mitra)
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "Ünïcødé" in line)
    lines[target] = lines[target].replace('"mood": 6', '"mood": 11')
    position = len(json.loads(text)["tables"]["checkins"])  # the seeded note is the last check-in
    (tmp_path / "bad.json").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        imports.import_file(empty_journal, tmp_path / "bad.json")
    assert caught.value.problems[0].field == f"line {target + 1} (checkins row {position})"
    assert "mood: must be a whole number from 0 to 10, got 11" in caught.value.problems[0].reason
    assert journal.list_products(empty_journal) == []
    record = activity.recent(empty_journal)[0]
    assert (record.action, record.status) == ("import.json", Status.FAILED)
    assert "line" in record.detail and "11" not in record.detail.replace("line", "")


def test_a_mitra_export_is_refused_by_a_journal_with_entries(mitra: Mitra, tmp_path: Path) -> None:
    seed(mitra, days=3)
    exports.export_json(mitra, tmp_path / "a.json")
    with pytest.raises(ConflictError, match="empty journal only"):
        imports.import_file(mitra, tmp_path / "a.json")


def test_non_utf8_input_gets_a_clear_error(mitra: Mitra, tmp_path: Path) -> None:
    (tmp_path / "latin1.csv").write_bytes("date,notes\ncafé".encode("latin-1"))
    with pytest.raises(InvalidInputError, match=r"file: is not UTF-8 text \(byte 0xe9"):
        imports.import_file(mitra, tmp_path / "latin1.csv")
    assert activity.recent(mitra)[0].status is Status.FAILED


def test_kratomtracker_csv_creates_products_by_name_and_logs_grams(
    mitra: Mitra, tmp_path: Path
) -> None:
    (tmp_path / "kt.csv").write_text(TRACKER, encoding="utf-8")
    done = imports.import_file(mitra, tmp_path / "kt.csv")
    assert done.counts == {"products": 2, "use_events": 3}
    names = sorted(p.name for p in journal.list_products(mitra))
    assert names == ["Green Maeng Da", "Red Bali"]
    from mitra.services import entries

    uses = entries.list_all(mitra, entries.USES)
    assert sorted(u.grams_leaf or 0 for u in uses) == [2.0, 3.5, 4.0]
    assert {u.note for u in uses} == {"morning", "", "with, comma"}
    morning = next(u for u in uses if u.note == "morning")
    assert morning.taken_at.isoformat() == "2026-11-20T08:30:00+00:00"  # London is on UTC in Nov


def test_kratomtracker_rows_are_all_checked_before_anything_is_written(
    mitra: Mitra, tmp_path: Path
) -> None:
    bad = TRACKER + "2026-11-22,10:00,,X,Ghost,-1,\n2099-01-01,10:00,,RB,Red Bali,2,\n"
    (tmp_path / "kt.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        imports.import_file(mitra, tmp_path / "kt.csv")
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("line 5", "amount_g: must be more than 0"),
        ("line 6", "taken_at: time is in the future; log it when it has happened"),
    ]
    assert journal.list_products(mitra) == []


def test_csv_export_writes_one_utf8_file_per_table_into_a_zip(mitra: Mitra, tmp_path: Path) -> None:
    seed(mitra, days=3)
    exports.export_csv(mitra, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        names = set(archive.namelist())
        checkins = archive.read("checkins.csv").decode("utf-8")
    assert {"products.csv", "use_events.csv", "activity.csv", "preferences.csv"} <= names
    rows = list(csv.DictReader(io.StringIO(checkins)))
    assert list(rows[0]) == [
        "id",
        "recorded_at",
        "tz",
        "mood",
        "anxiety",
        "pain",
        "sleep",
        "craving",
        "note",
        "created_at",
        "version",
        "client_id",  # an offline-queued check-in's id (#17); empty for the rest
    ]
    assert rows[-1]["note"] == 'Ünïcødé, "quoted"\nline'
    assert rows[-1]["recorded_at"] == "2026-11-25T09:00:00Z"


def test_csv_export_to_a_folder_writes_named_files(mitra: Mitra, tmp_path: Path) -> None:
    seed(mitra, days=2)
    done = exports.export_csv(mitra, tmp_path / "folder")
    assert (tmp_path / "folder" / "products.csv").read_text(encoding="utf-8").startswith("id,name,")
    assert len(done.paths) == len(done.counts)


def test_an_offline_entrys_client_id_survives_export_and_import(
    mitra: Mitra, empty_journal: Mitra, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from mitra.domain.journal import CheckIn
    from mitra.services import entries

    at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    entries.add(mitra, entries.CHECKINS, CheckIn(at, "UTC", mood=5), "phone-0001")
    exports.export_json(mitra, tmp_path / "a.json")
    imports.import_file(empty_journal, tmp_path / "a.json")
    again = entries.add(empty_journal, entries.CHECKINS, CheckIn(at, "UTC", mood=9), "phone-0001")
    assert again.entry.mood == 5
    assert len(entries.list_all(empty_journal, entries.CHECKINS)) == 1
