"""The clinician report: PDF read back with pdftotext (first page: header, footer, summary),
HTML sections chosen by the person, the web page, and no network while rendering."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.integration.sharing.seed import seed

from mitra.adapters.reports.pdf import refuse_network, render
from mitra.domain.activity import Status
from mitra.errors import ForbiddenError, InvalidInputError
from mitra.services import activity, reports
from mitra.services.context import Mitra

START, END = date(2026, 10, 27), date(2026, 11, 25)


def first_page(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return " ".join(done.stdout.split())


def test_the_pdf_first_page_has_header_footer_and_the_summary(
    mitra: Mitra, cli: Any, tmp_path: Path
) -> None:
    seed(mitra, days=30)
    out = tmp_path / "r.pdf"
    result = cli(
        "report", "--from", "2026-10-27", "--to", "2026-11-25", "--format", "pdf", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    text = first_page(out.read_bytes(), tmp_path)
    assert "Period: 2026-10-27 to 2026-11-25" in text
    assert re.search(r"Generated: \d{4}-\d\d-\d\d \d\d:\d\d GMT · Mitra 0\.1\.0", text)
    assert "Self-reported data; scores are monitoring, not diagnosis." in text
    assert "Conditions being managed Anxiety, Depression or low mood" in text
    assert (
        "PHQ-9 4 None- 2026-11-23 8 -4 (within measurement 2 minimal noise)" in text
    )  # wrapped cells
    assert activity.recent(mitra)[0].action == "report.pdf"


def test_sections_can_be_chosen(mitra: Mitra) -> None:
    seed(mitra, days=10)
    html = reports.report_bytes(mitra, START, END, "html", ["scores", "kratom"]).decode()
    assert "<h2>Questionnaire scores</h2>" in html and "<h2>Kratom use pattern</h2>" in html
    assert "Medications and other substances" not in html and "Appendix" not in html
    assert "7-OH products used: none recorded." in html


def test_a_7oh_product_is_flagged(mitra: Mitra) -> None:
    from mitra.domain.products import Product, ProductForm
    from mitra.services import journal

    product = journal.add_product(mitra, Product("Seven tabs", ProductForm.SEVEN_OH))
    assert product.id is not None
    journal.log_use(mitra, product_id=product.id, amount=1, unit="tablet")
    html = reports.report_bytes(mitra, START, END, "html", ["kratom"]).decode()
    assert '7-OH products used: <span class="flag">Seven tabs</span>' in html


def test_bad_periods_and_sections_are_refused_and_recorded(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="to: the end of the period is before its start"):
        reports.report_bytes(mitra, END, START, "html")
    with pytest.raises(InvalidInputError, match="sections: unknown gossip"):
        reports.report_bytes(mitra, START, END, "pdf", ["gossip"])
    record = activity.recent(mitra)[0]
    assert (record.action, record.status) == ("report.pdf", Status.FAILED)
    assert record.detail == "refused: 1 problem(s) at sections"


def test_rendering_never_fetches_from_the_network(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ForbiddenError):
        refuse_network("https://example.org/font.woff")
    refuse_network("data:text/plain,ok")
    html = '<html><body><img src="https://example.org/x.png"><p>ok</p></body></html>'
    assert render(html).startswith(b"%PDF")
    assert "the report may not fetch https: URLs" in caplog.text


def test_the_report_page_previews_and_downloads(
    mitra: Mitra, client: TestClient, tmp_path: Path
) -> None:
    seed(mitra, days=10)
    page = client.get("/report")
    assert page.status_code == 200 and 'formaction="/report/download"' in page.text
    query = "from=2026-11-15&to=2026-11-25&sections=scores&sections=kratom"
    preview = client.get(f"/report/preview?{query}")
    assert "Period: <strong>2026-11-15 to 2026-11-25</strong>" in preview.text
    pdf = client.get(f"/report/download?{query}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Kratom use pattern" in first_page(pdf.content, tmp_path)
