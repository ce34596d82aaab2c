"""The PHQ-9 in a real browser on a phone: one question per screen, keyboard only, and an item-9
answer above 0 lands on the crisis page before the result. Uses tests/browser/conftest.py's
`page` (phone-sized, base URL of a live `mitra serve`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ANSWERS = ["Not at all"] * 8 + ["Several days"]


def onboard_in_gb(page: Page) -> None:
    page.goto("/onboarding")
    page.get_by_role("checkbox", name="Depression or low mood").check()
    page.get_by_role("combobox", name=re.compile("Country or region")).fill("GB")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/onboarding?saved=1")


def test_phq9_with_item9_above_zero_lands_on_the_crisis_page_first(page: Page) -> None:
    onboard_in_gb(page)
    page.goto("/measures")
    page.get_by_role("link", name="Patient Health Questionnaire-9").click()
    expect(page).to_have_url("/measures/phq9")
    for number, answer in enumerate(ANSWERS, start=1):
        question = page.get_by_role("group", name=re.compile(f"^Question {number} of 9"))
        question.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/crisis\?response=\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have to face this alone")
    expect(page.get_by_text("Call Samaritans", exact=True)).to_be_visible()
    expect(page.locator('.crisis-now a[href="tel:999"]')).to_be_visible()
    page.get_by_role("link", name="Continue to your result").click()
    expect(page).to_have_url(re.compile(r"/measures/responses/\d+$"))
    expect(page.locator(".score")).to_contain_text("1 out of 27: None-minimal")


def test_on_a_phone_one_tap_per_answer_brings_the_next_question_into_view(page: Page) -> None:
    page.goto("/measures/gad7")
    first = page.get_by_role("group", name=re.compile("^Question 1 of 7"))
    second = page.get_by_role("group", name=re.compile("^Question 2 of 7"))
    expect(first).to_be_in_viewport()
    expect(second).not_to_be_in_viewport(ratio=1)
    first.get_by_text("Several days").click()  # one tap: answered, and the next one shows
    expect(second).to_be_in_viewport(ratio=1)
    expect(first.get_by_role("radio", name="Several days")).to_be_checked()
    box = first.get_by_text("Several days").locator("xpath=..").bounding_box()
    assert box is not None
    assert box["height"] >= 44


def test_the_form_works_with_the_keyboard_alone(page: Page) -> None:
    page.goto("/measures/peg")
    question = page.get_by_role("group", name=re.compile("^Question 1 of 3"))
    question.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowRight")  # radios: arrow keys move and check
    expect(question.get_by_role("radio", checked=True)).to_have_count(1)
    expect(question.get_by_role("radio").nth(1)).to_be_checked()
