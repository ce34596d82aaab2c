"""A password-protected clinician PDF opens only with its password (AES-256)."""

from __future__ import annotations

import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from tests.integration.sharing.seed import seed

from mitra.errors import InvalidInputError
from mitra.services import reports
from mitra.services.context import Mitra

START, END = date(2026, 10, 27), date(2026, 11, 25)
PASSWORD = "correct horse battery"


def pdftotext(path: Path, password: str | None) -> subprocess.CompletedProcess[str]:
    args = ["pdftotext", "-f", "1", "-l", "1"] + (["-upw", password] if password else [])
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, timeout=60)


def test_a_protected_pdf_needs_its_password_and_then_reads_normally(
    mitra: Mitra, tmp_path: Path
) -> None:
    seed(mitra, days=10)
    data = reports.report_bytes(mitra, START, END, "pdf", ["scores"], password=PASSWORD)
    reader = PdfReader(BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == 0
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    assert pdftotext(path, None).returncode != 0
    opened = pdftotext(path, PASSWORD)
    assert "Self-reported data; scores are monitoring, not diagnosis." in " ".join(
        opened.stdout.split()
    )


def test_short_passwords_and_protected_html_are_refused(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="password: use at least 8 characters"):
        reports.report_bytes(mitra, START, END, "pdf", ["scores"], password="short")
    with pytest.raises(InvalidInputError, match="only a PDF report can be password-protected"):
        reports.report_bytes(mitra, START, END, "html", ["scores"], password=PASSWORD)


def test_the_cli_asks_for_the_password_twice_without_echo(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = cli(
        "report",
        "--from",
        "2026-10-27",
        "--to",
        "2026-11-25",
        "-o",
        str(out),
        "--protect",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert PdfReader(BytesIO(out.read_bytes())).is_encrypted


def test_the_web_sends_the_password_in_the_body_and_returns_a_protected_pdf(
    client: TestClient,
) -> None:
    response = client.post(
        "/report/download",
        data={
            "from": "2026-10-27",
            "to": "2026-11-25",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert PdfReader(BytesIO(response.content)).is_encrypted
