"""A taper plan in a real browser on a phone (issue 19): start a plan from a demo journal, log a
dose and see today's figures update, then a SOWS rise holds the plan. Uses tests/browser/
conftest.py's phone-sized `page` against a live `mitra serve` on `tmp_path / "data"`."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def demo_journal(data: Path) -> None:
    """`mitra demo` into the running server's journal (90 days of leaf use ending yesterday)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    env |= {"MITRA_DATA_DIR": str(data), "MITRA_TIMEZONE": "Europe/London"}
    subprocess.run(
        [sys.executable, "-m", "mitra", "demo"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def logged_so_far(page: Page) -> tuple[float, int]:
    text = page.locator("section.taper-today").inner_text()
    found = re.search(r"logged so far: ([0-9.]+) g in (\d+) dose", text)
    assert found, text
    return float(found.group(1)), int(found.group(2))


def take_sows(page: Page, answer: str) -> None:
    page.goto("/measures/sows")
    for number in range(1, 17):
        question = page.get_by_role("group", name=re.compile(f"^Question {number} of 16"))
        question.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/measures/responses/\d+$"))


def test_start_a_plan_log_a_dose_and_a_sows_rise_holds_it(page: Page, tmp_path: Path) -> None:
    demo_journal(tmp_path / "data")
    # The demo answers its own SOWS on dates that depend on today's date; without them the
    # 14-day median is the test's own first answer, whatever day the test runs.
    with sqlite3.connect(tmp_path / "data" / "mitra.db") as db:
        db.execute("DELETE FROM questionnaire_responses WHERE instrument_id = 'sows'")
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="More").click()
    page.get_by_role("link", name="Taper plan", exact=True).click()
    expect(page).to_have_url("/taper")
    expect(page.get_by_text("4.5 g of leaf a day")).to_be_visible()
    page.get_by_role("radio", name=re.compile("10 % of the current amount every 30 days")).check()
    page.get_by_role("button", name="Show the steps").click()
    expect(page.get_by_role("heading", name="The steps")).to_be_visible()
    expect(page.locator("table.steps tbody tr").nth(1)).to_contain_text("4.1 g")
    page.get_by_role("button", name="Save this plan").click()
    page.get_by_role("button", name="Start the plan today").click()
    expect(page.locator(".target")).to_contain_text("Target: 4.5 g in 2 doses")

    page.goto("/")
    before = logged_so_far(page)  # the demo journal has logged part of today already
    other = page.locator("details.other-amount")  # Home's compact form, folded under the buttons
    if other.get_attribute("open") is None:
        other.locator("summary").click()
    quick = page.locator("form.quicklog").filter(has_text="Red Bali")
    quick.get_by_label("Amount").fill("1.5")
    quick.get_by_role("button", name="Log now").click()
    page.goto("/")
    grams, doses = before[0] + 1.5, before[1] + 1
    expect(page.locator("section.taper-today")).to_contain_text(
        f"logged so far: {grams:g} g in {doses} dose"
    )

    take_sows(page, "Not at all")  # 0: the rolling baseline
    page.goto("/taper")
    expect(page.locator(".state")).to_have_text("active")
    take_sows(page, "A little")  # 16: 16 points over the median of the last 14 days
    page.goto("/taper")
    expect(page.locator(".state")).to_have_text("paused")
    expect(
        page.get_by_text(re.compile(r"by Mitra: Your SOWS was 16, 16 points above"))
    ).to_be_visible()
    page.screenshot(path=str(tmp_path / "taper-held.png"), full_page=True)


def test_i_used_again_pauses_the_plan_without_judgement(
    page: Page, browser: Browser, server_url: str, tmp_path: Path
) -> None:
    """During a plan: the "I used again" button, a confirm page in plain words, and the plan
    paused at the step it was on (no hold yet, so that step is the last tolerated one); the same
    page on a laptop."""
    demo_journal(tmp_path / "data")
    page.goto("/taper")
    page.get_by_role("radio", name=re.compile("10 % of the current amount every 30 days")).check()
    page.get_by_role("button", name="Show the steps").click()
    page.get_by_role("button", name="Save this plan").click()
    page.get_by_role("button", name="Start the plan today").click()
    page.get_by_role("link", name="I used again").click()
    expect(page).to_have_url("/taper/relapse")
    expect(page.get_by_text("Thank you for being honest about it.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "relapse-phone.png"), full_page=True)
    body = page.locator("main").inner_text().lower()
    assert "fail" not in body and "relapse" not in body
    page.get_by_label("Anything you want to keep with it (optional)").fill("a long weekend")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded, thank you for logging it.")
    expect(page.locator(".state")).to_have_text("paused")
    expect(page.locator(".target")).to_contain_text("Target: 4.5 g in 2 doses")
    expect(page.get_by_text(re.compile("recorded by person: a long weekend"))).to_be_visible()
    page.screenshot(path=str(tmp_path / "relapse-done-phone.png"), full_page=True)
    wide = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=server_url)
    laptop = wide.new_page()
    laptop.goto("/taper/relapse")
    expect(laptop.get_by_role("button", name="Record it")).to_be_visible()
    laptop.screenshot(path=str(tmp_path / "relapse-laptop.png"), full_page=True)
    wide.close()
    shots = os.environ.get("MITRA_SCREENSHOTS")
    if shots:
        for name in ("relapse-phone.png", "relapse-done-phone.png", "relapse-laptop.png"):
            Path(shots, name).write_bytes((tmp_path / name).read_bytes())
