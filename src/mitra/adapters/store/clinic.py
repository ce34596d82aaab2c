"""Roles, consents (with every version kept), the audit chain and questionnaire requests
(issue #21): plain rows, read and written in transactions for no journal."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.domain import audit, taper_review
from mitra.domain.consent import Consent, PeriodKind, Scope, Shared, State, describe


def roles_of(conn: Connection, account_id: int) -> str:
    query = sa.select(t.accounts.c.roles).where(t.accounts.c.id == account_id)
    found = conn.execute(query).scalar_one_or_none()
    return str(found or "person")


def set_roles(conn: Connection, account_id: int, roles: str) -> None:
    query = t.accounts.update().where(t.accounts.c.id == account_id).values(roles=roles)
    conn.execute(query)


def accounts_with_role(conn: Connection, role: str) -> list[tuple[int, str, str]]:
    c = t.accounts.c
    rows = conn.execute(sa.select(c.id, c.name, c.roles).order_by(c.name))
    return [(row.id, row.name, row.roles) for row in rows if role in row.roles.split()]


# --- consents -------------------------------------------------------------------------------

_person = t.accounts.alias("person")
_clinician = t.accounts.alias("clinician")


def _select() -> sa.Select[Any]:
    c = t.consents.c
    return sa.select(
        t.consents,
        _person.c.name.label("person_name"),
        _person.c.journal_id.label("person_journal_id"),
        _clinician.c.name.label("clinician_name"),
    ).select_from(
        t.consents.join(_person, _person.c.id == c.person_account_id).outerjoin(
            _clinician, _clinician.c.id == c.clinician_account_id
        )
    )


def _consent(row: Any) -> Consent:
    scope = Scope(
        kinds=frozenset(Shared(word) for word in row.kinds.split()),
        period=PeriodKind(row.period),
        since=row.since,
        days=row.days,
        until=row.until,
    )
    return Consent(
        id=row.id,
        person_account_id=row.person_account_id,
        person_name=row.person_name,
        clinician_account_id=row.clinician_account_id,
        clinician_name=row.clinician_name,
        version=row.version,
        state=State(row.state),
        scope=scope,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _scope_values(scope: Scope) -> dict[str, Any]:
    return {
        "kinds": " ".join(sorted(kind.value for kind in scope.kinds)),
        "period": scope.period.value,
        "since": scope.since,
        "days": scope.days,
        "until": scope.until,
    }


def _terms(consent: Consent) -> str:
    values = _scope_values(consent.scope)
    values["since"] = values["since"].isoformat() if values["since"] else None
    values["until"] = values["until"].isoformat()
    values["words"] = describe(consent.scope, consent.clinician_name)
    values["clinician_account_id"] = consent.clinician_account_id
    return json.dumps(values, sort_keys=True)


def _record_version(
    conn: Connection, consent: Consent, by: int, change: str, now: datetime
) -> None:
    conn.execute(
        t.consent_versions.insert().values(
            consent_id=consent.id,
            version=consent.version,
            state=consent.state.value,
            terms=_terms(consent),
            changed_by=by,
            change=change,
            recorded_at=now,
        )
    )


def add_consent(
    conn: Connection, person_account_id: int, code_digest: str | None, scope: Scope, now: datetime
) -> Consent:
    values = {
        "person_account_id": person_account_id,
        "code_digest": code_digest,
        "version": 1,
        "state": State.PENDING.value,
        "created_at": now,
        "updated_at": now,
        **_scope_values(scope),
    }
    key = conn.execute(t.consents.insert().values(values)).inserted_primary_key
    assert key is not None
    consent = consent_by_id(conn, int(key[0]))
    assert consent is not None
    _record_version(conn, consent, person_account_id, "offered", now)
    return consent


def consent_by_id(conn: Connection, consent_id: int) -> Consent | None:
    row = conn.execute(_select().where(t.consents.c.id == consent_id)).first()
    return None if row is None else _consent(row)


def consent_by_code(conn: Connection, code_digest: str) -> Consent | None:
    row = conn.execute(_select().where(t.consents.c.code_digest == code_digest)).first()
    return None if row is None else _consent(row)


def person_journal(conn: Connection, consent_id: int) -> int:
    query = (
        sa.select(t.accounts.c.journal_id)
        .select_from(t.consents.join(t.accounts, t.accounts.c.id == t.consents.c.person_account_id))
        .where(t.consents.c.id == consent_id)
    )
    return int(conn.execute(query).scalar_one())


def consents_of_person(conn: Connection, account_id: int) -> list[Consent]:
    query = _select().where(t.consents.c.person_account_id == account_id)
    return [_consent(row) for row in conn.execute(query.order_by(t.consents.c.id.desc()))]


def consents_of_clinician(conn: Connection, account_id: int) -> list[Consent]:
    query = _select().where(t.consents.c.clinician_account_id == account_id)
    return [_consent(row) for row in conn.execute(query.order_by(_person.c.name))]


def change_consent(
    conn: Connection, consent: Consent, by: int, change: str, now: datetime, **values: Any
) -> Consent:
    """A new version of the consent (the current row changes; the version before is kept)."""
    version = consent.version + 1
    query = (
        t.consents.update()
        .where(t.consents.c.id == consent.id, t.consents.c.version == consent.version)
        .values(version=version, updated_at=now, **values)
    )
    if conn.execute(query).rowcount != 1:
        raise RuntimeError("consent changed meanwhile")  # the caller's transaction rolls back
    changed = consent_by_id(conn, consent.id)
    assert changed is not None
    _record_version(conn, changed, by, change, now)
    return changed


def versions(conn: Connection, consent_id: int) -> list[dict[str, Any]]:
    c = t.consent_versions.c
    query = t.consent_versions.select().where(c.consent_id == consent_id).order_by(c.version)
    return [dict(row) for row in conn.execute(query).mappings()]


# --- the audit chain ------------------------------------------------------------------------


def _event(row: Any) -> audit.Event:
    return audit.Event(**{name: row[name] for name in audit.Event.__dataclass_fields__})


def lock_chain(conn: Connection) -> None:
    """Serialise appends to the chain: each needs the hash of the one before."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE")


def head(conn: Connection) -> str:
    c = t.audit_events.c
    found = conn.execute(sa.select(c.hash).order_by(c.id.desc()).limit(1)).scalar_one_or_none()
    return str(found) if found else audit.GENESIS


def next_id(conn: Connection) -> int:
    """The id the next event gets: ids are never reused, so the hash can cover it. On SQLite the
    AUTOINCREMENT counter; on PostgreSQL the identity sequence."""
    if conn.dialect.name == "postgresql":
        return int(
            conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))"
            ).scalar_one()
        )
    seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
    last = seq.scalar_one_or_none()
    return int(last or 0) + 1


def append(conn: Connection, fields: dict[str, Any], previous_hash: str, digest: str) -> None:
    conn.execute(t.audit_events.insert().values(**fields, previous_hash=previous_hash, hash=digest))


def events(conn: Connection, subject_account_id: int | None = None) -> list[audit.Event]:
    c = t.audit_events.c
    query = t.audit_events.select().order_by(c.id)
    if subject_account_id is not None:
        query = query.where(c.subject_account_id == subject_account_id)
    return [_event(row) for row in conn.execute(query).mappings()]


# --- questionnaire requests -----------------------------------------------------------------


def add_request(
    conn: Connection, consent_id: int, person_account_id: int, instrument_id: str, now: datetime
) -> int:
    values = {
        "consent_id": consent_id,
        "person_account_id": person_account_id,
        "instrument_id": instrument_id,
        "requested_at": now,
    }
    key = conn.execute(t.questionnaire_requests.insert().values(values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def open_requests(conn: Connection, person_account_id: int) -> list[tuple[int, str, datetime]]:
    c = t.questionnaire_requests.c
    query = (
        sa.select(c.id, c.instrument_id, c.requested_at)
        .where(c.person_account_id == person_account_id, c.answered_at.is_(None))
        .order_by(c.id)
    )
    return [(row.id, row.instrument_id, row.requested_at) for row in conn.execute(query)]


def answer_requests(
    conn: Connection, person_account_id: int, instrument_id: str, now: datetime
) -> int:
    c = t.questionnaire_requests.c
    query = (
        t.questionnaire_requests.update()
        .where(
            c.person_account_id == person_account_id,
            c.instrument_id == instrument_id,
            c.answered_at.is_(None),
        )
        .values(answered_at=now)
    )
    return int(conn.execute(query).rowcount)


def requests_of_consent(conn: Connection, consent_id: int) -> list[dict[str, Any]]:
    c = t.questionnaire_requests.c
    query = t.questionnaire_requests.select().where(c.consent_id == consent_id).order_by(c.id)
    return [dict(row) for row in conn.execute(query).mappings()]


def requests_of_journal(conn: Connection, journal_id: int) -> list[dict[str, Any]]:
    """The requests made to the person whose journal this is, under consents still marked
    active (the caller drops expired ones), with the clinician's name."""
    q = t.questionnaire_requests.c
    person = t.accounts.alias("asked")
    query = (
        sa.select(
            q.instrument_id, q.requested_at, _clinician.c.name.label("by"), t.consents.c.until
        )
        .select_from(
            t.questionnaire_requests.join(t.consents, t.consents.c.id == q.consent_id)
            .join(person, person.c.id == q.person_account_id)
            .join(_clinician, _clinician.c.id == t.consents.c.clinician_account_id)
        )
        .where(person.c.journal_id == journal_id, t.consents.c.state == State.ACTIVE.value)
        .order_by(q.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


# --- taper reviews (migration 0013) ---------------------------------------------------------


def _review(row: Any) -> taper_review.Review:
    return taper_review.Review(
        id=row.id,
        consent_id=row.consent_id,
        plan_id=row.plan_id,
        clinician=row.clinician_name,
        kind=taper_review.ReviewKind(row.kind),
        every_days=row.every_days,
        text=row.text,
        made_at=row.made_at,
        answer=taper_review.Answer(row.answer) if row.answer else None,
        answered_at=row.answered_at,
    )


def add_review(conn: Connection, person_account_id: int, review: taper_review.Review) -> int:
    values = {
        "consent_id": review.consent_id,
        "person_account_id": person_account_id,
        "plan_id": review.plan_id,
        "clinician_name": review.clinician,
        "kind": review.kind.value,
        "every_days": review.every_days,
        "text": review.text,
        "made_at": review.made_at,
    }
    key = conn.execute(t.taper_reviews.insert().values(values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def reviews_of_consent(conn: Connection, consent_id: int) -> list[taper_review.Review]:
    c = t.taper_reviews.c
    query = t.taper_reviews.select().where(c.consent_id == consent_id).order_by(c.id.desc())
    return [_review(row) for row in conn.execute(query)]


def reviews_of_journal(conn: Connection, journal_id: int) -> list[taper_review.Review]:
    """The reviews made to the person whose journal this is, under consents still marked
    active, newest first."""
    c = t.taper_reviews.c
    person = t.accounts.alias("reviewed")
    query = (
        sa.select(t.taper_reviews)
        .select_from(
            t.taper_reviews.join(t.consents, t.consents.c.id == c.consent_id).join(
                person, person.c.id == c.person_account_id
            )
        )
        .where(person.c.journal_id == journal_id, t.consents.c.state == State.ACTIVE.value)
        .order_by(c.id.desc())
    )
    return [_review(row) for row in conn.execute(query)]


def answer_review(
    conn: Connection, review_id: int, answer: taper_review.Answer, at: datetime
) -> None:
    c = t.taper_reviews.c
    query = (
        t.taper_reviews.update()
        .where(c.id == review_id, c.answer.is_(None))
        .values(answer=answer.value, answered_at=at)
    )
    if conn.execute(query).rowcount != 1:
        raise RuntimeError("review answered meanwhile")  # the caller's transaction rolls back


# --- the dashboard's sort keys --------------------------------------------------------------

ITEM9_RULE = "crisis.phq9_item9"


def open_alert_counts(conn: Connection, since: datetime | None) -> tuple[bool, int, int]:
    """(an open PHQ-9 item-9 alert, open crisis alerts, open urgent alerts) in this
    transaction's journal, seen since `since` (None: ever): one query."""
    a = t.alerts.c
    query = sa.select(a.rule_id, a.severity).where(
        a.acknowledged_at.is_(None),
        a.resolved_at.is_(None),
        a.severity.in_(("crisis", "urgent")),
    )
    if since is not None:
        query = query.where(a.last_seen >= since)
    found = conn.execute(query).all()
    return (
        any(row.rule_id == ITEM9_RULE for row in found),
        sum(1 for row in found if row.severity == "crisis"),
        sum(1 for row in found if row.severity == "urgent"),
    )


def granted_journals(conn: Connection, consent_ids: list[int]) -> dict[int, int]:
    """consent id -> the person's journal id, in one query."""
    query = (
        sa.select(t.consents.c.id, t.accounts.c.journal_id)
        .select_from(t.consents.join(t.accounts, t.accounts.c.id == t.consents.c.person_account_id))
        .where(t.consents.c.id.in_(consent_ids))
    )
    return {int(row[0]): int(row[1]) for row in conn.execute(query)}


# --- clinic invitations (migration 0013) ----------------------------------------------------


def add_invitation(conn: Connection, clinician_account_id: int, digest: str, now: datetime) -> None:
    values = {"clinician_account_id": clinician_account_id, "code_digest": digest, "made_at": now}
    conn.execute(t.clinic_invitations.insert().values(values))


def invitation(conn: Connection, digest: str) -> tuple[int, int, str] | None:
    """(invitation id, clinician account id, clinician name) of an unused code."""
    i = t.clinic_invitations.c
    query = (
        sa.select(i.id, i.clinician_account_id, t.accounts.c.name)
        .select_from(
            t.clinic_invitations.join(t.accounts, t.accounts.c.id == i.clinician_account_id)
        )
        .where(i.code_digest == digest, i.used_at.is_(None))
    )
    row = conn.execute(query).first()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))


def use_invitation(conn: Connection, invitation_id: int, now: datetime) -> None:
    i = t.clinic_invitations.c
    query = (
        t.clinic_invitations.update()
        .where(i.id == invitation_id, i.used_at.is_(None))
        .values(used_at=now)
    )
    if conn.execute(query).rowcount != 1:
        raise RuntimeError("invitation used meanwhile")  # the caller's transaction rolls back
