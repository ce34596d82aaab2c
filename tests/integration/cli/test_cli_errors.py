"""#15 item 10 and #16's defects: ordinary mistakes give one line and exit 2, never "internal
error"; a report that could not be written is not recorded as written; user text with square
brackets is printed as it is, not read as Rich markup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mitra.domain.activity import Status
from mitra.interfaces.cli.app import make_app
from mitra.services import activity, entries, journal
from mitra.services.context import Mitra


def one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    text: str = lines[0]
    assert text.startswith("error: ")
    return text


def run_with(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(make_app(), list(args), env={"MITRA_TIMEZONE": "UTC", **env})


def test_a_report_into_a_missing_folder_is_an_error_and_is_recorded_as_failed(
    cli: Callable[..., Any], mitra: Mitra, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "dir" / "r.pdf"
    result = cli("report", "--from", "2026-11-01", "--to", "2026-11-25", "-o", str(target))
    assert one_line_error(result) == (
        "error: could not read or write the file: No such file or directory"
    )
    last = activity.recent(mitra)[0]
    assert (last.action, last.status) == ("report.pdf", Status.FAILED)
    assert last.detail == "file error: No such file or directory"
    assert not target.exists()


def test_mitra_data_dir_pointing_at_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    a_file = tmp_path / "journal.txt"
    a_file.write_text("not a folder")
    line = one_line_error(run_with({"MITRA_DATA_DIR": str(a_file)}, "history"))
    assert line == (
        f"error: invalid settings: MITRA_DATA_DIR: {a_file} is a file, not a folder; "
        "point it at a folder"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("nonsense", "is not a database URL; use sqlite:///path/to/mitra.db or"),
        ("mysql://u:pw@localhost/x", "the database 'mysql' is not supported;"),
        ("postgresql://u:pw@localhost/x", "the database 'postgresql' is not supported (write"),
        ("postgresql+asyncpg://u:pw@localhost/x", "the database 'postgresql+asyncpg' is not"),
    ],
)
def test_a_malformed_or_unsupported_database_url_is_a_one_line_error(
    tmp_path: Path, url: str, reason: str
) -> None:
    env = {"MITRA_DATA_DIR": str(tmp_path), "MITRA_DATABASE_URL": url}
    line = one_line_error(run_with(env, "history"))
    assert line.startswith(f"error: invalid settings: MITRA_DATABASE_URL: {reason}")


def test_an_argument_holding_a_lone_surrogate_is_a_one_line_error(
    cli: Callable[..., Any], mitra: Mitra
) -> None:
    line = one_line_error(cli("checkin", "--mood", "3", "--note", "bad \udcff bytes"))
    assert line == (
        "error: an argument is not valid text (it holds bytes that are not UTF-8); nothing was done"
    )
    assert journal.list_medications(mitra) == []


def test_serve_refuses_port_0_instead_of_silently_using_8000(cli: Callable[..., Any]) -> None:
    line = one_line_error(cli("serve", "--port", "0"))
    assert line.startswith("error: --port: must be from 1 to 65535, not 0")


def test_square_brackets_in_user_text_are_printed_not_read_as_markup(
    cli: Callable[..., Any], mitra: Mitra
) -> None:
    entries.save(mitra, "products", {"name": "Red [/] Bali", "form": "leaf_powder"})
    entries.save(mitra, "medications", {"name": "Sertraline [/]", "kind": "medication"})
    entries.save(
        mitra, "uses", {"product_id": 1, "amount": 2, "unit": "g", "note": "[bold]x[/bold]"}
    )
    products = cli("products")
    meds = cli("meds")
    history = cli("history")
    assert products.exit_code == 0, products.output
    assert "Red [/] Bali" in products.stdout
    assert meds.exit_code == 0, meds.output
    assert "Sertraline [/]" in meds.stdout
    assert history.exit_code == 0, history.output
    assert "Red [/] Bali" in history.stdout


def test_an_error_message_quoting_user_text_with_brackets_is_printed_whole(
    cli: Callable[..., Any], mitra: Mitra
) -> None:
    entries.save(mitra, "checkins", {"mood": 5})
    line = one_line_error(cli("edit", "checkins", "1", "--set", "[/]=red"))
    assert line.startswith("error: [/]: is not a field of checkins; fields: mood, anxiety")
