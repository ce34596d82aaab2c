"""The unlock page in a real browser against `mitra serve` on an encrypted journal: locked at
start, unlocked by the passphrase, locked again after the idle time (set to seconds here)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mitra.services import lock
from mitra.settings import load_settings

pytestmark = pytest.mark.browser
PASSPHRASE = "correct horse battery staple"
IDLE_MINUTES = 0.05  # three seconds


@pytest.fixture
def locked_server(
    tmp_path: Path, serve: Callable[..., AbstractContextManager[str]]
) -> Iterator[str]:
    """`mitra serve` on a journal protected beforehand, locking after 3 idle seconds."""
    data = tmp_path / "data"
    lock.setup(load_settings(data_dir=data, timezone="Europe/London"), PASSPHRASE)
    log = tmp_path / "server.log"
    with serve(data, log, "/unlock", MITRA_LOCK_MINUTES=str(IDLE_MINUTES)) as url:
        yield url


@pytest.fixture
def tab(browser: Browser, locked_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=locked_server)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _unlock(tab: Page, passphrase: str) -> None:
    tab.get_by_label("Passphrase").fill(passphrase)
    tab.get_by_role("button", name="Unlock").click()


def test_the_journal_opens_only_after_the_passphrase_and_locks_itself_when_idle(
    tab: Page,
) -> None:
    tab.goto("/history")
    expect(tab).to_have_url("/unlock?next=/history")
    expect(tab.get_by_role("heading", name="Unlock your journal")).to_be_visible()

    _unlock(tab, "not the passphrase")
    expect(tab.locator("#unlock-error")).to_contain_text("wrong passphrase")

    time.sleep(1.2)  # the first wrong try makes the next one wait a second
    _unlock(tab, PASSPHRASE)
    expect(tab).to_have_url("/history")
    expect(tab.get_by_role("heading", name="History")).to_be_visible()

    time.sleep(IDLE_MINUTES * 60 + 1.5)
    tab.goto("/")
    expect(tab).to_have_url("/unlock?next=/")


def test_the_session_cookie_is_httponly_and_strict(tab: Page) -> None:
    tab.goto("/")
    _unlock(tab, PASSPHRASE)
    expect(tab.get_by_role("heading", name="Today")).to_be_visible()
    cookies = {c["name"]: c for c in tab.context.cookies()}
    assert cookies["mitra_session"]["httpOnly"] is True
    assert cookies["mitra_session"]["sameSite"] == "Strict"
    assert tab.evaluate("document.cookie") == ""
