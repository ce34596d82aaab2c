"""Server mode's accounts (issue #20): each account owns one journal; sign-in gives a session.

Every use case here runs in a transaction opened for no journal (`tables.NO_JOURNAL`), so the
journal tables show it nothing; the journal id a session carries comes from its account row,
never from a request. Disabling an account, resetting its password, or signing out ends every
session of it. Deleting an account erases its journal's rows (one transaction, then the store is
compacted as `mitra erase` does) and removes the journal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mitra.adapters.auth import secrets as auth
from mitra.adapters.store import accounts as store
from mitra.adapters.store import journals as journals_store
from mitra.adapters.store import snapshot
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    MitraError,
    NotFoundError,
    StorageError,
)
from mitra.services.context import Mitra

MIN_PASSWORD = 12
MAX_PASSWORD = 200
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
INVITATION_DAYS = 7
MAX_DELAY_S = 300.0
FREE_FAILURES = 3


class TooManyAttemptsError(ForbiddenError):
    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass(frozen=True)
class SignedIn:
    """A session just opened: the token for the cookie (shown once) and its CSRF token."""

    token: str
    csrf: str
    account_id: int
    journal_id: int


@dataclass(frozen=True)
class Visitor:
    """Who a request is: the account, its journal, and the session's CSRF token (None for an
    API token, which is sent as a header, so no form can be forged with it)."""

    account_id: int
    name: str
    journal_id: int
    session_id: int | None
    csrf: str | None


def _accounts(mitra: Mitra) -> Mitra:
    return mitra.for_journal(NO_JOURNAL)


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not 3 <= len(name) <= 64 or not set(name) <= NAME_CHARS:
        raise InvalidInputError.one(
            "name", "must be 3-64 lowercase letters, digits, '.', '_' or '-'"
        )
    return name


def check_password(password: str, name: str = "") -> None:
    """Refuse a short, overlong or common password (an offline list; nothing is sent anywhere)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError.one("password", f"must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInputError.one("password", f"must be at most {MAX_PASSWORD} characters")
    lowered = password.lower()
    if lowered in auth.common_passwords() or (name and name.lower() in lowered):
        raise InvalidInputError.one(
            "password", "is too easy to guess (a common password, or it holds the account name)"
        )


def add_account(mitra: Mitra, name: str, password: str) -> int:
    """A new account with its own new journal; its id."""
    name = check_name(name)
    check_password(password, name)
    hashed = auth.hash_password(password)
    now = mitra.now()
    with _accounts(mitra).store.write() as conn:
        if store.by_name(conn, name) is not None:
            raise ConflictError(f"an account named {name!r} exists already")
        journal_id = journals_store.add(conn, name, now)
        return store.add(conn, name, hashed, journal_id, now)


def list_accounts(mitra: Mitra) -> list[store.Account]:
    with _accounts(mitra).store.read() as conn:
        return store.all_accounts(conn)


def _named(conn: object, name: str) -> store.Account:
    found = store.by_name(conn, check_name(name))  # type: ignore[arg-type]
    if found is None:
        raise NotFoundError(f"no account named {name!r}")
    return found


def disable(mitra: Mitra, name: str) -> int:
    """Disable an account; every session of it ends. The number of sessions ended."""
    with _accounts(mitra).store.write() as conn:
        account = _named(conn, name)
        store.update(conn, account.id, disabled_at=mitra.now())
        return store.end_sessions(conn, account.id)


def enable(mitra: Mitra, name: str) -> None:
    with _accounts(mitra).store.write() as conn:
        store.update(conn, _named(conn, name).id, disabled_at=None)


def reset_password(mitra: Mitra, name: str, password: str) -> None:
    """A new password (and no second factor); every session of the account ends."""
    check_password(password, check_name(name))
    hashed = auth.hash_password(password)
    with _accounts(mitra).store.write() as conn:
        account = _named(conn, name)
        store.update(conn, account.id, password_hash=hashed, totp_secret=None, totp_last_step=None)
        store.end_sessions(conn, account.id)


@dataclass(frozen=True)
class NewSecondFactor:
    """A second factor not yet on: the secret and the otpauth:// link an authenticator app reads."""

    secret: str
    uri: str


def second_factor_is_on(mitra: Mitra, account_id: int) -> bool:
    with _accounts(mitra).store.read() as conn:
        account = store.by_id(conn, account_id)
    return account is not None and account.totp_secret is not None


def new_second_factor(name: str) -> NewSecondFactor:
    """A fresh secret for an authenticator app; nothing is stored until a code from it is shown
    (`turn_on_second_factor`), so a half-done setup cannot lock anyone out."""
    return second_factor_of(auth.new_totp_secret(), name)


def second_factor_of(secret: str, name: str) -> NewSecondFactor:
    return NewSecondFactor(secret, auth.totp_uri(secret, name))


def second_factor_code(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at `at` (for tests and the demo)."""
    return auth.totp_at(secret, at)


def turn_on_second_factor(mitra: Mitra, account_id: int, secret: str, code: str) -> None:
    """Keep `secret` as the account's second factor once `code` proves the app has it. The
    code's step counts as used, so the same code cannot then sign in (RFC 6238 section 5.2)."""
    secret = secret.strip().upper()
    if len(secret) != 32 or not set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"):
        raise InvalidInputError.one("secret", "is not one Mitra made; start again")
    step = auth.totp_step(secret, code, mitra.now())
    if step is None:
        raise InvalidInputError.one(
            "code", "does not match: type the 6 digits the app shows now (check its clock)"
        )
    with _accounts(mitra).store.write() as conn:  # a new secret: no step of it was used yet
        store.update(conn, account_id, totp_secret=secret, totp_last_step=step)


def turn_off_second_factor(mitra: Mitra, account_id: int, password: str) -> None:
    """Sign-in asks for the password only again (the password is asked for first)."""
    with _accounts(mitra).store.write() as conn:
        account = store.by_id(conn, account_id)
        if account is None or not auth.verify_password(account.password_hash, password):
            raise ForbiddenError("wrong password; the code stays on")
        store.update(conn, account_id, totp_secret=None, totp_last_step=None)


def delete_account(mitra: Mitra, name: str) -> dict[str, int]:
    """Erase the account's journal (every row of it, one transaction), the account, its
    sessions and tokens, and the journal itself; then compact the store. Rows removed."""
    with _accounts(mitra).store.read() as conn:
        account = _named(conn, name)
    journal = mitra.for_journal(account.journal_id)
    with journal.store.write() as conn:
        removed = snapshot.delete_all(conn)
    with _accounts(mitra).store.write() as conn:
        store.remove(conn, account.id)
        journals_store.remove(conn, account.journal_id)
    try:
        snapshot.compact(mitra.store.engine)
    except StorageError:
        pass  # rows are gone; the next compaction (or `mitra erase`) reclaims the space
    return removed


# --- signing in -----------------------------------------------------------------------------


@dataclass
class Throttle:
    """Failed sign-ins per account name and per address: after a few free failures each one
    doubles the wait (1 s, 2 s, 4 s … at most 5 minutes). Kept in this process's memory."""

    clock: Callable[[], float] = time.monotonic
    failures: dict[str, int] = field(default_factory=dict)
    retry_at: dict[str, float] = field(default_factory=dict)
    # sign-ins whose password was right and whose code is awaited: digest -> (account, until)
    awaiting_code: dict[str, tuple[int, float]] = field(default_factory=dict)

    def check(self, *keys: str) -> None:
        wait = max((self.retry_at.get(key, 0.0) for key in keys), default=0.0) - self.clock()
        if wait > 0:
            raise TooManyAttemptsError(
                f"too many failed sign-ins: wait {math.ceil(wait)} s and try again", wait
            )

    def failed(self, *keys: str) -> None:
        for key in keys:
            count = self.failures.get(key, 0) + 1
            self.failures[key] = count
            if count > FREE_FAILURES:
                delay = min(2.0 ** (count - FREE_FAILURES - 1), MAX_DELAY_S)
                self.retry_at[key] = self.clock() + delay

    def succeeded(self, key: str) -> None:
        self.failures.pop(key, None)
        self.retry_at.pop(key, None)


WRONG = "wrong account name, password or code"
CODE_WAIT_S = 300.0


class CodeNeededError(MitraError):
    """The password was right; the account's authenticator code is needed to finish signing in
    (`finish_sign_in` with `pending`, for 5 minutes)."""

    status = 401

    def __init__(self, pending: str) -> None:
        super().__init__("type the 6-digit code from your authenticator app")
        self.pending = pending


def sign_in(
    mitra: Mitra,
    throttle: Throttle,
    name: str,
    password: str,
    address: str,
    code: str = "",
) -> SignedIn:
    """Check the password (and the TOTP code when the account has one); a new session. The
    same message for every failure, so it does not tell which account names exist."""
    keys = (f"account:{name.strip().lower()}", f"address:{address}")
    throttle.check(*keys)
    with _accounts(mitra).store.read() as conn:
        account = store.by_name(conn, name.strip().lower())
    stored = account.password_hash if account is not None else None
    good = auth.verify_password(stored, password)
    if account is None or not good or account.disabled_at is not None:
        throttle.failed(*keys)
        raise ForbiddenError(WRONG)
    if account.totp_secret is not None and not code.strip():
        pending = auth.new_token()
        until = throttle.clock() + CODE_WAIT_S
        throttle.awaiting_code[auth.digest(pending)] = (account.id, until)
        raise CodeNeededError(pending)
    signed = _open_session(mitra, account, code)
    if signed is None:
        throttle.failed(*keys)
        raise ForbiddenError(WRONG)
    throttle.succeeded(keys[0])
    return signed


def finish_sign_in(
    mitra: Mitra, throttle: Throttle, pending: str, code: str, address: str
) -> SignedIn:
    """The second step: the code for a sign-in whose password was right (`CodeNeededError`)."""
    waiting = throttle.awaiting_code.get(auth.digest(pending))
    if waiting is None or waiting[1] < throttle.clock():
        throttle.awaiting_code.pop(auth.digest(pending), None)
        raise ForbiddenError("this sign-in took too long or is unknown; sign in again")
    with _accounts(mitra).store.read() as conn:
        account = store.by_id(conn, waiting[0])
    if account is None or account.disabled_at is not None or account.totp_secret is None:
        raise ForbiddenError(WRONG)
    keys = (f"account:{account.name}", f"address:{address}")
    throttle.check(*keys)
    signed = _open_session(mitra, account, code)
    if signed is None:
        throttle.failed(*keys)
        raise ForbiddenError(WRONG)
    throttle.awaiting_code.pop(auth.digest(pending), None)
    throttle.succeeded(keys[0])
    return signed


def _open_session(mitra: Mitra, account: store.Account, code: str) -> SignedIn | None:
    """A new session for an account whose password was right; with a second factor only when
    `code` is the code of a step not used before, that step recorded in the session's
    transaction (RFC 6238 section 5.2: a code is accepted once). None when the code is wrong or
    used: the caller answers both alike, so a used code is not told from a wrong one."""
    secret = account.totp_secret
    now = mitra.now()
    step = auth.totp_step(secret, code, now) if secret is not None else None
    if secret is not None and step is None:
        return None
    token, csrf = auth.new_token(), auth.new_token()
    with _accounts(mitra).store.write() as conn:
        if secret is not None and step is not None:
            if not store.use_totp_step(conn, account.id, secret, step):
                return None
        store.add_session(conn, account.id, auth.digest(token), csrf, now)
    return SignedIn(token, csrf, account.id, account.journal_id)


def visitor_of_session(mitra: Mitra, token: str, idle: timedelta) -> Visitor | None:
    """The live session with this token (its idle time restarts), or None: unknown, idle too
    long (then it is ended), or its account disabled."""
    now = mitra.now()
    with _accounts(mitra).store.write() as conn:
        found = store.session(conn, auth.digest(token))
        if found is None:
            return None
        if now - found.last_seen > idle:
            store.end_session(conn, found.id)
            return None
        account = store.by_id(conn, found.account_id)
        if account is None or account.disabled_at is not None:
            return None
        if now - found.last_seen > timedelta(seconds=30):
            store.touch_session(conn, found.id, now)
        return Visitor(account.id, account.name, account.journal_id, found.id, found.csrf)


def visitor_of_token(mitra: Mitra, token: str) -> Visitor | None:
    with _accounts(mitra).store.write() as conn:
        owner = store.token_owner(conn, auth.digest(token), mitra.now())
        account = store.by_id(conn, owner) if owner is not None else None
    if account is None or account.disabled_at is not None:
        return None
    return Visitor(account.id, account.name, account.journal_id, None, None)


def sign_out_everywhere(mitra: Mitra, account_id: int) -> int:
    """End every session of the account (sign out, lock): the number ended."""
    with _accounts(mitra).store.write() as conn:
        return store.end_sessions(conn, account_id)


# --- API tokens -----------------------------------------------------------------------------


def create_token(mitra: Mitra, account_id: int, label: str) -> tuple[int, str]:
    """A new API token: its id and the secret (shown once; only its digest is kept)."""
    label = label.strip()[:100]
    token = auth.new_token()
    with _accounts(mitra).store.write() as conn:
        return store.add_token(conn, account_id, auth.digest(token), label, mitra.now()), token


def list_tokens(mitra: Mitra, account_id: int) -> list[store.ApiToken]:
    with _accounts(mitra).store.read() as conn:
        return store.tokens(conn, account_id)


def revoke_token(mitra: Mitra, account_id: int, token_id: int) -> None:
    with _accounts(mitra).store.write() as conn:
        if not (0 < token_id < 2**62) or not store.revoke_token(conn, account_id, token_id):
            raise NotFoundError(f"no API token with id {token_id}")


# --- invitations ----------------------------------------------------------------------------


def invite(mitra: Mitra, days: int = INVITATION_DAYS) -> str:
    """A one-time invitation secret, valid for `days`; the link is /invite/<secret>."""
    token = auth.new_token()
    now = mitra.now()
    with _accounts(mitra).store.write() as conn:
        store.add_invitation(conn, auth.digest(token), now, now + timedelta(days=days))
    return token


def invitation_is_live(mitra: Mitra, token: str) -> bool:
    with _accounts(mitra).store.read() as conn:
        return store.invitation_is_live(conn, auth.digest(token), mitra.now())


def accept_invitation(mitra: Mitra, token: str, name: str, password: str) -> int:
    """Create the account an invitation allows (once); its id."""
    name = check_name(name)
    check_password(password, name)
    hashed = auth.hash_password(password)
    now = mitra.now()
    with _accounts(mitra).store.write() as conn:
        if not store.use_invitation(conn, auth.digest(token), now):
            raise NotFoundError("this invitation link is unknown, used or expired")
        if store.by_name(conn, name) is not None:
            raise ConflictError(f"an account named {name!r} exists already")
        journal_id = journals_store.add(conn, name, now)
        return store.add(conn, name, hashed, journal_id, now)
