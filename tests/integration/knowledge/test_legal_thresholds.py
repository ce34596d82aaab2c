"""The shipped 7-OH law: every event sourced and dated, statuses derived from events, and every
threshold number pinned by a known-answer table read from the shipped files."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.adapters.knowledge import evidence
from mitra.domain.evidence import LegalStatus
from mitra.domain.legal import EventType, derived_seven_oh_status, thresholds_event
from mitra.errors import ConfigurationError

CHECKED_ON = date(2026, 12, 7)

# (code, event date, event type, [(substance, measure, operator, value, scope), ...])
THRESHOLDS = [
    (
        "US",
        date(2026, 7, 1),
        EventType.NOTICE_OF_INTENT,
        [
            ("seven_oh", "percent_dry_weight", ">", 0.05, "plant_material"),
            ("seven_oh", "percent_total_weight", ">=", 0.05, "extracts"),
            ("seven_oh", "mg_per_item", ">", 1.0, "extracts"),
            ("derivatives", "mg_per_item", ">", 0.0, "all"),
        ],
    ),
    ("US-LA", date(2025, 8, 1), EventType.STATUTE, [("seven_oh", "mg_per_item", ">", 0.0, "all")]),
    (
        "US-FL",
        date(2025, 8, 13),
        EventType.EMERGENCY_RULE,
        [("seven_oh", "percent_total_weight", ">", 1.0, "all")],
    ),
    (
        "US-FL",
        date(2025, 8, 19),
        EventType.EMERGENCY_RULE,
        [("seven_oh", "percent_dry_weight", ">", 0.04, "all")],
    ),
    ("US-FL", date(2025, 12, 8), EventType.EMERGENCY_RULE, []),
    (
        "US-FL",
        date(2026, 6, 22),
        EventType.EMERGENCY_RULE,
        [("seven_oh", "percent_total_weight", ">", 0.1, "all")],
    ),
    (
        "US-OK",
        date(2021, 11, 1),
        EventType.STATUTE,
        [("seven_oh", "percent_alkaloids", ">", 2.0, "all")],
    ),
    (
        "US-TX",
        date(2023, 9, 1),
        EventType.STATUTE,
        [("seven_oh", "percent_alkaloids", ">", 2.0, "all")],
    ),
    (
        "US-UT",
        date(2019, 5, 14),
        EventType.STATUTE,
        [("seven_oh", "percent_alkaloids", ">", 2.0, "all")],
    ),
    (
        "US-KY",
        date(2024, 7, 15),
        EventType.STATUTE,
        [("seven_oh", "percent_alkaloids", ">", 2.0, "all")],
    ),
    (
        "US-GA",
        date(2025, 1, 1),
        EventType.STATUTE,
        [
            ("seven_oh", "mg_per_item", ">", 1.0, "all"),
            ("seven_oh", "percent_total_weight", ">", 0.05, "all"),
            ("mitragynine", "mg_per_item", ">", 150.0, "all"),
        ],
    ),
    (
        "US-CA",
        date(2025, 10, 24),
        EventType.GUIDANCE,
        [("seven_oh", "mg_per_item", ">", 0.0, "all")],
    ),
    (
        "US-OH",
        date(2025, 12, 12),
        EventType.EMERGENCY_RULE,
        [
            ("seven_oh", "mg_per_item", ">", 0.0, "all"),
            ("derivatives", "mg_per_item", ">", 0.0, "all"),
        ],
    ),
]


def test_every_threshold_in_the_files_is_in_the_known_answer_table() -> None:
    shipped = {
        (code, e.day)
        for code, entry in evidence.load_legal().items()
        for e in entry.events
        if e.thresholds is not None
    }
    assert shipped == {(code, day) for code, day, _, _ in THRESHOLDS}


@pytest.mark.parametrize(("code", "day", "kind", "expected"), THRESHOLDS)
def test_each_shipped_threshold_has_its_known_value(
    code: str, day: date, kind: EventType, expected: list[tuple[str, str, str, float, str]]
) -> None:
    event = next(e for e in evidence.load_legal()[code].events if e.day == day)
    assert event.type is kind
    assert event.thresholds is not None
    found = [
        (t.substance.value, t.measure.value, t.operator.value, t.value, t.scope.value)
        for t in event.thresholds
    ]
    assert found == expected


def test_every_event_cites_known_sources_and_is_dated_no_later_than_its_check() -> None:
    known = set(evidence.load_sources())
    for code, entry in evidence.load_legal().items():
        for event in entry.events:
            assert event.sources, code
            assert set(event.sources) <= known, f"{code} {event.day} cites unknown sources"
            assert isinstance(event.day, date), code
            assert event.day <= entry.as_of <= CHECKED_ON, f"{code} {event.day}"


def test_the_7oh_status_in_each_file_is_the_one_its_events_lead_to() -> None:
    for code, entry in evidence.load_legal().items():
        derived = derived_seven_oh_status(entry.events, entry.as_of)
        if derived is not None:
            assert entry.seven_oh_status is derived, code


def test_the_federal_7oh_notices_are_marked_not_final_and_no_longer_unconfirmed() -> None:
    us = evidence.load_legal()["US"]
    current = thresholds_event(us.events, CHECKED_ON)
    assert current is not None
    assert (current.day, current.final) == (date(2026, 7, 1), False)
    assert "not confirmed" not in us.summary
    assert "notices of intent, not final" in us.summary
    assert us.as_of == CHECKED_ON


def test_ohios_emergency_rule_expired_on_10_june_2026_and_7oh_is_unclear_since() -> None:
    ohio = evidence.load_legal()["US-OH"]
    assert [(e.day, e.type) for e in ohio.events] == [
        (date(2025, 12, 12), EventType.EMERGENCY_RULE),
        (date(2026, 6, 10), EventType.EXPIRY),
    ]
    assert thresholds_event(ohio.events, CHECKED_ON) is None
    assert derived_seven_oh_status(ohio.events, date(2026, 6, 9)) is LegalStatus.BANNED
    assert ohio.seven_oh_status is LegalStatus.UNCLEAR


def test_britain_is_banned_because_supply_and_import_are_offences() -> None:
    gb = evidence.load_legal()["GB"]
    assert (gb.status, gb.seven_oh_status) == (LegalStatus.BANNED, LegalStatus.BANNED)
    sources = evidence.load_sources()
    assert sources["oh7-psa-2016-offences"].url == (
        "https://www.legislation.gov.uk/ukpga/2016/2/crossheading/offences"
    )
    assert "oh7-psa-2016-offences" in gb.sources


@pytest.mark.parametrize(
    ("threshold", "field"),
    [
        (
            {
                "substance": "seven_oh",
                "measure": "grams",
                "operator": ">",
                "value": 1,
                "scope": "all",
            },
            "measure",
        ),
        (
            {
                "substance": "seven_oh",
                "measure": "mg_per_item",
                "operator": ">",
                "value": "1",
                "scope": "all",
            },
            "value",
        ),
        (
            {
                "substance": "seven_oh",
                "measure": "mg_per_item",
                "operator": ">",
                "value": -1,
                "scope": "all",
            },
            "value",
        ),
    ],
)
def test_a_malformed_threshold_names_its_path_inside_the_entry(
    monkeypatch: pytest.MonkeyPatch, threshold: dict[str, object], field: str
) -> None:
    event = {"date": date(2026, 1, 1), "type": "statute", "summary": "x", "sources": ["s"]}
    entry = {"code": "US-ZZ", "name": "Z", "status": "legal", "summary": "x", "sources": ["s"]}
    broken = {
        "jurisdictions": [
            {**entry, "as_of": CHECKED_ON, "events": [{**event, "thresholds": [threshold]}]}
        ]
    }
    monkeypatch.setattr(evidence, "read_yaml", lambda path: broken)
    where = rf"jurisdictions\[0\].events\[0\].thresholds\[0\].{field}"
    with pytest.raises(ConfigurationError, match=where):
        evidence.load_legal()
