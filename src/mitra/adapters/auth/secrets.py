"""Password hashing (argon2id), the offline common-password check, TOTP and random tokens.

Tokens handed to a browser or API client are random (`secrets.token_urlsafe`); only their SHA-256
digest is stored, so a copy of the database lets no one sign in.
"""

from __future__ import annotations

import hashlib
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


def totp_accepts(secret: str, code: str, at: datetime) -> bool:
    """The 6-digit code of `at`'s 30-second step, or of the step before or after (clock drift)."""
    code = code.strip().replace(" ", "")
    return (
        len(code) == 6
        and code.isdigit()
        and pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)
    )


def totp_at(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)
