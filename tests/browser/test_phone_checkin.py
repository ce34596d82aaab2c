"""Issue #17: the daily check-in is five rows of tappable 0–10 choices; no keyboard needed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from tests.browser.conftest import PHONE
from tests.browser.test_phone_home import DESKTOP, api

pytestmark = pytest.mark.browser

TAPS = {"Mood": "7", "Anxiety": "3", "Pain": "0", "Sleep quality": "10", "Craving for kratom": "2"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
def test_a_check_in_is_six_taps_and_no_typing(
    browser: Browser, server_url: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        base_url=server_url,
        has_touch=True,
    )
    page = context.new_page()
    page.goto("/checkins/new")
    for legend, value in TAPS.items():
        row = page.get_by_role("group", name=legend)
        choices = row.get_by_role("radio")
        expect(choices).to_have_count(12)  # 0 to 10, and "not rated"
        target = row.locator("label.pick").filter(has_text=value).first
        box = target.bounding_box()
        assert box is not None
        assert box["width"] >= 44 and box["height"] >= 44
        target.tap()
        expect(row.get_by_role("radio", name=value, exact=True)).to_be_checked()
    page.get_by_role("button", name="Save").tap()
    expect(page).to_have_url("/history?kind=checkins&saved=1")
    stored = api(server_url, "/api/v1/checkins")
    assert isinstance(stored, list)
    assert [(c["mood"], c["anxiety"], c["pain"], c["sleep"], c["craving"]) for c in stored] == [
        (7, 3, 0, 10, 2)
    ]
    context.close()
