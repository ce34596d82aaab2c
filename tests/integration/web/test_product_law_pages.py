"""The product page's 7-OH law block and the legal page's dated history, through httpx."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.services import journal
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

TABS = Product(
    "Seven Tabs", ProductForm.SEVEN_OH, seven_oh_mg_per_unit=15, serving_unit=ServingUnit.TABLET
)


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def test_the_product_page_shows_each_places_verdict_with_its_rule_and_sources(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-MI")
    product = journal.add_product(mitra, TABS)

    html = client.get(f"/products/{product.id}/edit").text
    block = html.split('<section class="product-law"', 1)[1].split("</section>", 1)[0]

    assert "United States (federal): above a limit" in text(block)
    assert "Mitra has no 7-OH entry for Michigan, so the federal status applies there." in text(
        block
    )
    assert "a notice of intent, not final" in text(block)
    assert (
        "7-OH > 1 mg per item or serving (extracts, edibles and other processed products): above"
    ) in text(block)
    assert '<div class="verdict verdict-above">' in block
    assert "https://www.nutritionaloutlook.com/view/dea-to-temporarily-schedule-7-oh" in block
    assert html.index("</form>") < html.index('<section class="product-law"')


def test_a_leaf_product_page_has_no_7oh_block(client: TestClient, mitra: Mitra) -> None:
    product = journal.add_product(mitra, Product("Red Bali", ProductForm.LEAF_POWDER))
    assert "product-law" not in client.get(f"/products/{product.id}/edit").text


def test_the_legal_page_shows_the_history_and_the_federal_status_where_a_state_has_none(
    client: TestClient,
) -> None:
    page = text(client.get("/knowledge/legal?code=US-MI").text)
    assert (
        "Mitra has no 7-OH entry for Michigan, so the federal 7-OH status applies: restricted."
        in page
    )
    assert "Federal law also applies: United States (federal)" in page
    assert "History of 7-OH law in United States (federal)" in page
    assert "2026-07-01 — notice of intent (not final)" in page
    assert "Restricted: 7-OH > 1 mg per item or serving" in page
    florida = text(client.get("/knowledge/legal?code=US-FL").text)
    assert "History of 7-OH law in Florida" in florida
    assert "2025-12-08 — emergency rule" in florida
    assert "Replaces earlier limits; its terms were not seen." in florida


def test_the_home_page_gives_the_federal_7oh_status_where_the_state_has_none(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-MI")
    assert (
        "<p>Mitra has no 7-OH entry for Michigan, so the federal 7-OH status applies: "
        "restricted.</p>"
    ) in client.get("/").text


def test_a_banned_country_without_limits_reads_as_its_status_on_the_product_page(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="GB")
    product = journal.add_product(mitra, TABS)
    block = client.get(f"/products/{product.id}/edit").text.split('class="product-law"', 1)[1]
    assert "<h3>United Kingdom: 7-OH banned, no numeric limit recorded</h3>" in block
    assert "No numeric 7-OH limit is recorded for United Kingdom" in block
