"""Any entry a journal accepts can be found on the History page (issue 17): a dose dated 1995
is stored (times from 1990 on are accepted) and shown by going back with "Ending on" or the
"Earlier" link; a malformed date is refused on the page."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from mitra.domain.products import Product, ProductForm
from mitra.services import entries, journal
from mitra.services.context import Mitra


def test_an_old_dose_is_found_by_going_back(client: TestClient, mitra: Mitra) -> None:
    product = entries.add(
        mitra, entries.PRODUCTS, Product("Old red", ProductForm.LEAF_POWDER)
    ).entry
    journal.log_use(
        mitra,
        product_id=product.id or 0,
        amount=2.5,
        unit="g",
        taken_at=datetime(1995, 6, 1, 9, tzinfo=UTC),
    )
    assert "Old red" not in client.get("/history").text
    page = client.get("/history", params={"days": 30, "until": "1995-06-10"}).text
    assert "Old red" in page
    assert 'name="until" min="1990-01-01" value="1995-06-10"' in page
    assert 'href="/history?days=30&amp;until=1995-05-11">Earlier: the 30 days before</a>' in page
    refused = client.get("/history", params={"until": "June 1995"})
    assert refused.status_code == 422
    assert "&#39;June 1995&#39; is not a date YYYY-MM-DD" in refused.text
