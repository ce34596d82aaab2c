"""Accounts, sessions, API tokens and invitations (server mode): plain rows, secrets as digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    journal_id: int
    password_hash: str
    totp_secret: str | None
    created_at: datetime
    disabled_at: datetime | None


def _account(row: Any) -> Account:
    return Account(**{name: row[name] for name in Account.__dataclass_fields__})


def add(conn: Connection, name: str, password_hash: str, journal_id: int, now: datetime) -> int:
    values = {
        "name": name,
        "password_hash": password_hash,
        "journal_id": journal_id,
        "created_at": now,
    }
    key = conn.execute(t.accounts.insert().values(values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def by_name(conn: Connection, name: str) -> Account | None:
    row = conn.execute(t.accounts.select().where(t.accounts.c.name == name)).mappings().first()
    return None if row is None else _account(row)


def by_id(conn: Connection, account_id: int) -> Account | None:
    query = t.accounts.select().where(t.accounts.c.id == account_id)
    row = conn.execute(query).mappings().first()
    return None if row is None else _account(row)


def all_accounts(conn: Connection) -> list[Account]:
    rows = conn.execute(t.accounts.select().order_by(t.accounts.c.name)).mappings()
    return [_account(row) for row in rows]


def update(conn: Connection, account_id: int, **values: Any) -> None:
    conn.execute(t.accounts.update().where(t.accounts.c.id == account_id).values(**values))


def use_totp_step(conn: Connection, account_id: int, secret: str, step: int) -> bool:
    """Record that the code of time `step` was used; False when a code of that step or a later
    one was used already (or the secret changed meanwhile): RFC 6238 section 5.2, a code is
    accepted once. One conditional UPDATE, so of two concurrent sign-ins with one code exactly
    one changes the row (PostgreSQL re-checks the WHERE once the first commits)."""
    c = t.accounts.c
    query = (
        t.accounts.update()
        .where(
            c.id == account_id,
            c.totp_secret == secret,
            sa.or_(c.totp_last_step.is_(None), c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return bool(conn.execute(query).rowcount)


def remove(conn: Connection, account_id: int) -> None:
    conn.execute(t.accounts.delete().where(t.accounts.c.id == account_id))


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    id: int
    account_id: int
    csrf: str
    last_seen: datetime


def add_session(conn: Connection, account_id: int, digest: str, csrf: str, now: datetime) -> None:
    conn.execute(
        t.sessions.insert().values(
            digest=digest, account_id=account_id, csrf=csrf, created_at=now, last_seen=now
        )
    )


def session(conn: Connection, digest: str) -> Session | None:
    query = sa.select(
        t.sessions.c.id, t.sessions.c.account_id, t.sessions.c.csrf, t.sessions.c.last_seen
    ).where(t.sessions.c.digest == digest)
    row = conn.execute(query).mappings().first()
    return None if row is None else Session(**row)


def touch_session(conn: Connection, session_id: int, now: datetime) -> None:
    query = t.sessions.update().where(t.sessions.c.id == session_id)
    conn.execute(query.values(last_seen=now))


def end_session(conn: Connection, session_id: int) -> None:
    conn.execute(t.sessions.delete().where(t.sessions.c.id == session_id))


def end_sessions(conn: Connection, account_id: int) -> int:
    query = t.sessions.delete().where(t.sessions.c.account_id == account_id)
    return int(conn.execute(query).rowcount)


def count_sessions(conn: Connection, account_id: int) -> int:
    query = sa.select(sa.func.count()).where(t.sessions.c.account_id == account_id)
    return int(conn.execute(query).scalar_one())


# --- API tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiToken:
    id: int
    label: str
    created_at: datetime
    last_used: datetime | None


def add_token(conn: Connection, account_id: int, digest: str, label: str, now: datetime) -> int:
    values = {"digest": digest, "account_id": account_id, "label": label, "created_at": now}
    key = conn.execute(t.api_tokens.insert().values(values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def tokens(conn: Connection, account_id: int) -> list[ApiToken]:
    c = t.api_tokens.c
    query = (
        sa.select(c.id, c.label, c.created_at, c.last_used)
        .where(c.account_id == account_id)
        .order_by(c.id)
    )
    return [ApiToken(**row) for row in conn.execute(query).mappings()]


def token_owner(conn: Connection, digest: str, now: datetime) -> int | None:
    c = t.api_tokens.c
    row = conn.execute(sa.select(c.id, c.account_id).where(c.digest == digest)).first()
    if row is None:
        return None
    conn.execute(t.api_tokens.update().where(c.id == row.id).values(last_used=now))
    return int(row.account_id)


def revoke_token(conn: Connection, account_id: int, token_id: int) -> bool:
    c = t.api_tokens.c
    query = t.api_tokens.delete().where(c.id == token_id, c.account_id == account_id)
    return bool(conn.execute(query).rowcount)


# --- invitations ----------------------------------------------------------------------------


def add_invitation(conn: Connection, digest: str, now: datetime, expires: datetime) -> None:
    conn.execute(t.invitations.insert().values(digest=digest, created_at=now, expires_at=expires))


def use_invitation(conn: Connection, digest: str, now: datetime) -> bool:
    """Mark a live invitation used; False when unknown, used or expired."""
    c = t.invitations.c
    query = (
        t.invitations.update()
        .where(c.digest == digest, c.used_at.is_(None), c.expires_at > now)
        .values(used_at=now)
    )
    return bool(conn.execute(query).rowcount)


def invitation_is_live(conn: Connection, digest: str, now: datetime) -> bool:
    c = t.invitations.c
    query = sa.select(c.id).where(c.digest == digest, c.used_at.is_(None), c.expires_at > now)
    return conn.execute(query).first() is not None
