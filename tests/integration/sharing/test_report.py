"""The clinician report: PDF read back with pdftotext (first page: header, footer, summary),
HTML sections chosen by the person, the web page, and no network while rendering."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.integration.sharing.pdf import first_page
from tests.integration.sharing.seed import seed

from mitra.adapters.reports.pdf import refuse_network, render
from mitra.domain.activity import Status
from mitra.errors import ForbiddenError, InvalidInputError
from mitra.services import activity, reports
from mitra.services.context import Mitra

START, END = date(2026, 10, 27), date(2026, 11, 25)


def test_the_cli_report_needs_no_dates(mitra: Mitra, cli: Any, tmp_path: Path) -> None:
    """By default the last 90 whole days, or since the first entry if that is shorter (the CLI
    runs on the real clock, so the expected period comes from the same rule on that clock)."""
    seed(mitra, days=30)
    out = tmp_path / "r.pdf"
    result = cli("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    start, end = reports.default_period(Mitra(mitra.store, mitra.settings))
    assert f"{start} to {end}" in result.stdout
    text = first_page(out.read_bytes(), tmp_path)
    assert f"Period: {start} to {end}" in text
    assert re.search(r"Generated: \d{4}-\d\d-\d\d \d\d:\d\d GMT · Place: GB · Mitra 0\.1\.0", text)
    assert "Self-reported data; scores are monitoring, not diagnosis." in text
    assert "Conditions being managed: Anxiety, Depression or low mood" in text
    assert activity.recent(mitra)[0].action == "report.pdf"
    dated = cli("report", "--from", "2026-10-27", "--to", "2026-11-25", "-o", str(out))
    assert "2026-10-27 to 2026-11-25" in dated.stdout


def test_the_default_period_ends_yesterday_and_starts_at_the_first_entry(mitra: Mitra) -> None:
    assert reports.default_period(mitra) == (date(2026, 8, 27), date(2026, 11, 24))
    seed(mitra, days=30)
    first, last = reports.default_period(mitra)
    assert last == date(2026, 11, 24) and date(2026, 10, 25) <= first <= date(2026, 10, 27)
    assert reports.default_period(mitra, 7) == (date(2026, 11, 18), date(2026, 11, 24))


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
    assert 'value="2026-11-24"' in page.text  # the default period ends with the last whole day
    week = client.get("/report?days=30")
    assert 'value="2026-10-26"' in week.text and 'value="2026-11-24"' in week.text
    assert 'href="/report?days=365"' in week.text
    assert client.get("/report?days=31").status_code == 422
    query = "from=2026-11-15&to=2026-11-25&sections=scores&sections=kratom"
    preview = client.get(f"/report/preview?{query}")
    assert "Period: <strong>2026-11-15 to 2026-11-25</strong>" in preview.text
    pdf = client.get(f"/report/download?{query}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Kratom use pattern" in first_page(pdf.content, tmp_path)
