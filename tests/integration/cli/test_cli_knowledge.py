"""`mitra evidence`, `mitra legal`, `mitra help-lines` and `mitra kb search`: text and --json."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mitra.adapters.knowledge.evidence import load_legal

Cli = Callable[..., Any]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def test_evidence_without_an_argument_lists_claims_with_grades(cli: Cli) -> None:
    lines = ok(cli("evidence")).stdout.splitlines()

    assert len(lines) == 6
    assert lines[2].split() == ["claim.ptsd", "none", "Kratom", "for", "PTSD"]


def test_evidence_json_list_has_the_summary_shape(cli: Cli) -> None:
    claims = json.loads(ok(cli("evidence", "--json")).stdout)

    assert list(claims[0]) == [
        "id",
        "title",
        "grade",
        "grade_rank",
        "grade_meaning",
        "as_of",
        "stale",
        "page",
    ]
    assert [c["grade_rank"] for c in claims] == [3, 3, 0, 3, 3, 3]


def test_evidence_for_a_claim_prints_grade_studies_and_sources(cli: Cli) -> None:
    text = ok(cli("evidence", "anxiety")).stdout

    assert "Evidence grade: cross_sectional_survey (3 of 6)." in text
    assert "Study 1: cross-sectional anonymous online survey (2017); N = 2798;" in text
    assert "Sources (checked as of 2026-11-25):" in text
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC7423016" in text


def test_evidence_json_for_a_claim_has_studies_with_sources(cli: Cli) -> None:
    data = json.loads(ok(cli("evidence", "claim.ptsd", "--json")).stdout)

    assert (data["id"], data["grade"], data["studies"]) == ("claim.ptsd", "none", [])
    assert [s["id"] for s in data["sources"]] == ["garcia-romeu-2020"]


def test_an_unknown_claim_is_one_line_on_stderr_and_exit_2(cli: Cli) -> None:
    result = cli("evidence", "telepathy")

    assert result.exit_code == 2
    assert result.stderr == "error: no claim 'telepathy' in the knowledge base\n"


def test_legal_without_a_country_lists_every_jurisdiction_after_the_disclaimer(cli: Cli) -> None:
    lines = ok(cli("legal")).stdout.splitlines()

    assert lines[0].startswith("Not legal advice; check current law.")
    assert len(lines) == 1 + len(load_legal())
    australia = next(line for line in lines if line.startswith("AU "))
    assert australia.split()[:4] == ["AU", "banned", "7-OH", "-"]


def test_legal_without_an_argument_shows_the_users_own_jurisdiction(cli: Cli) -> None:
    ok(cli("onboard", "--conditions", "anxiety", "--country", "US-AL"))

    data = json.loads(ok(cli("legal", "--json")).stdout)

    assert (data["asked"], data["entry"]["code"], data["entry"]["status"]) == (
        "US-AL",
        "US-AL",
        "banned",
    )


def test_legal_json_for_a_state_without_an_entry_has_the_fallback_shape(cli: Cli) -> None:
    data = json.loads(ok(cli("legal", "US-GU", "--json")).stdout)

    assert list(data) == [
        "asked",
        "fallback_note",
        "disclaimer",
        "entry",
        "localities",
        "federal",
        "seven_oh_note",
    ]
    assert data["entry"]["code"] == "US"
    assert data["localities"] == []
    assert (data["federal"], data["seven_oh_note"]) == (None, "")
    assert data["disclaimer"] == "Not legal advice; check current law."


def test_legal_text_says_not_legal_advice_and_the_fallback(cli: Cli) -> None:
    text = ok(cli("legal", "us-gu")).stdout

    assert (
        text.splitlines()[0]
        == "United States (federal) (US) — Not legal advice; check current law."
    )
    assert "Mitra has no entry for US-GU" in text
    assert "Kratom leaf: legal; concentrated 7-OH: restricted" in text


def test_legal_text_lists_each_local_rule_with_its_own_sources(cli: Cli) -> None:
    text = ok(cli("legal", "US-MS")).stdout

    columbus = text.split("Local rule — City of Columbus: banned\n", 1)[1]
    assert columbus.startswith("WCBI reported that Columbus banned the sale")
    assert "https://www.wcbi.com/kratom-no-longer-allowed-columbus/" in columbus.split("Local")[0]
    assert "Local rule — Lowndes County: banned" in text


def test_legal_for_an_unknown_code_names_it_and_exits_2(cli: Cli) -> None:
    result = cli("legal", "AQ")

    assert result.exit_code == 2
    assert result.stderr == "error: no legal-status entry for 'AQ' in the knowledge base\n"


def test_help_lines_default_to_international_before_onboarding(cli: Cli) -> None:
    data = json.loads(ok(cli("help-lines", "--json")).stdout)

    assert (data["country"], data["international_only"]) == ("INTL", True)
    assert [x["name"] for x in data["lines"]] == ["Befrienders Worldwide"]


def test_help_lines_for_gb_print_the_emergency_number_first(cli: Cli) -> None:
    lines = ok(cli("help-lines", "GB")).stdout.splitlines()

    assert lines[0].startswith("In immediate danger: call 999 or 112")
    assert lines[1].startswith("Samaritans (GB, crisis): call 116 123; https://www.samaritans.org")


def test_help_lines_json_has_the_api_shape(cli: Cli) -> None:
    data = json.loads(ok(cli("help-lines", "US", "--json")).stdout)

    assert list(data) == ["country", "international_only", "emergency", "no_24h_line", "lines"]
    assert list(data["lines"][0]) == [
        "as_of",
        "stale",
        "stale_note",
        "sources",
        "country",
        "name",
        "purpose",
        "hours",
        "vanity",
        "chat",
        "url",
        "notes",
        "kind",
        "open_24h",
        "phones",
        "tty",
        "sms",
        "whatsapp",
        "phone",
        "text",
    ]
    assert data["lines"][0]["phones"] == [{"display": "988", "dial": "988", "label": ""}]
    assert data["lines"][0]["phone"] == "988"
    samhsa = data["lines"][1]
    assert (samhsa["vanity"], samhsa["tty"][0]["dial"]) == ("1-800-662-HELP", "18004874889")
    assert [n["dial"] for n in data["emergency"]["numbers"]] == ["911"]


def test_kb_search_liver_prints_the_liver_risk_and_its_section(cli: Cli) -> None:
    lines = ok(cli("kb", "search", "liver")).stdout.splitlines()

    assert lines[0] == "Liver injury — Risks (risk.liver)"
    assert len(lines) == 2


def test_kb_search_json_has_one_hit_per_entry_in_rank_order(cli: Cli) -> None:
    hits = json.loads(ok(cli("kb", "search", "withdrawal", "--json")).stdout)

    assert [h["score"] for h in hits] == [3, 3, 3, 1, 1, 1, 1, 1, 1]
    assert list(hits[0]) == ["section", "section_title", "id", "title", "snippet", "score", "page"]


def test_kb_search_with_no_match_says_so(cli: Cli) -> None:
    assert ok(cli("kb", "search", "xylophone")).stdout == "Nothing found for 'xylophone'.\n"
