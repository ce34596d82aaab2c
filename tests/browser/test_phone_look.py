"""Issue #17: dark mode follows the device unless Settings says otherwise; discreet mode."""

from __future__ import annotations

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
