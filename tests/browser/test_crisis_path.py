"""A new user on a phone (390×844): onboarding by place name, then a PHQ-9 with question 9
answered 1. The national line and the emergency number must be tappable `tel:` links inside the
first screen, on the crisis page and on the result page. Also: a refused place is re-asked with
the other answers kept, and the banner on other pages stays within three lines."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SCREEN_HEIGHT = 844
ANSWERS = ["Not at all"] * 8 + ["Several days"]


def place_box(page: Page) -> Locator:
    return page.get_by_role("combobox", name=re.compile("Country or region"))


def assert_above_the_fold(link: Locator) -> None:
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN_HEIGHT, box


def onboard(page: Page, typed: str) -> None:
    page.goto("/onboarding")
    page.get_by_role("checkbox", name="Depression or low mood").check()
    page.get_by_role("radio", name="No", exact=True).check()
    place_box(page).fill("XX")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("'XX' is not a place Mitra knows.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Depression or low mood")).to_be_checked()
    expect(page.get_by_role("radio", name="No", exact=True)).to_be_checked()
    expect(place_box(page)).to_have_value("XX")
    place_box(page).fill(typed)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/onboarding?saved=1")


def take_phq9(page: Page) -> None:
    page.goto("/measures/phq9")
    for number, answer in enumerate(ANSWERS, start=1):
        question = page.get_by_role("group", name=re.compile(f"^Question {number} of 9"))
        question.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="See my result").click()


@pytest.mark.parametrize(
    ("typed", "code", "line", "emergency"),
    [
        ("United Kingdom", "GB", "tel:116123", "tel:999"),
        ("Florida", "US-FL", "tel:988", "tel:911"),
    ],
)
def test_a_new_user_finds_the_national_line_and_emergency_number_in_the_first_screen(
    page: Page, typed: str, code: str, line: str, emergency: str
) -> None:
    onboard(page, typed)
    assert page.request.get("/api/v1/place").json()["code"] == code
    take_phq9(page)

    expect(page).to_have_url(re.compile(r"/crisis\?response=\d+$"))
    assert_above_the_fold(page.locator(f'.crisis-now a[href="{line}"]'))
    assert_above_the_fold(page.locator(f'.crisis-now a[href="{emergency}"]'))

    page.get_by_role("link", name="Continue to your result").click()
    expect(page).to_have_url(re.compile(r"/measures/responses/\d+$"))
    assert_above_the_fold(page.locator(f'.crisis-now a[href="{line}"]'))
    assert_above_the_fold(page.locator(f'.crisis-now a[href="{emergency}"]'))

    page.goto("/knowledge")
    banner = page.locator(".banner-crisis")
    assert_above_the_fold(banner.locator(f'a[href="{line}"]'))
    assert_above_the_fold(banner.locator(f'a[href="{emergency}"]'))
    line_height = float(banner.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    text_height = banner.evaluate("e => e.getBoundingClientRect().height")
    assert text_height <= 3 * line_height + 20  # three lines of text, plus padding and border
