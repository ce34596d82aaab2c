"""Issue #17: dark mode follows the device unless Settings says otherwise; discreet mode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

LIGHT_BG = "rgb(251, 251, 248)"
DARK_BG = "rgb(21, 24, 27)"


def background(page: Page) -> str:
    colour: str = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return colour


def choose(page: Page, theme: str, discreet: bool | None = None) -> None:
    page.goto("/settings")
    page.get_by_role("group", name="Colours").get_by_role("radio", name=theme).check()
    box = page.get_by_role("checkbox", name="Discreet mode", exact=False)
    if discreet is not None:
        box.set_checked(discreet)
    page.locator("form[action='/settings/appearance']").get_by_role("button", name="Save").click()
    expect(page).to_have_url("/settings?look=1#look")


@pytest.mark.parametrize("device", ["light", "dark"])
def test_the_device_decides_until_a_theme_is_chosen(
    browser: Browser, server_url: str, device: str
) -> None:
    context = browser.new_context(
        viewport=PHONE,
        base_url=server_url,
        color_scheme=device,  # type: ignore[arg-type]
    )
    page = context.new_page()
    page.goto("/")
    assert background(page) == (DARK_BG if device == "dark" else LIGHT_BG)
    other = "Light" if device == "dark" else "Dark"
    choose(page, other)
    page.goto("/")
    assert background(page) == (LIGHT_BG if other == "Light" else DARK_BG)
    choose(page, "Same as this device")
    page.goto("/")
    assert background(page) == (DARK_BG if device == "dark" else LIGHT_BG)
    context.close()


def test_discreet_mode_uses_a_neutral_name_icon_and_calendar_and_hides_in_one_tap(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    page = context.new_page()
    page.goto("/onboarding")
    page.get_by_role("radio", name="Yes", exact=True).check()  # regular use: the checklist's due
    page.locator("main form").get_by_role("button").last.click()
    assert "Kratom use" in page.request.get("/measures/calendar.ics").text()
    page.goto("/")
    expect(page).to_have_title("Home · Mitra")
    choose(page, "Same as this device", discreet=True)

    page.goto("/")
    expect(page).to_have_title("Journal")
    expect(page.get_by_role("banner").get_by_role("link").first).to_have_text("Journal")
    manifest = page.request.get("/manifest.webmanifest").json()
    assert (manifest["name"], manifest["short_name"]) == ("Journal", "Journal")
    assert {i["src"] for i in manifest["icons"]} == {
        "/static/icons/neutral-192.png",
        "/static/icons/neutral-512.png",
        "/static/icons/neutral.svg",
    }
    ics = page.request.get("/measures/calendar.ics")
    assert ics.headers["content-disposition"] == 'attachment; filename="journal.ics"'
    text = ics.text()
    assert "SUMMARY:Journal: check-in" in text
    for word in ("kratom", "Kratom", "Mitra", "mitra", "PHQ", "opioid", "withdrawal"):
        assert word not in text

    page.get_by_role("link", name="Hide").click()
    expect(page).to_have_url("/hide")
    expect(page).to_have_title("Notes")
    expect(page.locator("body")).to_have_text(re.compile(r"^\s*Notes\s+No notes yet\.\s+Open\s*$"))
    context.close()
