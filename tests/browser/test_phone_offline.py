"""Issue #17: installable and offline. Doses logged with the network gone wait on the device
(IndexedDB) and are sent when it is back: each stored once, with the time it was logged."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import PHONE, SIGNED_IN
from tests.browser.test_phone_home import add_product, api, open_other_amount

pytestmark = pytest.mark.browser

DOSES = 20


def log_offline(page: Page, amount: int) -> None:
    open_other_amount(page)
    form = page.locator("form.quicklog").filter(has_text="Green Caps")
    form.get_by_role("textbox", name="Amount").fill(str(amount))
    form.get_by_role("button", name="Log now").click()


def test_twenty_doses_logged_offline_are_stored_once_each_with_their_own_times(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    add_product(page, "Green Caps", "capsule")
    start = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0)
    page.clock.install(time=start - timedelta(minutes=1))
    page.goto("/")
    page.clock.pause_at(start)  # the page's clock stands still but for the five-minute steps

    context.set_offline(True)
    queue = page.locator("#offline-queue")
    for n in range(1, DOSES + 1):
        log_offline(page, n)
        expect(queue.locator("li")).to_have_count(n)
        page.clock.fast_forward("05:00")  # the next dose five minutes later
    expect(page).to_have_url("/")  # never left the page: nothing could be sent
    expect(queue).to_contain_text(
        "20 entries are saved on this device and waiting to be sent to Mitra (no connection now"
    )
    expect(queue.locator("li").first).to_contain_text("1 capsule Green Caps, saved at")
    assert api(server_url, "/api/v1/uses") == []

    waiting = page.evaluate("MitraQueue.list()")
    assert len({item["client_id"] for item in waiting}) == DOSES

    context.set_offline(False)  # back online: the page sends the queue by itself...
    page.evaluate("MitraQueue.replay()")  # ...and a second replay races it
    expect(queue).to_contain_text("Sent 20 entries saved while offline.", timeout=30_000)
    expect(queue.locator("li")).to_have_count(0)
    # A phone that lost the server's answers sends all twenty again: nothing is added.
    again = page.evaluate(
        "items => Promise.all(items.map(MitraQueue.add)).then(() => MitraQueue.replay())", waiting
    )
    assert (again["sent"], again["waiting"]) == (DOSES, [])

    stored = api(server_url, "/api/v1/uses?limit=100")
    assert isinstance(stored, list)
    got = sorted((datetime.fromisoformat(u["taken_at"]), u["amount"], u["unit"]) for u in stored)
    expected = [
        (start + timedelta(minutes=5 * (n - 1)), float(n), "capsule") for n in range(1, DOSES + 1)
    ]
    assert got == expected
    context.close()


def test_the_manifest_and_service_worker_make_it_installable(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    page = context.new_page()
    page.goto("/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/manifest.webmanifest"
    cookie = SIGNED_IN[server_url]
    request = urllib.request.Request(
        f"{server_url}{href}", headers={"Cookie": f"{cookie['name']}={cookie['value']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.read())
    assert (manifest["short_name"], manifest["display"], manifest["start_url"]) == (
        "Mitra",
        "standalone",
        "/",
    )
    assert [i["sizes"] for i in manifest["icons"]] == ["192x192", "512x512", "any"]
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).status == 200
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{server_url}/"
    context.close()


def test_a_check_in_saved_offline_is_sent_once_with_its_time(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    at = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    page.clock.install(time=at - timedelta(minutes=1))
    page.goto("/checkins/new")
    page.clock.pause_at(at)
    context.set_offline(True)
    page.get_by_role("group", name="Mood").locator("label.pick").filter(has_text="6").first.click()
    page.get_by_role("button", name="Save").click()
    queue = page.locator("#offline-queue")
    expect(queue.locator("li")).to_have_text([re.compile(r"^Check-in: mood 6, saved at ")])
    context.set_offline(False)
    expect(queue).to_contain_text("Sent 1 entry saved while offline.", timeout=30_000)
    stored = api(server_url, "/api/v1/checkins")
    assert isinstance(stored, list)
    assert [(c["mood"], datetime.fromisoformat(c["recorded_at"])) for c in stored] == [(6, at)]
    context.close()
