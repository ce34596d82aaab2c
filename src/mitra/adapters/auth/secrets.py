"""Password hashing (argon2id), the offline common-password check, TOTP and random tokens.

Tokens handed to a browser or API client are random (`secrets.token_urlsafe`); only their SHA-256
digest is stored, so a copy of the database lets no one sign in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from functools import cache
from importlib import resources

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) parameters
# verified against when an account name is unknown, so the answer takes as long as for a real one
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="Mitra")


TOTP_DRIFT_STEPS = 1  # RFC 6238 section 5.2 recommends at most one step of network delay


def totp_step(secret: str, code: str, at: datetime) -> int | None:
    """The 30-second time step whose 6-digit code `code` is: `at`'s step, or the step before or
    after (clock drift); None when it is none of them. Only the step is found here; whether it
    may still be used (each step once, RFC 6238 section 5.2) is the store's
    `accounts.use_totp_step`."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    matched = None
    for step in range(max(0, now - TOTP_DRIFT_STEPS), now + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(code, totp.generate_otp(step)):
            matched = step  # every step is compared, so the time taken tells nothing
    return matched


def totp_at(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)
