"""Study declarations are checked whole; a freeze holds who joined by then and never withdrew."""

from __future__ import annotations

from datetime import date

import pytest
from tests.studies import declaration

from mitra.domain.research.study import Event, Participation, Tier, members_at, study_from_mapping
from mitra.errors import InvalidInputError


def test_a_declaration_becomes_a_study_with_k_5_and_min_cell_5_by_default() -> None:
    raw = declaration()
    del raw["k"], raw["min_cell"]
    study = study_from_mapping({**raw, "period_start": date(2026, 1, 1)})
    assert (study.tier, study.k, study.min_cell) == (Tier.REGISTERED, 5, 5)
    assert study.covers(date(2026, 6, 1)) and not study.covers(date(2027, 1, 1))


def test_every_problem_of_a_declaration_is_reported_at_once() -> None:
    bad = {
        "id": "X",
        "title": " ",
        "kinds": ["uses", "dreams"],
        "tier": "open",
        "period_start": "2026-13-01",
        "period_end": "2026-01-01",
        "k": True,
        "min_cell": 1,
    }
    with pytest.raises(InvalidInputError) as raised:
        study_from_mapping(bad)
    fields = [p.field for p in raised.value.problems]
    assert fields == [
        "id",
        "kinds",
        "tier",
        "title",
        "purpose",
        "ethics_reference",
        "period_start",
        "consent_version",
        "consent_text",
        "min_cell",
        "k",
    ]


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidInputError) as raised:
        study_from_mapping(declaration(period_end="2025-12-31"))
    assert raised.value.message == "period_end: is before period_start"


def test_a_withdrawal_removes_the_person_from_the_next_freeze_only() -> None:
    records = [
        Participation("a", Event.JOINED, date(2026, 3, 1)),
        Participation("b", Event.JOINED, date(2026, 3, 1)),
        Participation("c", Event.JOINED, date(2026, 3, 2)),
        Participation("b", Event.WITHDRAWN, date(2026, 4, 10)),
        Participation("b", Event.WITHDRAWN, date(2026, 4, 1)),
        Participation("z", Event.WITHDRAWN, date(2026, 4, 1)),  # never joined: not listed
        Participation("d", Event.JOINED, date(2026, 5, 1)),  # after the freeze
    ]
    before = members_at(records, date(2026, 3, 31))
    assert before.members == ("a", "b", "c") and before.withdrawn == ()
    after = members_at(records, date(2026, 4, 30))
    assert after.members == ("a", "c")
    assert after.withdrawn == (("b", date(2026, 4, 1)),)
