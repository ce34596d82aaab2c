"""#15 item 9: hostile or oversized import files each get a one-line reason and exit 2, with
nothing written; old-Mac CR line endings are read as CSV; size and row limits are settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mitra.interfaces.cli.app import make_app
from mitra.services import entries
from mitra.services.context import Mitra
from mitra.settings import Settings

HEADER = "date,time,iso_timestamp,strain_code,strain_name,amount_g,notes"
AT = "2026-11-20T08:00:00Z"


def checkin(entry_id: Any) -> dict[str, Any]:
    return {"id": entry_id, "recorded_at": AT, "tz": "UTC", "mood": 5, "created_at": AT}


def export_text(tables: dict[str, list[Any]]) -> str:
    header = {"format": "mitra-journal-export", "format_version": 1, "mitra_version": "0.1.0"}
    return json.dumps({**header, "schema_revision": "0005", "exported_at": AT, "tables": tables})


def one_line_refusal(result: Any) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "internal error" not in result.stderr
    text: str = lines[0]
    return text


def stored(mitra: Mitra) -> tuple[int, int]:
    """(use events, check-ins) in the journal."""
    return len(entries.list_all(mitra, entries.USES)), len(
        entries.list_all(mitra, entries.CHECKINS)
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            export_text({"checkins": [checkin(7), checkin(7)]}),
            "error: checkins: id 7 appears 2 times",
        ),
        ("[" * 100_000 + "]" * 100_000, "error: file: nested far more deeply than any Mitra"),
        (
            export_text({"checkins": [checkin(2**64)]}),
            "error: checkins row 1: id: is out of range (whole numbers here go up to 2147483647)",
        ),
        (
            export_text({"checkins": [checkin(1)]}).replace('"id": 1', '"id": ' + "9" * 5001),
            "error: file: holds a number with thousands of digits; not a Mitra export",
        ),
        (
            f"{HEADER}\n2026-11-20,08:00,,R,Red,2,{'x' * 200_000}\n",
            "error: line 2: a field is longer than 131072 characters; this is not a tracker",
        ),
    ],
    ids=["duplicate-ids", "deep-nesting", "id-beyond-64-bits", "5001-digits", "huge-csv-field"],
)
def test_a_hostile_import_file_gets_one_line_and_exit_2_and_writes_nothing(
    cli: Callable[..., Any], mitra: Mitra, tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(content, encoding="utf-8")
    assert one_line_refusal(cli("import", str(path))).startswith(reason)
    assert stored(mitra) == (0, 0)


def test_old_mac_cr_line_endings_are_read_as_a_tracker_csv(
    cli: Callable[..., Any], mitra: Mitra, tmp_path: Path
) -> None:
    path = tmp_path / "mac.csv"
    rows = [HEADER, "2026-11-20,08:00,,R,Red Bali,2,first", "2026-11-21,08:00,,R,Red Bali,3,"]
    path.write_bytes("\r".join(rows).encode() + b"\r")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "(kratomtracker)" in result.stdout
    assert stored(mitra) == (2, 0)


def limited_cli(settings: Settings, **limits: str) -> Callable[..., Any]:
    env = {
        "MITRA_DATABASE_URL": settings.resolved_database_url,
        "MITRA_TIMEZONE": "Europe/London",
        "MITRA_DATA_DIR": str(settings.data_dir),
        **{f"MITRA_{name.upper()}": value for name, value in limits.items()},
    }

    def run(*args: str) -> Any:
        return CliRunner().invoke(make_app(), list(args), env=env)

    return run


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    settings: Settings, mitra: Mitra, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "2026-11-20,08:00,,R,Red,2,\n" * 100)
    run = limited_cli(settings, max_import_bytes="1024")
    assert one_line_refusal(run("import", str(path))) == (
        "error: file: is 2,763 bytes; imports are limited to 1,024 bytes (MITRA_MAX_IMPORT_BYTES)"
    )
    assert stored(mitra) == (0, 0)


def test_a_file_over_the_row_limit_is_refused_and_nothing_is_written(
    settings: Settings, mitra: Mitra, tmp_path: Path
) -> None:
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(HEADER + "\n" + "2026-11-20,08:00,,R,Red,2,\n" * 3)
    json_path = tmp_path / "rows.json"
    json_path.write_text(export_text({"checkins": [checkin(1), checkin(2), checkin(3)]}))
    run = limited_cli(settings, max_import_rows="2")
    assert one_line_refusal(run("import", str(csv_path))) == (
        "error: file: the file has more than 2 rows; imports are limited to 2 rows "
        "(MITRA_MAX_IMPORT_ROWS)"
    )
    assert one_line_refusal(run("import", str(json_path))) == (
        "error: file: has 3 rows; imports are limited to 2 (MITRA_MAX_IMPORT_ROWS)"
    )
    assert stored(mitra) == (0, 0)


def test_a_tracker_file_longer_than_one_batch_is_written_whole(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    rows = [f"2026-{1 + i % 10:02d}-{1 + i % 28:02d},08:00,,R,Red,2,n{i}" for i in range(2_500)]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("2500") == 1


def test_a_bad_row_after_the_first_batch_rolls_every_row_back(
    cli: Callable[..., Any], mitra: Mitra, tmp_path: Path
) -> None:
    path = tmp_path / "late.csv"
    rows = [f"2026-{1 + i % 10:02d}-{1 + i % 28:02d},08:00,,R,Red,2,n{i}" for i in range(2_500)]
    rows.append("2026-11-20,08:00,,R,Red,-1,bad")
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    assert one_line_refusal(cli("import", str(path))) == (
        "error: line 2502: amount_g: must be more than 0"
    )
    assert stored(mitra) == (0, 0)


@pytest.mark.parametrize("target", ["missing.csv", "."])
def test_importing_a_missing_file_or_a_folder_is_a_one_line_error(
    cli: Callable[..., Any], tmp_path: Path, target: str
) -> None:
    path = tmp_path / target
    line = one_line_refusal(cli("import", str(path)))
    expected = (
        f"error: file: there is no file at {path}"
        if target != "."
        else f"error: file: {path} is a folder, not a file"
    )
    assert line == expected
