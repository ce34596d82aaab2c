"""The journal pages in a real browser on a phone-sized screen, against a live `mitra serve`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def add_red_bali(page: Page) -> None:
    """Add a leaf-powder product with a label (15 mg/g) and a 2.5 g scoop, through its form."""
    page.goto("/products/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Red Bali")
    page.get_by_role("combobox", name="Form", exact=True).select_option("leaf_powder")
    page.get_by_role("textbox", name="Number on the label").fill("15")
    page.get_by_role("combobox", name="What the number is").select_option("mg_per_g")
    page.get_by_role("textbox", name="Custom units with their weight").fill("scoop=2.5")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/products?saved=1")
    expect(page.get_by_role("cell", name="Red Bali", exact=True)).to_be_visible()


def quick_log(page: Page, amount: str, unit: str) -> None:
    """Log a use of Red Bali "now" from the home page's quick-log form; Home says it is saved."""
    page.goto("/")
    details = page.locator("details.other-amount")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = page.locator("form.quicklog").filter(has_text="Red Bali")
    form.get_by_role("textbox", name="Amount").fill(amount)
    form.get_by_role("combobox", name="Unit").select_option(unit)
    form.get_by_role("button", name="Log now").click()
    expect(page).to_have_url(re.compile(r"/\?logged=\d+#saved$"))
    expect(page.get_by_role("status")).to_contain_text(f"Saved: {amount} {unit} Red Bali")
    page.goto("/history?kind=uses")


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_on_a_phone_a_product_added_and_a_use_logged_from_home_shows_in_history_in_grams(
    page: Page,
) -> None:
    page.goto("/")
    expect(page.get_by_role("link", name="Add your first product")).to_be_visible()
    assert page_width(page) <= PHONE_WIDTH  # nothing forces sideways scrolling on a phone

    add_red_bali(page)
    quick_log(page, "2", "scoop")

    entry = page.locator("li.entry-uses")
    expect(entry).to_have_count(1)
    expect(entry.locator(".what")).to_have_text("2 scoop Red Bali")
    expect(entry.locator(".detail")).to_have_text("5 g leaf, 75 mg mitragynine")
    assert page_width(page) <= PHONE_WIDTH

    page.goto("/history")
    expect(page.locator("li.entry-uses .detail")).to_have_text("5 g leaf, 75 mg mitragynine")


def test_a_use_with_amount_minus_one_re_renders_the_form_with_the_error_beside_the_field(
    page: Page,
) -> None:
    add_red_bali(page)
    page.goto("/uses/new")
    page.get_by_role("textbox", name="Amount", exact=True).fill("-1")
    page.get_by_role("combobox", name="Unit", exact=True).fill("g")
    page.get_by_role("textbox", name="Note (optional)").fill("after lunch")

    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url("/uses/new")
    expect(page.get_by_role("alert")).to_contain_text("Please fix 1 problem:")
    expect(page.get_by_role("alert")).to_contain_text("amount: must be more than 0")
    amount = page.get_by_role("textbox", name="Amount", exact=True)
    expect(amount).to_have_value("-1")
    expect(amount).to_have_attribute("aria-invalid", "true")
    beside = page.locator(".field.invalid", has=page.locator("#f-amount")).locator("p.error")
    expect(beside).to_have_text("must be more than 0")
    expect(amount).to_have_accessible_description("must be more than 0")
    expect(page.get_by_role("combobox", name="Unit", exact=True)).to_have_value("g")
    expect(page.get_by_role("textbox", name="Note (optional)")).to_have_value("after lunch")
    expect(page.get_by_role("combobox", name="Product", exact=True)).to_have_value("1")

    page.goto("/history")
    expect(page.get_by_text("Nothing logged in this period.")).to_be_visible()


def test_deleting_from_history_asks_for_confirmation_then_the_entry_is_gone(page: Page) -> None:
    add_red_bali(page)
    quick_log(page, "3", "g")
    page.goto("/history")
    expect(page.locator("li.entry-uses .what")).to_have_text("3 g Red Bali")

    page.get_by_role("link", name="Delete 3 g Red Bali").click()
    expect(page).to_have_url("/uses/1/delete")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this kratom use?")
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(page).to_have_url("/history?kind=uses")
    expect(page.locator("li.entry-uses")).to_have_count(1)

    page.get_by_role("link", name="Delete 3 g Red Bali").click()
    page.get_by_role("button", name="Yes, delete it").click()

    expect(page).to_have_url("/history?kind=uses&deleted=1")
    expect(page.get_by_role("status")).to_have_text("Deleted.")
    expect(page.locator("li.entry")).to_have_count(0)
    expect(page.get_by_text("Nothing logged in this period.")).to_be_visible()
    page.goto("/uses/1/delete")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
