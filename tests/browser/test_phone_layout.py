"""Issue #17: one phone navigation, nothing wider than a 320 px screen, 44 px touch targets,
human labels for stored values, and destructive buttons that look destructive."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
PHONE_SIZE = {"width": 390, "height": 844}
TABS = ["Today", "Log", "Check-in", "Insights", "More"]
TARGETS = ", ".join(
    (
        "nav a",
        "header a",
        "main button",
        "main .button",
        "main select",
        "main input:not([type=hidden]):not([type=radio]):not([type=checkbox])",
        "a.action",
        ".menu a",
    )
)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server on a seeded 30-day demo journal, shared by this module's read-only tests."""
    from tests.browser.conftest import serving

    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    env |= {"MITRA_DATA_DIR": str(folder / "data"), "MITRA_TIMEZONE": "Europe/London"}
    subprocess.run(
        [sys.executable, "-m", "mitra", "demo", "--days", "30", "--seed", "3"],
        env=env,
        check=True,
        capture_output=True,
    )
    with serving(folder / "data", folder / "server.log") as url:
        yield url


def open_page(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, base_url=url)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return context.new_page()


def nav_pages(page: Page) -> list[str]:
    """Every page the navigation and the More page lead to (the API docs page included)."""
    page.goto("/more")
    tabs = page.get_by_role("navigation", name="Main").get_by_role("link")
    found = [tabs.nth(i).get_attribute("href") or "" for i in range(tabs.count())]
    more = page.locator("main ul.menu a")
    found += [more.nth(i).get_attribute("href") or "" for i in range(more.count())]
    return [
        *dict.fromkeys(found),
        "/products/new",
        "/medications/new",
        "/settings/erase",
        "/measures/phq9",
        "/history?kind=uses",
    ]


def test_the_navigation_is_one_row_of_five_tabs_at_the_bottom_of_a_phone(
    browser: Browser, demo_url: str
) -> None:
    page = open_page(browser, demo_url, NARROW)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(TABS)
    box = nav.bounding_box()
    assert box is not None
    assert box["height"] <= 64  # one row
    assert box["y"] + box["height"] == NARROW["height"]  # at the bottom of the screen
    expect(nav.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    page.goto("/measures")
    expect(nav.get_by_role("link", name="Check-in")).to_have_attribute("aria-current", "page")
    page.context.close()


def test_no_page_in_the_navigation_scrolls_sideways_at_320_px_and_targets_are_44_px(
    browser: Browser, demo_url: str
) -> None:
    page = open_page(browser, demo_url, NARROW)
    pages = nav_pages(page)
    assert len(pages) >= 18, pages
    too_wide, too_small = [], []
    for path in pages:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            too_wide.append((path, width))
        small = page.evaluate(
            """sel => [...document.querySelectorAll(sel)]
              .filter(e => e.offsetParent !== null)
              .map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect()])
              .filter(([, r]) => r.height < 44 || r.width < 44)
              .map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            TARGETS,
        )
        too_small += [f"{path}: {s}" for s in small]
    assert too_wide == []
    assert too_small == []
    page.context.close()


def test_lists_show_human_labels_not_stored_values(browser: Browser, demo_url: str) -> None:
    page = open_page(browser, demo_url, NARROW)
    page.goto("/products")
    main = page.locator("main")
    expect(main).to_contain_text("Leaf powder")
    expect(main).not_to_contain_text("leaf_powder")
    page.goto("/uses")
    expect(main.locator("td").first).not_to_have_text("1")
    expect(main).not_to_contain_text("Product 1")
    page.goto("/medications")
    expect(main).not_to_contain_text("as_needed")
    page.context.close()


def test_delete_everything_is_a_red_button(browser: Browser, demo_url: str) -> None:
    page = open_page(browser, demo_url, NARROW)
    page.goto("/settings/erase")
    button = page.get_by_role("button", name="Delete everything now")
    colour = button.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(164, 22, 26)"  # --err, the colour of every destructive button
    page.context.close()


def test_every_chart_on_insights_is_titled_with_its_period_and_readable_on_a_phone(
    browser: Browser, demo_url: str
) -> None:
    page = open_page(browser, demo_url, PHONE_SIZE)
    page.goto("/insights")
    charts = page.locator("figure.chart")
    assert charts.count() >= 9
    captions = charts.locator("figcaption").all_inner_texts()
    assert all(re.search(r"\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$", c) for c in captions), captions
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("figure.chart svg")].map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const texts = [...svg.querySelectorAll("text")];
            return [Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
                    texts.filter(t => /^\\d{1,2} [A-Z][a-z]{2}$/.test(t.textContent)).length];
        })"""
    )
    smallest = min(size for size, _ in sizes)
    assert smallest >= 11, sizes
    assert max(ticks for _, ticks in sizes) <= 4  # date ticks under each chart
    page.context.close()


@pytest.mark.parametrize("kind", ["effects", "vitals"])
def test_a_list_of_timed_entries_pages_back_by_days_on_a_phone(
    browser: Browser, demo_url: str, kind: str
) -> None:
    """#16: /effects and /vitals show 90 days ending on a chosen day; "Earlier" goes back."""
    page = open_page(browser, demo_url, PHONE_SIZE)
    page.goto(f"/{kind}")
    main = page.locator("main")
    expect(main).to_contain_text("90 days ending on")
    expect(main.get_by_label("Ending on")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
    main.get_by_role("link", name="Earlier: the 90 days before").click()
    expect(page).to_have_url(re.compile(rf"/{kind}\?days=90&until=\d{{4}}-\d\d-\d\d$"))
    expect(main).to_contain_text("Nothing in these days.")  # the demo journal has 30 days
    main.get_by_label("Days").fill("30")
    main.get_by_label("Ending on").fill("")
    main.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"/{kind}\?days=30&until=$"))
    expect(main.locator("tbody tr").first).to_be_visible()
    page.context.close()
