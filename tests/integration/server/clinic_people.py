"""Named personas for the clinician-in-the-loop tests (issue #21), and their cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from mitra.adapters.store import tables as t
from mitra.domain.consent import Consent
from mitra.services import accounts, consent
from mitra.services.context import Mitra

PASSWORD = "a long walk by the river"


@dataclass(frozen=True)
class People:
    base: Mitra
    ana: int  # a person who shares her journal
    ben: int  # a person who shares nothing
    lee: int  # a clinician
    kim: int  # a clinic admin (not a clinician)
    max: int  # another clinician, never invited


def _id(base: Mitra, name: str) -> int:
    return next(a.id for a in accounts.list_accounts(base) if a.name == name)


@contextmanager
def people(base: Mitra) -> Iterator[People]:
    for name in ("ana", "ben", "lee", "kim", "max"):
        accounts.add_account(base, name, PASSWORD)
    consent.grant_role(base, "lee", "clinician")
    consent.grant_role(base, "max", "clinician")
    consent.grant_role(base, "kim", "clinic_admin")
    try:
        yield People(base, *(_id(base, n) for n in ("ana", "ben", "lee", "kim", "max")))
    finally:
        with base.store.engine.begin() as conn:  # PostgreSQL runs share one database
            for table in (
                t.taper_reviews,
                t.clinic_invitations,
                t.questionnaire_requests,
                t.consent_versions,
                t.consents,
                t.audit_events,
                t.sessions,
                t.api_tokens,
                t.invitations,
                t.accounts,
            ):
                conn.execute(table.delete())
            for table in (*t.JOURNAL_TABLES, t.preferences):
                conn.execute(table.delete().where(table.c.journal_id != t.PERSONAL_JOURNAL))
            conn.execute(t.journals.delete().where(t.journals.c.id != t.PERSONAL_JOURNAL))


def share(
    base: Mitra,
    person: int,
    clinician: int,
    kinds: list[str],
    *,
    period: str = "all",
    since: date | None = None,
    days: int | None = None,
    until: date = date(2026, 12, 31),
) -> Consent:
    scope = consent.preview(base, kinds, period, since, days, until).scope
    _, code = consent.offer(base, person, scope)
    return consent.accept(base, clinician, code)
