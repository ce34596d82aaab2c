"""The login link in a real browser (issue #15, item 5): the plain address explains how to get in
and shows nothing of the journal; the link `mitra serve` printed signs the browser in; Lock in one
browser locks every other browser too."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import LOGIN_LINK, PHONE

from mitra.services import lock
from mitra.settings import load_settings

pytestmark = pytest.mark.browser


def test_the_plain_address_explains_and_the_printed_link_signs_in(
    browser: Browser, server_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    context.clear_cookies()  # a browser that has never opened the link
    tab = context.new_page()
    response = tab.goto("/history")
    assert response is not None and response.status == 401
    expect(tab).to_have_url(f"{server_url}/login")
    expect(tab.get_by_role("heading", name="Sign this browser in")).to_be_visible()
    expect(tab.get_by_text("mitra login-link")).to_be_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    found = LOGIN_LINK.search((tmp_path / "server.log").read_text())
    assert found is not None and found.group(1).startswith(f"{server_url}/login?token=")
    tab.goto(found.group(1))
    expect(tab).to_have_url(f"{server_url}/")
    expect(tab.get_by_role("heading", name="Today")).to_be_visible()
    context.close()


def test_lock_in_one_browser_locks_the_other_browser_too(
    browser: Browser, serve: Callable[..., AbstractContextManager[str]], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    passphrase = "correct horse battery staple"
    lock.setup(load_settings(data_dir=data, timezone="Europe/London"), passphrase)
    with serve(data, tmp_path / "server.log", "/unlock") as url:
        tabs: list[Page] = []
        for _ in range(2):
            tab = browser.new_context(viewport=PHONE, base_url=url).new_page()
            tab.goto("/")
            tab.get_by_label("Passphrase").fill(passphrase)
            tab.get_by_role("button", name="Unlock").click()
            expect(tab.get_by_role("heading", name="Today")).to_be_visible()
            tabs.append(tab)
        tabs[0].get_by_role("button", name="Lock").click()
        expect(tabs[0]).to_have_url(re.compile(r"/unlock"))
        tabs[1].goto("/history")
        expect(tabs[1]).to_have_url(f"{url}/unlock?next=/history")
        for tab in tabs:
            tab.context.close()
