"""Issue #17: the product form takes what labels print, with the unit chosen explicitly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def start_product(page: Page, number: str) -> None:
    page.goto("/products/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Red Bali")
    page.get_by_role("textbox", name="Number on the label").fill(number)


def test_a_bare_number_is_refused_and_a_percentage_is_shown_as_mg_per_g_before_saving(
    page: Page,
) -> None:
    start_product(page, "1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "label_unit: say what '1.5' is: % mitragynine, mg per g, mg per capsule, tablet or ml "
        "(1.5 % is 15 mg per g)"
    )
    expect(page.get_by_role("textbox", name="Number on the label")).to_have_value("1.5")

    page.get_by_role("combobox", name="What the number is").select_option("percent")
    page.get_by_role("button", name="Show the conversion").click()
    expect(page.locator(".label-note")).to_have_text(
        "Mitra will use 15 mg mitragynine per g of product (1.5 %): a 5 g dose is 75 mg."
    )
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/products?saved=1")

    page.goto("/uses/new")
    page.get_by_role("textbox", name="Amount", exact=True).fill("2")
    page.get_by_role("combobox", name="Unit", exact=True).fill("g")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("li.entry-uses .detail")).to_have_text("2 g leaf, 30 mg mitragynine")


def test_mg_per_capsule_sets_the_serving_unit_and_the_edit_form_shows_it_back(page: Page) -> None:
    start_product(page, "7")
    page.get_by_role("combobox", name="Form", exact=True).select_option("capsule")
    page.get_by_role("combobox", name="What the number is").select_option("mg_per_capsule")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/products?saved=1")
    page.goto("/products/1/edit")
    expect(page.get_by_role("textbox", name="Number on the label")).to_have_value("7")
    expect(page.get_by_role("combobox", name="What the number is")).to_have_value("mg_per_capsule")
    expect(page.get_by_role("combobox", name="What 'per unit' means")).to_have_value("capsule")


def test_a_number_with_its_own_percent_sign_is_refused(page: Page) -> None:
    start_product(page, "1.5%")
    page.get_by_role("combobox", name="What the number is").select_option("mg_per_g")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "label_amount: '1.5%': write the number only and choose its unit"
    )
