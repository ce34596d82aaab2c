"""Issue #21's done-when in a real browser against `mitra serve --server`: ana (on a phone)
invites lee and chooses a scope; lee (at a desk) sees only that scope on the dashboard and asks
for a PHQ-9; it is due on ana's Today page; she answers it and lee sees the answer; ana ends the
sharing and lee's very next request is refused; ana's disclosure log lists each look."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from tests.browser.conftest import PHONE
from tests.servers import PASSWORD, server_env, server_mode

from mitra.services import accounts, consent
from mitra.services.context import open_mitra
from mitra.settings import Settings

pytestmark = pytest.mark.browser

DESK: ViewportSize = {"width": 1366, "height": 900}
SHOTS = os.environ.get("MITRA_SCREENSHOTS")  # a folder to keep screenshots in, when set


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def clinic_url(tmp_path: Path) -> Iterator[str]:
    """A server-mode Mitra with ana (a person) and lee (a clinician)."""
    data = tmp_path / "data"
    env = server_env(data, MITRA_LOOPBACK_ONLY="true")
    settings = Settings(data_dir=data, timezone="Europe/London", server=True, loopback_only=True)
    base = open_mitra(settings)
    for name in ("ana", "lee"):
        accounts.add_account(base, name, PASSWORD)
    consent.grant_role(base, "lee", "clinician")
    base.close()
    with server_mode(env, tmp_path / "server.log") as url:
        yield url


def signed_in(browser: Browser, url: str, name: str, viewport: ViewportSize) -> Page:
    context = browser.new_context(viewport=viewport, base_url=url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def test_invite_scope_request_answer_revoke_and_the_disclosure_log(
    browser: Browser, clinic_url: str
) -> None:
    ana = signed_in(browser, clinic_url, "ana", PHONE)
    lee = signed_in(browser, clinic_url, "lee", DESK)
    # ana invites lee to see her questionnaires only, until the end of next year
    ana.goto("/more")
    ana.get_by_role("link", name="Share with a clinician").click()
    ana.get_by_label(re.compile("questionnaire scores")).check()
    ana.get_by_label("Until (the last day)").fill("2027-12-31")
    ana.get_by_role("button", name="Show me what this shares").click()
    expect(ana.get_by_text("Your written notes are not shared.")).to_be_visible()
    ana.get_by_role("button", name=re.compile("I agree")).click()
    code = ana.locator("#consent-code").inner_text()
    # lee enters the code; the dashboard shows only what ana shares
    lee.goto("/clinic/join")
    lee.get_by_label("The code your patient gave you").fill(code)
    lee.get_by_role("button", name="Add").click()
    expect(lee).to_have_url(re.compile(r"/clinic$"))
    row = lee.locator("tr", has=lee.get_by_role("link", name="ana"))
    expect(row.get_by_text("not shared")).to_have_count(3)  # alerts, kratom, taper
    shot(lee, "clinic-dashboard-1366")
    # lee asks for a PHQ-9 on ana's page
    lee.get_by_role("link", name="ana").click()
    expect(lee.get_by_role("heading", level=1)).to_have_text("ana")
    lee.get_by_label("Questionnaire", exact=True).select_option("phq9")
    lee.get_by_role("button", name="Ask ana").click()
    expect(lee.get_by_text("not answered yet")).to_be_visible()
    patient = lee.url
    shot(lee, "clinic-patient-1366")
    lee.set_viewport_size(PHONE)  # the same page on a tablet or phone, without a new request
    shot(lee, "clinic-patient-390")
    lee.set_viewport_size(DESK)
    # it is due on ana's Today page; she answers it
    ana.goto("/")
    due = ana.locator("section", has=ana.get_by_role("heading", name="Questionnaires due"))
    expect(due).to_contain_text("lee (your clinician) asked for it")
    due.get_by_role("link", name=re.compile("PHQ-9|Patient Health")).click()
    for number in range(1, 10):
        question = ana.get_by_role("group", name=re.compile(f"^Question {number} of 9"))
        question.get_by_role("radio", name="Several days" if number < 3 else "Not at all").check()
    ana.get_by_role("button", name="See my result").click()
    expect(ana).to_have_url(re.compile(r"/measures/responses/\d+$"))
    ana.goto("/more")
    shot(ana, "more-390")
    # lee sees the answer
    lee.reload()
    expect(lee.locator("table.requests")).to_contain_text("2 None-minimal")
    expect(lee.locator("#score-phq9")).to_contain_text("2 None-minimal")
    # ana ends the sharing: lee's very next request is refused
    ana.goto("/sharing/clinicians")
    ana.get_by_role("button", name="End this sharing now").click()
    expect(ana.locator(".consents .state")).to_have_text("revoked")
    refused = lee.goto(patient)
    assert refused is not None and refused.status == 404
    # ana's disclosure log: the dashboard, the patient page (three times), the request
    ana.goto("/sharing/disclosures")
    looks = ana.locator("ol.disclosures li")
    expect(looks).to_have_count(5)
    expect(looks.filter(has_text="via patient page")).to_have_count(3)
    expect(looks.filter(has_text="via request phq9")).to_have_count(1)
    shot(ana, "disclosures-390")
