"""The report page in a real browser: the PDF downloads, and its first page reads as a report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_report_pdf_downloads_and_its_first_page_has_the_header(
    page: Page, tmp_path: Path
) -> None:
    page.goto("/report")
    page.get_by_label("From").fill("2026-01-01")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download PDF").click()
    target = tmp_path / "report.pdf"
    caught.value.save_as(target)
    done = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(target), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    text = " ".join(done.stdout.split())
    assert "Self-monitoring report for a clinician" in text
    assert "Period: 2026-01-01 to" in text
    assert "Self-reported data; scores are monitoring, not diagnosis." in text
