"""Who may see what of a person's journal (issue #21): roles, and the consent a person gives a
clinician. Pure: the clock is passed in.

A consent names the kinds shared, the period they cover (from a date, a rolling number of days,
or all) and the day it ends. It is `pending` until a clinician accepts its code, `active` after,
and `revoked` when the person ends it; past its last day it is `expired` whatever it was. Every
change is a new version (the store keeps each one). Notes are never shared unless the person
chose them as a kind of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mitra.errors import FieldProblem, ForbiddenError, InvalidInputError

MAX_ROLLING_DAYS = 3650
MAX_CONSENT_DAYS = 3 * 366


class Role(StrEnum):
    PERSON = "person"
    CLINICIAN = "clinician"
    CLINIC_ADMIN = "clinic_admin"
    SERVER_ADMIN = "server_admin"
    RESEARCHER = "researcher"


ROLE_WORDS = {
    Role.PERSON: "person (keeps a journal)",
    Role.CLINICIAN: "clinician (sees the journals people share with them)",
    Role.CLINIC_ADMIN: "clinic admin (manages clinician accounts; sees no clinical data)",
    Role.SERVER_ADMIN: "server admin",
    Role.RESEARCHER: "researcher (publishes studies and freezes their donations; sees no journal)",
}


def parse_roles(text: str) -> frozenset[Role]:
    """Roles as stored (space-separated words); every account is at least a person."""
    try:
        found = {Role(word) for word in text.split()}
    except ValueError as exc:
        raise InvalidInputError.one("roles", f"unknown role in {text!r}") from exc
    return frozenset(found | {Role.PERSON})


def format_roles(roles: frozenset[Role]) -> str:
    return " ".join(sorted(role.value for role in roles | {Role.PERSON}))


def can_manage_clinicians(roles: frozenset[Role]) -> bool:
    return bool(roles & {Role.CLINIC_ADMIN, Role.SERVER_ADMIN})


def require_clinician(roles: frozenset[Role]) -> None:
    """A clinic admin or server admin sees no clinical data unless also a clinician."""
    if Role.CLINICIAN not in roles:
        raise ForbiddenError("only a clinician account sees shared journals")


def require_researcher(roles: frozenset[Role]) -> None:
    """Publishing and freezing studies (#22) is a researcher's act; it opens no journal."""
    if Role.RESEARCHER not in roles:
        raise ForbiddenError("only a researcher account publishes and freezes studies")


class Shared(StrEnum):
    """The kinds of a journal a consent can share, in the order they are shown."""

    QUESTIONNAIRES = "questionnaires"
    USES = "uses"
    MEDICATIONS = "medications"
    ALERTS = "alerts"
    CHECKINS = "checkins"
    NOTES = "notes"
    TAPER = "taper"


SHARED_WORDS = {
    Shared.QUESTIONNAIRES: "questionnaire scores (PHQ-9, GAD-7, PCL-5, PEG, SOWS and others)",
    Shared.USES: "kratom use (times, amounts, products)",
    Shared.MEDICATIONS: "medications and other substances",
    Shared.ALERTS: "safety alerts with their reasons (a reason can name a medication you listed)",
    Shared.CHECKINS: "daily check-in ratings",
    Shared.NOTES: "the notes you write (free text)",
    Shared.TAPER: "your taper plan",
}


class PeriodKind(StrEnum):
    ALL = "all"
    FROM = "from"
    ROLLING = "rolling"


class State(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Scope:
    kinds: frozenset[Shared]
    period: PeriodKind
    since: date | None  # PeriodKind.FROM
    days: int | None  # PeriodKind.ROLLING
    until: date  # the last day the consent holds

    def start(self, today: date) -> date | None:
        """The first day shared, as of `today` (None: from the beginning)."""
        if self.period is PeriodKind.FROM:
            return self.since
        if self.period is PeriodKind.ROLLING:
            assert self.days is not None
            return today - timedelta(days=self.days - 1)
        return None

    def covers(self, kind: Shared) -> bool:
        return kind in self.kinds

    def period_words(self) -> str:
        if self.period is PeriodKind.FROM:
            assert self.since is not None
            return f"from {self.since.isoformat()} on"
        if self.period is PeriodKind.ROLLING:
            return f"the last {self.days} days (a window that moves with each day)"
        return "everything, from your first entry"


def check_scope(
    kinds: list[str],
    period: str,
    since: date | None,
    days: int | None,
    until: date | None,
    today: date,
) -> Scope:
    """A scope the person chose, or InvalidInputError naming every wrong field."""
    errors: dict[str, str] = {}
    chosen: set[Shared] = set()
    for word in kinds:
        try:
            chosen.add(Shared(word))
        except ValueError:
            errors["kinds"] = f"unknown kind {word!r}"
    if not chosen and "kinds" not in errors:
        errors["kinds"] = "choose at least one kind to share"
    try:
        period_kind = PeriodKind(period)
    except ValueError:
        errors["period"] = "choose all, from a date, or the last N days"
        period_kind = PeriodKind.ALL
    if period_kind is PeriodKind.FROM and since is None:
        errors["since"] = "give the first day to share"
    if period_kind is PeriodKind.FROM and since is not None and since > today:
        errors["since"] = "must not be in the future"
    if period_kind is PeriodKind.ROLLING and not (days and 1 <= days <= MAX_ROLLING_DAYS):
        errors["days"] = f"must be 1-{MAX_ROLLING_DAYS} days"
    if until is None:
        errors["until"] = "give the last day the consent holds"
    elif until < today:
        errors["until"] = "must be today or later"
    elif until > today + timedelta(days=MAX_CONSENT_DAYS):
        errors["until"] = "must be within three years (you can renew it)"
    if errors:
        raise InvalidInputError([FieldProblem(name, why) for name, why in errors.items()])
    assert until is not None
    return Scope(
        kinds=frozenset(chosen),
        period=period_kind,
        since=since if period_kind is PeriodKind.FROM else None,
        days=days if period_kind is PeriodKind.ROLLING else None,
        until=until,
    )


@dataclass(frozen=True)
class Consent:
    id: int
    person_account_id: int
    person_name: str
    clinician_account_id: int | None
    clinician_name: str | None
    version: int
    state: State  # as stored: pending, active or revoked
    scope: Scope
    created_at: datetime
    updated_at: datetime

    def state_on(self, today: date) -> State:
        if self.state is not State.REVOKED and today > self.scope.until:
            return State.EXPIRED
        return self.state

    def grants(self, clinician_account_id: int, kind: Shared | None, today: date) -> bool:
        """Whether this consent lets the clinician see `kind` (None: the patient at all) today."""
        return (
            self.clinician_account_id == clinician_account_id
            and self.state_on(today) is State.ACTIVE
            and (kind is None or self.scope.covers(kind))
        )


def describe(scope: Scope, clinician: str | None) -> list[str]:
    """The consent in plain words, shown before the person agrees and on every later look."""
    who = clinician or "the clinician who enters the code"
    kinds = [SHARED_WORDS[kind] for kind in Shared if kind in scope.kinds]
    lines = [
        f"{who} will be able to see: " + "; ".join(kinds) + ".",
        f"Period: {scope.period_words()}.",
        f"Until: the end of {scope.until.isoformat()}, unless you end it sooner.",
    ]
    if Shared.NOTES not in scope.kinds:
        lines.append("Your written notes are not shared.")
    lines += [
        "Nothing else in your journal is shared.",
        "Every time they look, it is recorded, and you can read that record (your disclosure log).",
        "You can end this at any time; it stops at their very next request.",
        "Your journal is marked as substance-use information: they may not pass it on "
        "without your written consent (US 42 CFR Part 2).",
    ]
    return lines
