"""Safety alerts in a real browser on a phone: an overdose sign logged after a 7-OH product (with
nothing else on the medicine list, and with an opioid blocker listed) shows an urgent banner on
the page where the entry was saved, with naloxone advice and an emergency number to tap."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mitra.adapters.store import repositories as repo
from mitra.adapters.store.engine import Store, build_engine

pytestmark = pytest.mark.browser


def live_in_the_us(data: Path) -> None:
    """The onboarding answer 'US', written straight into the running server's journal file."""
    engine = build_engine(f"sqlite:///{data / 'mitra.db'}")
    with Store(engine).write() as conn:
        repo.set_preference(conn, "country", "US")
    engine.dispose()


def add_seven_oh_and_take_it(page: Page) -> None:
    page.goto("/products/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Seven Tabs")
    page.get_by_role("combobox", name="Form", exact=True).select_option("seven_oh")
    page.get_by_role("button", name="Save").click()
    page.goto("/")
    form = page.locator("form.quicklog").filter(has_text="Seven Tabs")
    form.get_by_role("textbox", name="Amount").fill("1")
    form.get_by_role("combobox", name="Unit").select_option("g")
    form.get_by_role("button", name="Log now").click()


def log_effect(page: Page, what: str) -> None:
    page.goto("/effects/new")
    page.get_by_role("combobox", name="Effect").select_option("other")
    page.get_by_role("textbox", name="If other: what").fill(what)
    page.get_by_role("group", name="Severity (0 – 10)").get_by_role("radio", name="8").check()
    page.get_by_role("button", name="Save").click()


def add_medication(page: Page, name: str) -> None:
    page.goto("/medications/new")
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("button", name="Save").click()


def expect_overdose_banner(page: Page) -> None:
    banner = page.locator("section.alert-banner")
    alert = banner.locator(".alert-urgent").filter(has_text="Possible overdose signs")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Naloxone (for example Narcan nasal spray)")
    expect(alert).to_contain_text("without a prescription")
    call = alert.get_by_role("link", name="911").first
    expect(call).to_have_attribute("href", "tel:911")
    box = call.bounding_box()
    assert box is not None and box["width"] > 0  # on screen, so it can be tapped


def test_slow_breathing_after_7oh_alone_shows_the_urgent_banner_where_it_was_saved(
    page: Page, tmp_path: Path
) -> None:
    page.goto("/")
    live_in_the_us(tmp_path / "data")
    add_seven_oh_and_take_it(page)
    log_effect(page, "slow breathing")
    expect(page).not_to_have_url("/effects/new")
    expect_overdose_banner(page)
    page.goto("/alerts")
    expect(page.get_by_role("heading", name="urgent Possible overdose signs")).to_be_visible()


def test_an_opioid_blocker_on_the_list_and_blue_lips_after_7oh_show_the_same_advice(
    page: Page, tmp_path: Path
) -> None:
    page.goto("/")
    live_in_the_us(tmp_path / "data")
    add_medication(page, "naltrexone")
    add_seven_oh_and_take_it(page)
    log_effect(page, "blue lips, could not wake up")
    expect_overdose_banner(page)
    page.goto("/alerts")
    blocker = page.locator("article").filter(has_text="Opioid blocker")
    expect(blocker).to_contain_text("naltrexone")
    expect(blocker).to_contain_text("Naloxone (for example Narcan nasal spray)")
