"""/api/v1 knowledge endpoints through httpx: evidence, risks, legal status with the subdivision
fallback, help lines and search, each with sources, as-of dates and typed errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mitra.adapters.knowledge.evidence import load_legal

SOURCE_KEYS = ["id", "title", "authors", "year", "kind", "link", "doi", "pmid"]


def test_evidence_lists_every_claim_with_its_grade_and_page(client: TestClient) -> None:
    response = client.get("/api/v1/evidence")

    assert response.status_code == 200
    claims = response.json()
    assert [c["id"] for c in claims] == [
        "claim.anxiety",
        "claim.depression",
        "claim.ptsd",
        "claim.chronic_pain",
        "claim.energy",
        "claim.opioid_withdrawal",
    ]
    assert claims[2] == {
        "id": "claim.ptsd",
        "title": "Kratom for PTSD",
        "grade": "none",
        "grade_rank": 0,
        "grade_meaning": "No study found.",
        "as_of": "2026-11-25",
        "stale": False,
        "page": "/knowledge/claims/ptsd",
    }


def test_one_claim_has_its_studies_each_with_a_resolved_source(client: TestClient) -> None:
    data = client.get("/api/v1/evidence/anxiety").json()

    assert data["grade"] == "cross_sectional_survey"
    assert [s["n"] for s in data["studies"]] == [2798, 1510]
    assert list(data["studies"][0]["source"]) == SOURCE_KEYS
    assert (
        data["studies"][0]["source"]["link"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC7423016"
    )
    assert (data["as_of"], data["stale"], data["stale_note"]) == ("2026-11-25", False, "")


def test_an_unknown_claim_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/v1/evidence/telepathy")

    assert response.status_code == 404
    assert response.json() == {"detail": "no claim 'telepathy' in the knowledge base"}


def test_risks_list_and_the_liver_risk_carries_its_doi(client: TestClient) -> None:
    risks = client.get("/api/v1/risks").json()
    liver = client.get("/api/v1/risks/risk.liver").json()

    assert len(risks) == 13
    assert risks[1]["id"] == "risk.liver"
    assert liver["studies"][0]["n"] == 85
    assert liver["sources"][0]["doi"] == "10.1007/s40265-019-01242-6"
    assert liver["page"] == "/knowledge/risks/liver"


def test_legal_lists_every_jurisdiction(client: TestClient) -> None:
    entries = client.get("/api/v1/legal").json()

    assert len(entries) == len(load_legal())
    countries = [e["code"] for e in entries if "-" not in e["code"]]
    assert countries[:3] == sorted(countries[:3])  # countries in code order
    codes = [e["code"] for e in entries]
    assert codes.index("US") + 1 == codes.index("US-AK")  # each country just before its states
    assert all(e["sources"] and e["as_of"] for e in entries)


def test_legal_for_a_state_without_an_entry_falls_back_to_the_country(client: TestClient) -> None:
    data = client.get("/api/v1/legal/us-gu").json()

    assert data["asked"] == "US-GU"
    assert data["disclaimer"] == "Not legal advice; check current law."
    assert data["fallback_note"].startswith("Mitra has no entry for US-GU")
    assert (data["entry"]["code"], data["entry"]["status"]) == ("US", "legal")
    assert data["entry"]["seven_oh_status"] == "restricted"
    assert data["entry"]["effective"] == "2016-10-13"


def test_legal_answer_carries_local_rules_each_dated_and_sourced(client: TestClient) -> None:
    data = client.get("/api/v1/legal/us-ca").json()

    places = [(p["name"], p["status"], p["effective"]) for p in data["localities"]]
    assert places == [("Newport Beach", "banned", None), ("Solana Beach", "regulated", None)]
    newport = data["localities"][0]
    assert newport["as_of"] == "2026-11-25"
    assert [s["id"] for s in newport["sources"]] == ["us-ca-newportbeach-2024"]
    assert client.get("/api/v1/legal/US-AL").json()["localities"] == []


def test_legal_for_a_state_with_its_own_entry_has_no_fallback_note(client: TestClient) -> None:
    data = client.get("/api/v1/legal/US-AL").json()

    assert (data["entry"]["code"], data["entry"]["status"], data["fallback_note"]) == (
        "US-AL",
        "banned",
        "",
    )


def test_legal_errors_name_the_code_or_the_field(client: TestClient) -> None:
    unknown = client.get("/api/v1/legal/AQ")
    malformed = client.get("/api/v1/legal/XX")

    assert (unknown.status_code, unknown.json()) == (
        404,
        {"detail": "no legal-status entry for 'AQ' in the knowledge base"},
    )
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"][-1] == "jurisdiction"


def test_help_lines_put_crisis_lines_first_with_the_emergency_number(client: TestClient) -> None:
    data = client.get("/api/v1/help-lines/US").json()

    assert [(x["name"], x["kind"]) for x in data["lines"]] == [
        ("988 Suicide & Crisis Lifeline", "crisis"),
        ("SAMHSA National Helpline", "substance_use"),
        ("Poison Help", "poison"),
        ("Befrienders Worldwide", "directory"),
    ]
    assert data["emergency"]["number"] == "911"
    assert data["international_only"] is False


def test_help_lines_for_an_unlisted_country_are_the_international_fallback(
    client: TestClient,
) -> None:
    data = client.get("/api/v1/help-lines/AQ").json()

    assert (data["country"], data["international_only"], data["emergency"]) == ("AQ", True, None)
    assert [x["country"] for x in data["lines"]] == ["INTL"]


def test_search_returns_hits_with_section_and_page(client: TestClient) -> None:
    hits = client.get("/api/v1/kb/search", params={"q": "liver"}).json()

    assert [(h["id"], h["section"], h["section_title"], h["score"], h["page"]) for h in hits] == [
        ("risk.liver", "risks", "Risks", 3, "/knowledge/risks/liver")
    ]


def test_search_needs_a_query_and_honours_the_limit(client: TestClient) -> None:
    assert client.get("/api/v1/kb/search").status_code == 422
    assert len(client.get("/api/v1/kb/search", params={"q": "kratom", "limit": 2}).json()) == 2


def test_the_openapi_document_types_the_knowledge_responses(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert {
        "/api/v1/evidence",
        "/api/v1/evidence/{claim_id}",
        "/api/v1/risks",
        "/api/v1/risks/{risk_id}",
        "/api/v1/legal",
        "/api/v1/legal/{code}",
        "/api/v1/help-lines/{country}",
        "/api/v1/kb/search",
    } <= set(paths)
    ok = paths["/api/v1/legal/{code}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/LegalAnswerOut"}
