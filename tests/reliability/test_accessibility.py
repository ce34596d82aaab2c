"""Accessibility: every page, in Debian's chromium through Playwright, scanned with axe-core
(the copy shipped by axe-playwright-python): 0 serious or critical violations. Every form can be
reached field by field with Tab alone and submitted with Enter.

Pages are listed from the app's own routes (every GET page, `{param}` filled from a demo
journal), so a new page is scanned as soon as it is routed. Never `playwright install`: the system
chromium is used, and these tests skip when it is missing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from fastapi.routing import APIRoute
from playwright.sync_api import Page, sync_playwright
from tests.reliability.conftest import LiveServer

from mitra.interfaces.web.app import create_app
from mitra.settings import load_settings

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
SERIOUS = {"serious", "critical"}
NOT_PAGES = re.compile(
    r"^/(api|static|export|report/download|measures/calendar\.ics|taper/calendar\.ics"
    r"|manifest\.webmanifest$|sw\.js$)"
)
T = TypeVar("T")
FORMS = ["/checkins/new", "/uses/new", "/products/new", "/vitals/new", "/onboarding"]


def in_browser(url: str, work: Callable[[Page], T], scheme: str = "light") -> T:
    """Run `work` on a phone-sized page of `url` (in the light or dark colour scheme), in a thread
    of its own: tests/browser keeps its own sync Playwright running for the whole session, and
    two cannot share one thread."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
                )
                parts = urlsplit(url)  # the login secret travels as a header, not in the URL
                context = browser.new_context(
                    base_url=f"{parts.scheme}://{parts.hostname}:{parts.port}",
                    viewport={"width": 390, "height": 844},
                    extra_http_headers={"Authorization": f"Bearer {parts.password}"},
                    color_scheme=scheme,  # type: ignore[arg-type]
                )
                context.set_default_timeout(15_000)
                outcome["value"] = work(context.new_page())
                browser.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


@pytest.fixture
def demo_server(live_server: Callable[..., LiveServer]) -> LiveServer:
    server = live_server()
    env = server.full_env()
    command = [sys.executable, "-m", "mitra", "demo", "--days", "30"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
    return server


def param_values(url: str) -> dict[str, str]:
    """A real value for each path parameter a page may have."""
    with httpx.Client(base_url=url, timeout=30) as api:
        instrument = api.get("/api/v1/instruments").json()[0]["id"]
        detail = api.get(f"/api/v1/instruments/{instrument}").json()
        answers = {item["id"]: item["options"][0]["value"] for item in detail["items"]}
        taken = api.post("/api/v1/responses", json={"instrument": instrument, "answers": answers})
        claims = api.get("/api/v1/evidence").json() if _exists(api, "/api/v1/evidence") else []
        risks = api.get("/api/v1/risks").json() if _exists(api, "/api/v1/risks") else []
    values = {"kind": "checkins", "entry_id": "1", "instrument_id": instrument}
    if taken.status_code == 201:
        values["response_id"] = str(taken.json()["id"])
    if claims:
        values["claim_id"] = claims[0]["id"]
    if risks:
        values["risk_id"] = risks[0]["id"]
    return values


def _exists(api: httpx.Client, path: str) -> bool:
    return api.get(path).status_code == 200


def get_routes(routes: list[Any], prefix: str = "") -> Iterator[str]:
    """GET paths of routes, walking into included routers (however FastAPI nests them)."""
    for route in routes:
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            yield prefix + route.path
        elif hasattr(route, "original_router"):
            inner = prefix + (getattr(route.include_context, "prefix", "") or "")
            yield from get_routes(route.original_router.routes, inner)
        elif hasattr(route, "routes") and not hasattr(route, "app"):
            yield from get_routes(route.routes, prefix)


def page_paths(values: dict[str, str], data_dir: Path) -> tuple[list[str], list[str]]:
    """Every GET page of the app, with parameters filled; and those it could not fill."""
    app = create_app(load_settings(data_dir=data_dir, timezone="UTC"))
    paths, unfilled = [], []
    for path in get_routes(app.routes):
        if NOT_PAGES.match(path):
            continue
        names = re.findall(r"{(\w+)}", path)
        if any(n not in values for n in names):
            unfilled.append(path)
            continue
        paths.append(re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path))
    kinds = ["products", "uses", "medications", "effects", "vitals"]
    paths += [f"/{k}" for k in kinds] + [f"/{k}/new" for k in kinds] + ["/api/v1/docs"]
    return sorted(set(paths)), unfilled


def serious_violations(page: Page, axe: Axe) -> list[str]:
    results: dict[str, Any] = axe.run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_serious_or_critical_axe_violations(
    demo_server: LiveServer, figure: Callable[[str], None], tmp_path: Path, scheme: str
) -> None:
    paths, unfilled = page_paths(param_values(demo_server.url), tmp_path / "routes")

    def scan(page: Page) -> dict[str, list[str]]:
        axe, found = Axe(), {}
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status < 500, path
            problems = serious_violations(page, axe)
            if problems:
                found[path] = problems
        return found

    found = in_browser(demo_server.url, scan, scheme)
    figure(
        f"axe ({scheme}): {len(paths)} pages scanned, {sum(len(v) for v in found.values())} "
        f"serious/critical violations; not scanned (no value for a parameter): {unfilled or 'none'}"
    )
    assert found == {}


def tab_reaches_every_field(page: Page) -> list[str]:
    """Names of the form's fields that Tab never focused (empty when all are reachable)."""
    fields = page.locator(
        "main form input:not([type=hidden]):visible, main form select:visible, "
        "main form textarea:visible"
    )
    wanted = {fields.nth(i).get_attribute("name") or f"#{i}" for i in range(fields.count())}
    seen: set[str] = set()
    for _ in range(len(wanted) * 3 + 40):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement && document.activeElement.name")
        if name:
            seen.add(name)
        if wanted <= seen:
            break
    return sorted(wanted - seen)


def keyboard_walk(page: Page) -> dict[str, list[str]]:
    unreachable = {}
    for path in FORMS:
        page.goto(path)
        missing = tab_reaches_every_field(page)
        if missing:
            unreachable[path] = missing
    page.goto("/checkins/new")
    page.locator("main form [name=mood]").first.focus()  # the 0 of the mood row
    for _ in range(7):
        page.keyboard.press("ArrowRight")  # radios: arrow keys move and check: 7
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"saved=1"))
    return unreachable


def test_every_form_is_usable_by_keyboard_alone(
    demo_server: LiveServer, figure: Callable[[str], None]
) -> None:
    unreachable = in_browser(demo_server.url, keyboard_walk)
    figure(f"keyboard: {len(FORMS)} forms, unreachable fields {unreachable or 'none'}; Enter saves")
    assert unreachable == {}
