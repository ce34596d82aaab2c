"""Contract test for the sourced knowledge files: every entry is dated, sourced and well-formed."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.adapters.knowledge import evidence, help_lines, safety
from mitra.adapters.knowledge.loader import read_yaml
from mitra.adapters.knowledge.standard_drinks import load_standard_drinks
from mitra.adapters.knowledge.taper import load_taper
from mitra.domain.evidence import (
    Claim,
    Grade,
    LegalStatus,
    Risk,
    is_jurisdiction_code,
)
from mitra.errors import ConfigurationError

CHECKED_ON = date(2026, 12, 7)
CLAIM_IDS = {
    "claim.anxiety",
    "claim.depression",
    "claim.ptsd",
    "claim.chronic_pain",
    "claim.energy",
    "claim.opioid_withdrawal",
}


def graded_entries() -> list[Claim | Risk]:
    return [*evidence.load_claims(), *evidence.load_risks()]


def dated_sourced_entries() -> list[tuple[str, tuple[str, ...], date]]:
    entries: list[tuple[str, tuple[str, ...], date]] = []
    entries += [(c.id, c.sources, c.as_of) for c in evidence.load_claims()]
    entries += [(r.id, r.sources, r.as_of) for r in evidence.load_risks()]
    entries += [(t.id, t.sources, t.as_of) for t in evidence.load_about()]
    entries += [(t.id, t.sources, t.as_of) for t in evidence.load_treatments()]
    legal = evidence.load_legal().values()
    entries += [(j.code, j.sources, j.as_of) for j in legal]
    entries += [(f"{j.code} {p.name}", p.sources, p.as_of) for j in legal for p in j.localities]
    entries += [(f"line {x.name}", x.sources, x.as_of) for x in help_lines.load_crisis_lines()]
    numbers = help_lines.load_emergency_numbers().values()
    entries += [(f"emergency {e.country}", e.sources, e.as_of) for e in numbers]
    gaps = help_lines.load_line_gaps().values()
    entries += [(f"no 24-hour line {g.country}", g.sources, g.as_of) for g in gaps]
    return entries


def test_every_source_has_a_url_or_doi_and_a_kind() -> None:
    sources = evidence.load_sources()
    assert sources
    for source in sources.values():
        assert source.link.startswith(("http://", "https://")), source.id
        assert source.kind


def test_every_entry_cites_sources_that_exist_in_the_bibliography() -> None:
    known = set(evidence.load_sources())
    for name, sources, _ in dated_sourced_entries():
        assert sources, name
        assert set(sources) <= known, f"{name} cites unknown {set(sources) - known}"


def test_every_study_cites_a_known_source_that_its_entry_also_lists() -> None:
    known = set(evidence.load_sources())
    for entry in graded_entries():
        for study in entry.studies:
            assert study.source in known, entry.id
            assert study.source in entry.sources, entry.id


def test_every_entry_is_dated_no_later_than_the_check() -> None:
    for name, _, as_of in dated_sourced_entries():
        assert as_of <= CHECKED_ON, name


def test_every_source_is_used_somewhere() -> None:
    cited = {s for _, sources, _ in dated_sourced_entries() for s in sources}
    rules = safety.load_rules()
    cited |= {s for spec in rules.specs.values() for s in spec.sources}
    cited |= {s for klass in rules.classes.values() for s in klass.sources}
    drinks = load_standard_drinks()
    cited |= {s for d in drinks.by_country.values() for s in d.sources} | set(
        drinks.fallback_sources
    )
    facts = load_taper()
    cited |= {s for pace in facts.paces for s in pace.sources}
    items = (*facts.positions, *facts.treatments, facts.frequency)
    cited |= {s for item in items for s in item.sources}
    cited |= {*facts.custom.sources, *facts.hold_sources, *facts.escalation_sources}
    assert set(evidence.load_sources()) - cited == set()


def test_grades_come_from_the_documented_scale() -> None:
    for entry in graded_entries():
        assert isinstance(entry.grade, Grade)
    raw = read_yaml(evidence.CLAIMS_FILE)["claims"] + read_yaml(evidence.RISKS_FILE)["risks"]
    assert {e["grade"] for e in raw} <= {g.value for g in Grade}


def test_every_claim_the_issue_names_is_present_and_ptsd_says_no_evidence() -> None:
    claims = {c.id: c for c in evidence.load_claims()}
    assert CLAIM_IDS <= set(claims)
    assert claims["claim.ptsd"].grade is Grade.NONE
    assert "No human study" in claims["claim.ptsd"].summary


def test_the_evidence_gaps_have_their_own_graded_entries() -> None:
    risks = {r.id: r for r in evidence.load_risks()}
    for risk_id in ("risk.tolerance", "risk.withdrawal", "risk.gastrointestinal", "risk.endocrine"):
        assert risks[risk_id].grade is Grade.CROSS_SECTIONAL_SURVEY, risk_id
        assert risks[risk_id].studies, risk_id
    assert "No peer-reviewed source on" in risks["risk.withdrawal"].summary
    about = {t.id: t for t in evidence.load_about()}
    assert "23.24" in about["about.pharmacokinetics"].summary
    care = {t.id for t in evidence.load_treatments()}
    assert {
        "care.anxiety.guideline",
        "care.depression.guideline",
        "care.ptsd.guideline",
        "care.chronic_pain.guideline",
    } <= care


def test_jurisdiction_codes_are_well_formed() -> None:
    codes = [*evidence.load_legal(), *(line.country for line in help_lines.load_crisis_lines())]
    assert all(is_jurisdiction_code(code) for code in codes)
    assert "US" in evidence.load_legal()


US_STATES_AND_DC = set(
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE "
    "NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split()
)


def test_legal_status_covers_every_us_state_and_dc_and_at_least_forty_countries() -> None:
    legal = evidence.load_legal()
    countries = {code for code in legal if "-" not in code}
    assert len(countries) >= 40
    assert {"US", "TH", "MY", "AU", "SG", "SE", "DK", "JP", "CA", "ID", "GB"} <= countries
    states = {code.removeprefix("US-") for code in legal if code.startswith("US-")}
    assert len(US_STATES_AND_DC) == 51
    assert states == US_STATES_AND_DC


def test_local_rules_are_recorded_under_their_state() -> None:
    legal = evidence.load_legal()
    with_local_rules = {code for code, entry in legal.items() if entry.localities}
    assert {"US-CA", "US-CO", "US-FL", "US-IL", "US-MA", "US-MS", "US-NM"} <= with_local_rules
    bourne = next(p for p in legal["US-MA"].localities if p.name == "Town of Bourne")
    assert (bourne.status, bourne.effective) == (LegalStatus.BANNED, date(2025, 10, 22))


@pytest.mark.parametrize(
    ("code", "status", "seven_oh", "effective"),
    [
        ("US-AL", LegalStatus.BANNED, LegalStatus.BANNED, date(2016, 5, 10)),
        ("US-AR", LegalStatus.BANNED, LegalStatus.BANNED, date(2016, 2, 1)),
        ("US-RI", LegalStatus.REGULATED, LegalStatus.RESTRICTED, date(2026, 4, 1)),
        ("US-UT", LegalStatus.REGULATED, LegalStatus.RESTRICTED, date(2019, 5, 14)),
        ("US-GA", LegalStatus.REGULATED, LegalStatus.RESTRICTED, date(2025, 1, 1)),
        ("US-CO", LegalStatus.REGULATED, None, date(2024, 7, 1)),
        ("US-NE", LegalStatus.REGULATED, LegalStatus.RESTRICTED, date(2025, 7, 1)),
        ("US-DE", LegalStatus.UNCLEAR, None, None),
        ("US-ME", LegalStatus.UNCLEAR, None, None),
        ("BR", LegalStatus.UNCLEAR, None, None),
        ("SG", LegalStatus.BANNED, LegalStatus.BANNED, None),
        ("CA", LegalStatus.RESTRICTED, None, None),
    ],
)
def test_checked_jurisdictions_have_their_verified_status(
    code: str, status: LegalStatus, seven_oh: LegalStatus | None, effective: date | None
) -> None:
    entry = evidence.load_legal()[code]
    assert (entry.status, entry.seven_oh_status, entry.effective) == (status, seven_oh, effective)


def test_a_malformed_entry_names_the_file_and_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {"claims": [{"id": "claim.x", "title": "X", "grade": "anecdote"}]}
    monkeypatch.setattr(evidence, "read_yaml", lambda path: broken)
    with pytest.raises(ConfigurationError, match=r"evidence/claims.yaml: claims\[0\].grade"):
        evidence.load_claims()


def test_a_malformed_local_rule_names_its_path_inside_the_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    place = {"name": "Town", "status": "prohibited", "summary": "x", "sources": ["s"]}
    entry = {"code": "US-ZZ", "name": "Z", "status": "legal", "summary": "x", "sources": ["s"]}
    broken = {"jurisdictions": [{**entry, "as_of": CHECKED_ON, "localities": [place]}]}
    monkeypatch.setattr(evidence, "read_yaml", lambda path: broken)
    with pytest.raises(ConfigurationError, match=r"jurisdictions\[0\].localities\[0\].status"):
        evidence.load_legal()


def test_a_file_without_its_top_level_list_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "read_yaml", lambda path: {"other": []})
    with pytest.raises(ConfigurationError, match="sources.yaml: top level must have a list"):
        evidence.load_sources()
