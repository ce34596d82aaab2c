"""Roles and consent (issue #21): a person shares part of their journal with a clinician.

The person chooses a scope and sees it in plain words (`preview`), then gets a one-time code
(`offer`; the link is /clinic/join/<code>) to give the clinician, who enters it (`accept`).
Every change is a new version of the consent (`adapters.store.clinic`). `granted` is the one
check every clinician read goes through: it reads the consent in the request's own transaction,
so a revocation holds from the clinician's very next request; a consent that does not grant
(none, someone else's, pending, expired, revoked, or the kind out of scope) is NotFoundError,
the same answer as an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mitra.adapters.auth import secrets as auth
from mitra.adapters.export.fhir_consent import consent_resource
from mitra.adapters.store import accounts as accounts_store
from mitra.adapters.store import clinic as store
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.clock import local_day
from mitra.domain.consent import (
    Consent,
    Role,
    Scope,
    Shared,
    State,
    can_manage_clinicians,
    check_scope,
    describe,
    format_roles,
    parse_roles,
    require_clinician,
)
from mitra.errors import ConflictError, ForbiddenError, NotFoundError
from mitra.services.context import Mitra

NOT_SHARED = "no such patient (nothing is shared with you under this id)"


def _base(mitra: Mitra) -> Mitra:
    return mitra.for_journal(NO_JOURNAL)


def today(mitra: Mitra) -> date:
    """The server's day (consents end at the end of their last day, in the server's zone)."""
    base = _base(mitra)
    with base.store.read() as conn:
        return local_day(mitra.now(), base.timezone_in(conn))


# --- roles ----------------------------------------------------------------------------------


def roles(mitra: Mitra, account_id: int) -> frozenset[Role]:
    with _base(mitra).store.read() as conn:
        return parse_roles(store.roles_of(conn, account_id))


def grant_role(mitra: Mitra, name: str, role: str, *, on: bool = True) -> frozenset[Role]:
    """Give (or take) a role; the server operator's act (`mitra accounts role`)."""
    wanted = parse_roles(role) - {Role.PERSON}
    with _base(mitra).store.write() as conn:
        account = accounts_store.by_name(conn, name.strip().lower())
        if account is None:
            raise NotFoundError(f"no account named {name!r}")
        held = parse_roles(store.roles_of(conn, account.id))
        held = held | wanted if on else held - wanted
        store.set_roles(conn, account.id, format_roles(held))
        return held


def set_clinician(mitra: Mitra, admin_account_id: int, name: str, *, on: bool) -> None:
    """A clinic admin (or server admin) makes an account a clinician, or no longer one."""
    if not can_manage_clinicians(roles(mitra, admin_account_id)):
        raise ForbiddenError("only a clinic admin manages clinician accounts")
    grant_role(mitra, name, Role.CLINICIAN.value, on=on)


def clinicians(mitra: Mitra, admin_account_id: int) -> list[str]:
    if not can_manage_clinicians(roles(mitra, admin_account_id)):
        raise ForbiddenError("only a clinic admin manages clinician accounts")
    with _base(mitra).store.read() as conn:
        return [name for _, name, _ in store.accounts_with_role(conn, Role.CLINICIAN.value)]


# --- the person's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    scope: Scope
    words: list[str]


def preview(
    mitra: Mitra,
    kinds: list[str],
    period: str,
    since: date | None,
    days: int | None,
    until: date | None,
) -> Preview:
    scope = check_scope(kinds, period, since, days, until, today(mitra))
    return Preview(scope, describe(scope, None))


def offer(mitra: Mitra, person_account_id: int, scope: Scope) -> tuple[Consent, str]:
    """A pending consent and its one-time code (shown once; only its digest is kept)."""
    code = auth.new_token()
    with _base(mitra).store.write() as conn:
        consent = store.add_consent(conn, person_account_id, auth.digest(code), scope, mitra.now())
    return consent, code


def of_person(mitra: Mitra, person_account_id: int) -> list[Consent]:
    with _base(mitra).store.read() as conn:
        return store.consents_of_person(conn, person_account_id)


def own(mitra: Mitra, person_account_id: int, consent_id: int) -> Consent:
    with _base(mitra).store.read() as conn:
        found = store.consent_by_id(conn, consent_id) if 0 < consent_id < 2**62 else None
    if found is None or found.person_account_id != person_account_id:
        raise NotFoundError(f"no consent with id {consent_id}")
    return found


def revoke(mitra: Mitra, person_account_id: int, consent_id: int) -> Consent:
    """End a consent: the clinician's next request is refused."""
    with _base(mitra).store.write() as conn:
        found = store.consent_by_id(conn, consent_id) if 0 < consent_id < 2**62 else None
        if found is None or found.person_account_id != person_account_id:
            raise NotFoundError(f"no consent with id {consent_id}")
        if found.state is State.REVOKED:
            return found
        return store.change_consent(
            conn,
            found,
            person_account_id,
            "revoked",
            mitra.now(),
            state=State.REVOKED.value,
            code_digest=None,
        )


def fhir_consent(mitra: Mitra, person_account_id: int, consent_id: int) -> dict[str, object]:
    return consent_resource(own(mitra, person_account_id, consent_id), today(mitra))


def versions(mitra: Mitra, person_account_id: int, consent_id: int) -> list[dict[str, object]]:
    own(mitra, person_account_id, consent_id)
    with _base(mitra).store.read() as conn:
        return store.versions(conn, consent_id)


# --- a clinic's invitation (the other direction) --------------------------------------------

INVITATION_UNKNOWN = "this invitation code is unknown or already used"


def invite(mitra: Mitra, clinician_account_id: int) -> str:
    """A one-time code a clinician gives a person; the person enters it and chooses the scope."""
    require_clinician(roles(mitra, clinician_account_id))
    code = auth.new_token()
    with _base(mitra).store.write() as conn:
        store.add_invitation(conn, clinician_account_id, auth.digest(code), mitra.now())
    return code


def invited_by(mitra: Mitra, code: str) -> str:
    """The name of the clinician whose unused invitation this is (NotFoundError otherwise)."""
    with _base(mitra).store.read() as conn:
        found = store.invitation(conn, auth.digest(code.strip()))
    if found is None:
        raise NotFoundError(INVITATION_UNKNOWN)
    return found[2]


def accept_invitation(mitra: Mitra, person_account_id: int, code: str, scope: Scope) -> Consent:
    """The person agrees to the scope they chose for the clinician who invited them: the
    consent is active at once (offered and accepted, two versions). One transaction."""
    now = mitra.now()
    with _base(mitra).store.write() as conn:
        found = store.invitation(conn, auth.digest(code.strip()))
        if found is None:
            raise NotFoundError(INVITATION_UNKNOWN)
        invitation_id, clinician_id, _name = found
        if clinician_id == person_account_id:
            raise ConflictError("this is your own invitation")
        store.use_invitation(conn, invitation_id, now)
        offered = store.add_consent(conn, person_account_id, None, scope, now)
        return store.change_consent(
            conn,
            offered,
            person_account_id,
            "accepted invitation",
            now,
            state=State.ACTIVE.value,
            clinician_account_id=clinician_id,
        )


# --- the clinician's side -------------------------------------------------------------------


def accept(mitra: Mitra, clinician_account_id: int, code: str) -> Consent:
    """A clinician enters a person's code: the consent becomes active for them."""
    require_clinician(roles(mitra, clinician_account_id))
    with _base(mitra).store.write() as conn:
        found = store.consent_by_code(conn, auth.digest(code.strip()))
        if found is None or found.state is not State.PENDING:
            raise NotFoundError("this code is unknown, used or withdrawn")
        if found.person_account_id == clinician_account_id:
            raise ConflictError("this is your own journal's code")
        return store.change_consent(
            conn,
            found,
            clinician_account_id,
            "accepted",
            mitra.now(),
            state=State.ACTIVE.value,
            clinician_account_id=clinician_account_id,
            code_digest=None,
        )


def patients(mitra: Mitra, clinician_account_id: int) -> list[Consent]:
    """The consents that grant this clinician anything today, one per person (the newest)."""
    require_clinician(roles(mitra, clinician_account_id))
    day = today(mitra)
    with _base(mitra).store.read() as conn:
        found = store.consents_of_clinician(conn, clinician_account_id)
    chosen: dict[int, Consent] = {}
    for consent in found:
        if consent.grants(clinician_account_id, None, day):
            held = chosen.get(consent.person_account_id)
            if held is None or held.id < consent.id:
                chosen[consent.person_account_id] = consent
    return sorted(chosen.values(), key=lambda c: c.person_name)


def granted(
    mitra: Mitra, clinician_account_id: int, consent_id: int, kind: Shared | None = None
) -> tuple[Consent, int]:
    """The consent (and the person's journal id) when it grants this clinician `kind` today;
    NotFoundError otherwise (see the module's text), also for an account that is no
    clinician: an object id outside a consent is a 404 whoever asks."""
    if Role.CLINICIAN not in roles(mitra, clinician_account_id):
        raise NotFoundError(NOT_SHARED)
    day = today(mitra)
    with _base(mitra).store.read() as conn:
        found = store.consent_by_id(conn, consent_id) if 0 < consent_id < 2**62 else None
        if found is None or not found.grants(clinician_account_id, kind, day):
            raise NotFoundError(NOT_SHARED)
        return found, store.person_journal(conn, consent_id)
