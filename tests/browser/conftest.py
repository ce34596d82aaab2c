"""A real `mitra serve` on a free loopback port, driven by Debian's chromium through Playwright.

Each test gets its own server on a fresh journal, so tests never see each other's entries. The
browser is launched once per session; each test gets a fresh context (no shared cookies). Never
`playwright install`: the system chromium is used, and these tests skip when it is missing.

Mitra serves nothing without its login link (docs/privacy.md): `serving()` reads the link the
server prints, opens it as a person would, and every browser context this session's browser makes
starts with the login cookies of the servers running, so tests need not sign in themselves.
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright
from tests.servers import START_TIMEOUT, clean_env, free_port, stop, wait_until_answering

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
LOGIN_LINK = re.compile(r"(http://\S+/login\?token=[A-Za-z0-9_-]+)")
SIGNED_IN: dict[str, SetCookieParam] = {}  # server URL -> its login cookie, while it runs


def login_cookie(url: str, log: Path, server: subprocess.Popen[bytes]) -> SetCookieParam:
    """Open the login link the server printed (as a person would); the cookie it set."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mitra serve exited with {server.returncode}:\n{log.read_text()}")
        found = LOGIN_LINK.search(log.read_text(errors="replace"))
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            if found is not None:
                opener.open(found.group(1), timeout=1).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        for cookie in jar:
            if cookie.name.startswith("mitra_access_") and cookie.value:
                return {
                    "name": cookie.name,
                    "value": cookie.value,
                    "url": url,
                    "httpOnly": True,  # as the server sets it
                    "sameSite": "Strict",
                }
        time.sleep(0.1)
    pytest.fail(f"mitra serve printed no working login link:\n{log.read_text()}")


@contextmanager
def serving(data: Path, log: Path, ready_path: str = "/", **env_extra: str) -> Iterator[str]:
    """`python -m mitra serve` on a free port for journal folder `data`; stopped on exit."""
    port = free_port()
    env = clean_env(MITRA_DATA_DIR=str(data), MITRA_TIMEZONE="Europe/London", **env_extra)
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mitra", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            cookie = login_cookie(url, log, server)
            wait_until_answering(f"{url}{ready_path}", server, log, cookie)
            SIGNED_IN[url] = cookie
            yield url
        finally:
            SIGNED_IN.pop(url, None)
            stop(server)


@pytest.fixture
def serve() -> Callable[..., AbstractContextManager[str]]:
    """The `serving` context manager, for tests that need their own server settings."""
    return serving


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    """`python -m mitra serve` on a free port with its own data dir; stopped at teardown."""
    with serving(tmp_path / "data", tmp_path / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        new_context = launched.new_context

        def signed_in_context(*args: Any, **kwargs: Any) -> BrowserContext:
            context = new_context(*args, **kwargs)
            if SIGNED_IN:
                context.add_cookies(list(SIGNED_IN.values()))
            return context

        setattr(launched, "new_context", signed_in_context)  # noqa: B010 - an instance's method
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    """A phone-sized page whose relative URLs go to this test's server."""
    context = browser.new_context(viewport=PHONE, base_url=server_url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
