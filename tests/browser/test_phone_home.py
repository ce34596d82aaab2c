"""Issue #17: re-logging the last dose from Home on a phone, in at most two taps, with Undo."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import PHONE, SIGNED_IN

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


def api(server_url: str, path: str, body: dict[str, object] | None = None) -> object:
    """The REST API as a script would call it, signed in with this server's cookie."""
    cookie = SIGNED_IN[server_url]
    request = urllib.request.Request(
        f"{server_url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Cookie": f"{cookie['name']}={cookie['value']}",
            "Content-Type": "application/json",
        },
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def add_product(page: Page, name: str, form: str) -> None:
    page.goto("/products/new")
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("combobox", name="Form", exact=True).select_option(form)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/products?saved=1")


def open_other_amount(page: Page) -> None:
    """Unfold "A different amount" (open by itself while no dose is there to repeat)."""
    details = page.locator("details.other-amount")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def log_other_amount(page: Page, product: str, amount: str) -> None:
    page.goto("/")
    open_other_amount(page)
    form = page.locator("form.quicklog").filter(has_text=product)
    form.get_by_role("textbox", name="Amount").fill(amount)
    form.get_by_role("button", name="Log now").click()


def uses(server_url: str) -> list[dict[str, object]]:
    found = api(server_url, "/api/v1/uses")
    assert isinstance(found, list)
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
def test_the_last_dose_is_re_logged_from_home_in_one_tap_above_the_fold_and_can_be_undone(
    browser: Browser, server_url: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, base_url=server_url)  # type: ignore[arg-type]
    page = context.new_page()
    add_product(page, "Green Caps", "capsule")
    page.goto("/")
    # A capsule product offers capsules, not grams.
    open_other_amount(page)
    unit = page.locator("form.quicklog").filter(has_text="Green Caps").get_by_role("combobox")
    expect(unit).to_have_value("capsule")
    log_other_amount(page, "Green Caps", "3")
    expect(page).to_have_url("/?logged=1#saved")
    expect(page.get_by_role("status")).to_contain_text("Saved: 3 capsule Green Caps")

    page.goto("/")  # later that day: one button repeats it
    again = page.get_by_role("button", name="Log 3 capsule Green Caps")
    box = again.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= viewport["height"]  # above the fold
    assert box["height"] >= 44
    again.click()  # tap 1

    expect(page).to_have_url("/?logged=2#saved")  # still on Home
    expect(page.get_by_role("status")).to_contain_text("Saved: 3 capsule Green Caps")
    found = uses(server_url)
    assert [(u["amount"], u["unit"]) for u in found] == [(3.0, "capsule"), (3.0, "capsule")]

    page.wait_for_timeout(10_000)  # Undo still works after ten seconds
    page.get_by_role("button", name="Undo").click()  # tap 2
    expect(page.get_by_role("status")).to_have_text("Undone: that use was deleted.")
    assert [u["id"] for u in uses(server_url)] == [1]
    context.close()


def test_a_shot_defaults_to_ml_and_powder_to_grams(page: Page) -> None:
    add_product(page, "Blue Shot", "tincture")
    add_product(page, "Red Bali", "leaf_powder")
    page.goto("/")
    units = {
        name: page.locator("form.quicklog").filter(has_text=name).get_by_role("combobox")
        for name in ("Blue Shot", "Red Bali")
    }
    expect(units["Blue Shot"]).to_have_value("ml")
    expect(units["Red Bali"]).to_have_value("g")
