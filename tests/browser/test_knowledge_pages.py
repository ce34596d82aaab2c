"""'What is known' in a real browser on a phone: search for "liver" from the index, open the
liver-risk page, and find its evidence table and linked sources. Uses tests/browser/conftest.py's
`page` (phone-sized, base URL of a live `mitra serve`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_searching_liver_from_the_nav_opens_the_liver_risk_page(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="More").click()
    page.get_by_role("link", name="What is known").click()
    expect(page).to_have_url("/knowledge")

    page.get_by_role("searchbox", name="Search what is known").fill("liver")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url("/knowledge/search?q=liver")
    expect(page.get_by_role("status")).to_have_text(
        "1 result for “liver”, best first (title matches first)."
    )
    page.get_by_role("link", name="Liver injury").click()

    expect(page).to_have_url("/knowledge/risks/liver")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liver injury")
    expect(page.locator(".grade")).to_contain_text("Evidence grade: Case report")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)  # header + one study
    expect(table.get_by_role("cell", name="85", exact=True)).to_be_visible()
    review = "Kratom (Mitragyna Speciosa) Liver Injury: A Comprehensive Review"
    expect(page.get_by_role("link", name=review)).to_have_count(2)
    expect(page.get_by_text("Sources (checked as of 2026-11-25):")).to_be_visible()


PAGES = [
    "/knowledge",
    "/knowledge/risks/liver",
    "/knowledge/legal?code=US-TX",
    "/knowledge/help?country=GB",
    "/knowledge/search?q=withdrawal",
]


def test_knowledge_pages_have_no_axe_accessibility_violations(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    axe, reports = Axe(), {}
    for path in PAGES:
        page.goto(path)
        results = axe.run(page)
        if results.violations_count:
            reports[path] = results.generate_report()

    assert reports == {}
