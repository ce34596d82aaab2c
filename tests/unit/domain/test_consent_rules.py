"""Known answers for the consent rules (issue #21): roles as stored, every wrong field of a scope
named at once, the period in plain words, and a consent's state on a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mitra.domain.consent import (
    MAX_ROLLING_DAYS,
    Consent,
    PeriodKind,
    Role,
    Scope,
    Shared,
    State,
    check_scope,
    describe,
    format_roles,
    parse_roles,
    require_researcher,
)
from mitra.errors import ForbiddenError, InvalidInputError

TODAY = date(2026, 12, 7)


def problems(**given: object) -> dict[str, str]:
    values: dict[str, object] = {
        "kinds": ["questionnaires"],
        "period": "all",
        "since": None,
        "days": None,
        "until": date(2027, 1, 1),
        "today": TODAY,
    } | given
    with pytest.raises(InvalidInputError) as raised:
        check_scope(**values)  # type: ignore[arg-type]
    return {p.field: p.reason for p in raised.value.problems}


def test_roles_are_read_as_stored_and_everyone_is_a_person() -> None:
    assert parse_roles("clinician") == {Role.CLINICIAN, Role.PERSON}
    assert format_roles(frozenset({Role.RESEARCHER})) == "person researcher"
    with pytest.raises(InvalidInputError, match="unknown role in 'doctor'"):
        parse_roles("doctor")


def test_only_a_researcher_publishes_studies() -> None:
    require_researcher(frozenset({Role.RESEARCHER}))
    with pytest.raises(ForbiddenError, match="only a researcher account"):
        require_researcher(frozenset({Role.CLINICIAN, Role.SERVER_ADMIN}))


def test_every_wrong_field_of_a_scope_is_named_at_once() -> None:
    assert problems(kinds=["x-rays"], period="weekly", until=None) == {
        "kinds": "unknown kind 'x-rays'",
        "period": "choose all, from a date, or the last N days",
        "until": "give the last day the consent holds",
    }
    assert problems(kinds=[], period="from", until=date(2026, 12, 6)) == {
        "kinds": "choose at least one kind to share",
        "since": "give the first day to share",
        "until": "must be today or later",
    }
    assert problems(period="from", since=date(2026, 12, 8), until=date(2030, 1, 1)) == {
        "since": "must not be in the future",
        "until": "must be within three years (you can renew it)",
    }
    assert problems(period="rolling", days=MAX_ROLLING_DAYS + 1) == {
        "days": f"must be 1-{MAX_ROLLING_DAYS} days"
    }


def test_the_period_in_plain_words_and_its_first_day() -> None:
    rolling = check_scope(["uses"], "rolling", None, 30, date(2027, 1, 1), TODAY)
    since = check_scope(["uses"], "from", date(2026, 1, 1), None, date(2027, 1, 1), TODAY)
    everything = check_scope(["uses"], "all", None, None, date(2027, 1, 1), TODAY)

    assert rolling.start(TODAY) == date(2026, 11, 8)
    assert rolling.period_words() == "the last 30 days (a window that moves with each day)"
    assert since.start(TODAY) == date(2026, 1, 1)
    assert since.period_words() == "from 2026-01-01 on"
    assert everything.start(TODAY) is None
    assert everything.period_words() == "everything, from your first entry"


def test_notes_are_said_to_stay_private_only_when_not_chosen() -> None:
    scope = Scope(frozenset({Shared.NOTES}), PeriodKind.ALL, None, None, date(2027, 1, 1))
    lines = describe(scope, "lee")

    assert lines[0] == "lee will be able to see: the notes you write (free text)."
    assert "Your written notes are not shared." not in lines


def test_a_consent_expires_after_its_last_day_unless_revoked() -> None:
    scope = Scope(frozenset({Shared.USES}), PeriodKind.ALL, None, None, date(2026, 12, 31))
    at = datetime(2026, 12, 1, tzinfo=UTC)
    active = Consent(1, 2, "ana", 3, "lee", 1, State.ACTIVE, scope, at, at)
    revoked = Consent(1, 2, "ana", 3, "lee", 2, State.REVOKED, scope, at, at)

    assert active.grants(3, Shared.USES, date(2026, 12, 31)) is True
    assert active.grants(3, Shared.CHECKINS, date(2026, 12, 31)) is False
    assert active.grants(4, None, date(2026, 12, 31)) is False
    assert active.state_on(date(2027, 1, 1)) is State.EXPIRED
    assert active.grants(3, Shared.USES, date(2027, 1, 1)) is False
    assert revoked.state_on(date(2027, 1, 1)) is State.REVOKED
