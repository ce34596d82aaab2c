"""Issue #20: the phone against a server-mode Mitra. A dose logged offline waits on the device
under the account it was logged in, survives the session ending meanwhile, is sent once after a
new sign-in (with that session's CSRF token), and never lands in another account's journal."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import PHONE
from tests.browser.test_phone_home import add_product, open_other_amount
from tests.servers import PASSWORD, add_account, server_env, server_mode

pytestmark = pytest.mark.browser


@pytest.fixture
def server_mode_url(tmp_path: Path) -> Iterator[str]:
    """`mitra serve --server` (loopback only) on a free port, with accounts ana and ben."""
    env = server_env(tmp_path / "data", MITRA_LOOPBACK_ONLY="true")
    for name in ("ana", "ben"):
        add_account(env, name)
    with server_mode(env, tmp_path / "server.log") as url:
        yield url


class Api:
    """The REST API as a script signed in as `name` would use it."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.call("/api/v1/session", {"name": name, "password": PASSWORD})

    def call(self, path: str, body: dict[str, object] | None = None) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Origin": self.url},
            method="GET" if body is None else "POST",
        )
        with self.opener.open(request, timeout=10) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def amounts(self) -> list[float]:
        found = self.call("/api/v1/uses")
        assert isinstance(found, list)
        return sorted(use["amount"] for use in found)

    def sign_out_everywhere(self) -> None:
        found = self.call("/api/v1/session")
        assert isinstance(found, dict)
        request = urllib.request.Request(
            f"{self.url}/logout",
            data=b"",
            headers={"X-CSRF-Token": str(found["csrf"]), "Origin": self.url},
            method="POST",
        )
        try:
            self.opener.open(request, timeout=10).close()
        except urllib.error.HTTPError as exc:  # the redirect to /login after signing out
            assert exc.code in (303, 401), exc.code


def sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.get_by_role("textbox", name="Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/")


def test_a_dose_logged_offline_arrives_once_after_a_new_sign_in_and_only_in_its_own_journal(
    browser: Browser, server_mode_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_mode_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_url("/login")
    sign_in(page, "ana")
    add_product(page, "Green Caps", "capsule")
    page.goto("/")
    expect(page.locator("meta[name=mitra-account]")).to_have_attribute("content", "ana")

    context.set_offline(True)
    open_other_amount(page)
    form = page.locator("form.quicklog").filter(has_text="Green Caps")
    form.get_by_role("textbox", name="Amount").fill("3")
    form.get_by_role("button", name="Log now").click()
    queue = page.locator("#offline-queue")
    expect(queue.locator("li")).to_have_text([re.compile(r"^3 capsule Green Caps")])
    waiting = page.evaluate("MitraQueue.list()")
    assert [(item["owner"], item["action"]) for item in waiting] == [("ana", "/quick/log")]
    assert "csrf_token" not in {name for name, _ in waiting[0]["fields"]}

    # While the phone is offline, Ana signs out everywhere from her laptop: the phone's session
    # (and the CSRF token its pages carry) ends. Back online, nothing may be lost or misfiled.
    laptop = Api(server_mode_url, "ana")
    laptop.sign_out_everywhere()
    context.set_offline(False)
    result = page.evaluate("MitraQueue.replay()")
    assert (result["sent"], len(page.evaluate("MitraQueue.list()"))) == (0, 1)

    # Ben signs in on this phone: Ana's waiting dose is neither sent to his journal nor shown.
    sign_in(page, "ben")
    expect(page.locator("#offline-queue")).to_be_hidden()
    ben = Api(server_mode_url, "ben")
    assert ben.amounts() == []
    assert len(page.evaluate("MitraQueue.list()")) == 1
    ben.sign_out_everywhere()

    # Ana signs in again: the page sends her dose with the new session's token, once.
    sign_in(page, "ana")
    expect(page.locator("#offline-queue")).to_contain_text("Sent 1 entry saved while offline.")
    again = page.evaluate("MitraQueue.replay()")
    assert (again["sent"], again["waiting"]) == (0, [])
    assert page.evaluate("MitraQueue.list()") == []
    ana = Api(server_mode_url, "ana")
    assert ana.amounts() == [3.0]
    assert Api(server_mode_url, "ben").amounts() == []
    context.close()
