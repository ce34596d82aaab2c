"""'What is known' pages through httpx: evidence tables, sources as links with their as-of date,
the legal disclaimer and jurisdiction picker, help lines, search, staleness and HTML escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from tests.conftest import signed_in

from mitra.adapters.knowledge.evidence import load_legal
from mitra.adapters.store.engine import Store, build_engine
from mitra.interfaces.web.app import create_app
from mitra.services import questionnaires as q
from mitra.services.context import Mitra
from mitra.settings import Settings

DISCLAIMER = "<strong>Not legal advice; check current law.</strong>"
LIVER_REVIEW = (
    '<a href="https://doi.org/10.1007/s40265-019-01242-6">Kratom (Mitragyna Speciosa) Liver Injury:'
    " A Comprehensive Review</a>"
)


def table_rows(html: str, table_class: str = "evidence") -> list[list[str]]:
    """The body rows of the first table with this class, each as its cells' text."""
    table = html.split(f'<table class="{table_class}">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.DOTALL) for row in rows]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in cells]


def test_the_nav_links_to_what_is_known(client: TestClient) -> None:
    assert '<a href="/knowledge">What is known</a>' in client.get("/more").text


def test_the_index_lists_claims_and_risks_with_grades_and_the_scale(client: TestClient) -> None:
    html = client.get("/knowledge").text

    assert '<a href="/knowledge/claims/ptsd">Kratom for PTSD</a>' in html
    assert '<a href="/knowledge/risks/liver">Liver injury</a>' in html
    assert "<td>0. None</td><td>No study found.</td>" in html
    assert "<td>6. Systematic review</td>" in html
    assert 'action="/knowledge/search"' in html


def test_a_claim_page_has_the_evidence_table_grade_and_summary(client: TestClient) -> None:
    page = client.get("/knowledge/claims/anxiety")

    assert page.status_code == 200
    rows = table_rows(page.text)
    assert [(r[0], r[1]) for r in rows] == [
        ("cross-sectional anonymous online survey (2017)", "2798"),
        ("cross-sectional crowdsourced online survey (Amazon Mechanical Turk, 2020)", "1510"),
    ]
    assert rows[0][3] == "67% used kratom for anxiety, with high self-rated effectiveness"
    assert "Evidence grade: Cross-sectional survey</strong>" in page.text
    assert "(3 on a scale from 0, no study, to 6, systematic review)" in page.text
    assert "no controlled trial of kratom for anxiety was found" in page.text


def test_the_ptsd_page_says_no_study_was_found_and_has_no_table(client: TestClient) -> None:
    html = client.get("/knowledge/claims/ptsd").text

    assert "Evidence grade: None</strong>" in html
    assert '<table class="evidence">' not in html
    assert "No human study of kratom for post-traumatic stress disorder was found." in html


def test_the_liver_risk_page_links_its_source_by_url_and_doi_with_the_as_of_date(
    client: TestClient,
) -> None:
    html = client.get("/knowledge/risks/liver").text

    assert table_rows(html)[0][1] == "85"
    assert html.count(LIVER_REVIEW) == 2  # in the table and in the sources list
    assert '<a href="https://doi.org/10.1007/s40265-019-01242-6">' in html
    assert 'Sources (checked as of <time datetime="2026-11-25">2026-11-25</time>)' in html
    assert "May be out of date" not in html


def test_an_unknown_risk_is_a_404_page_naming_it(client: TestClient) -> None:
    page = client.get("/knowledge/risks/sunburn")

    assert page.status_code == 404
    assert "no risk &#39;sunburn&#39; in the knowledge base" in page.text


def test_every_about_and_care_topic_shows_its_sources(client: TestClient) -> None:
    about = client.get("/knowledge/about").text
    care = client.get("/knowledge/care").text

    assert about.count('<div class="sources">') == 6
    assert care.count('<div class="sources">') == 9
    assert "talk to a professional about" in care


def test_the_legal_page_has_the_disclaimer_and_a_get_picker_without_js(
    client: TestClient,
) -> None:
    html = client.get("/knowledge/legal").text

    assert DISCLAIMER in html
    assert '<form method="get" action="/knowledge/legal"' in html
    assert '<input id="f-code" name="code" value="" list="places-code"' in html
    assert '<option value="Florida, United States">' in html
    assert html.count("<script") == html.count('<script src="/static/')  # none inline
    assert '<a href="/onboarding">Tell Mitra where you live</a>' in html
    assert html.count('<a href="/knowledge/legal?code=') == len(load_legal())


def test_picking_a_state_without_an_entry_shows_the_federal_one_and_says_so(
    client: TestClient,
) -> None:
    html = client.get("/knowledge/legal", params={"code": "us-gu"}).text

    assert DISCLAIMER in html
    assert '<h2 id="answer-h">United States (federal) (US)</h2>' in html
    assert "Mitra has no entry for US-GU, so this is the entry for US" in html
    assert "<dt>Kratom leaf products</dt><dd><strong>legal</strong>" in html


def test_a_state_page_shows_each_local_rule_with_its_sources(client: TestClient) -> None:
    html = client.get("/knowledge/legal", params={"code": "US-CA"}).text

    assert "<h3>Local rules in California</h3>" in html
    assert "<h4>Newport Beach: <strong>banned</strong></h4>" in html
    assert "<h4>Solana Beach: <strong>regulated</strong></h4>" in html
    newport = html.split('aria-label="Newport Beach"', 1)[1].split("</section>", 1)[0]
    assert "https://archive.newportbeachlibrary.org/NBPL/DocView.aspx" in newport


def test_the_legal_table_counts_each_jurisdictions_local_rules(client: TestClient) -> None:
    rows = table_rows(client.get("/knowledge/legal").text, "legal")

    by_name = {row[0]: row for row in rows}
    assert by_name["California (US-CA)"][3] == "2"
    assert by_name["Alabama (US-AL)"][3] == "—"


def test_an_unknown_jurisdiction_re_renders_the_picker_with_a_404(client: TestClient) -> None:
    page = client.get("/knowledge/legal", params={"code": "AQ"})

    assert page.status_code == 404
    assert "no legal-status entry for &#39;AQ&#39; in the knowledge base" in page.text
    assert DISCLAIMER in page.text


def test_the_legal_page_defaults_to_the_users_own_jurisdiction(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-AL")

    html = client.get("/knowledge/legal").text

    assert '<h2 id="answer-h">Alabama (US-AL) — where you live</h2>' in html


def test_the_home_page_links_to_onboarding_when_no_country_is_set(client: TestClient) -> None:
    html = client.get("/").text

    assert "Legal status where you live" in html
    assert "Tell Mitra where you live</a> to see the legal status of kratom there." in html


def test_the_home_page_shows_the_users_jurisdiction_and_status(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="TH")

    html = client.get("/").text

    assert "TH: kratom leaf <strong>regulated</strong>" in html
    assert '<a href="/knowledge/legal?code=TH">Details and sources</a>' in html
    assert "Not legal advice; check current law." in html
    assert "have their own rules" not in html


def test_the_home_page_names_the_local_rules_in_the_users_state(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-CA")

    html = client.get("/").text

    assert "US-CA: kratom leaf <strong>restricted</strong>" in html
    assert (
        "Some places in California have their own rules:\n"
        "    Mitra knows of 2 (Newport Beach, Solana Beach)."
    ) in html


def test_the_home_page_says_when_there_is_no_entry_for_the_users_country(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="AQ")

    assert "Mitra has no legal-status entry for AQ yet." in client.get("/").text


def test_help_lines_for_a_country_show_the_emergency_number_and_sources(
    client: TestClient,
) -> None:
    html = client.get("/knowledge/help", params={"country": "GB"}).text

    assert "<h1>Help lines for United Kingdom</h1>" in html
    assert 'In immediate danger: call <a href="tel:999" class="call-999">999</a>' in html
    assert '<a href="tel:116123">116 123</a>' in html
    assert '<a href="https://www.befrienders.org/what-we-do">' in html  # the fallback's source
    # the emergency number, Samaritans, NHS 111 and the international fallback
    assert html.count('<div class="sources">') == 4


def test_help_lines_without_a_country_are_international_and_invite_onboarding(
    client: TestClient,
) -> None:
    html = client.get("/knowledge/help").text

    assert "<h1>Help lines</h1>" in html
    assert "These are international lines that point to local ones." in html
    assert '<a href="/onboarding">Tell Mitra where you live</a> to see its lines first.' in html


def test_help_lines_for_a_country_without_lines_say_so(client: TestClient) -> None:
    html = client.get("/knowledge/help", params={"country": "AQ"}).text

    assert (
        "Mitra has no lines for Antarctica yet; these international lines point to local ones."
        in html
    )


def test_search_results_name_their_section_and_link_the_page(client: TestClient) -> None:
    html = client.get("/knowledge/search", params={"q": "liver"}).text

    assert "1 result for “liver”" in html
    assert '<a href="/knowledge/risks/liver"><strong>Liver injury</strong></a>' in html
    assert '<span class="section-tag">Risks</span>' in html


def test_an_empty_search_shows_only_the_form(client: TestClient) -> None:
    html = client.get("/knowledge/search").text

    assert 'name="q" value=""' in html
    assert 'role="status"' not in html


def test_user_input_is_escaped_on_the_search_and_legal_pages(client: TestClient) -> None:
    attack = '"><script>alert(1)</script>'

    search = client.get("/knowledge/search", params={"q": attack}).text
    legal = client.get("/knowledge/legal", params={"code": attack}).text

    for html in (search, legal):
        assert "<script>alert(1)</script>" not in html
        assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_quotes_in_knowledge_text_are_escaped(client: TestClient) -> None:
    html = client.get("/knowledge/risks/liver").text

    assert "Kratom &#34;likely causes liver injury" in html


def test_entries_checked_over_12_months_ago_show_a_may_be_out_of_date_note(
    settings: Settings,
) -> None:
    later = Mitra(
        Store(build_engine(settings.resolved_database_url)),
        settings,
        lambda: datetime(2028, 1, 1, 12, tzinfo=UTC),
    )
    with TestClient(create_app(settings, later), base_url="http://127.0.0.1:8000") as client:
        signed_in(client)
        risk = client.get("/knowledge/risks/liver").text
        index = client.get("/knowledge").text
    later.close()

    assert (
        '<p class="stale" role="note">May be out of date: last checked 2026-11-25, more than '
        "12 months ago.</p>"
    ) in risk
    assert index.count('<span class="stale-tag">may be out of date</span>') == 6 + 13
