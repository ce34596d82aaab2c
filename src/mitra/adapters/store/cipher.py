"""SQLCipher: keys, encrypted connections, exports between keys, and checks that a copy is whole.

The passphrase is stretched once per journal with SQLCipher 4's own key derivation (PBKDF2-HMAC-
SHA512, 256,000 iterations, a random 16-byte salt kept in the file's first 16 bytes); every
connection is then keyed with the derived raw key (`PRAGMA key = "x'<key><salt>'"`), so opening a
second pooled connection costs no second derivation and the passphrase itself is not kept.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2  # type: ignore[import-untyped]

from mitra.errors import InvalidInputError, WrongPassphraseError

DBAPI: Any = dbapi2  # the DB-API module SQLAlchemy is handed for encrypted journals
PLAIN_HEADER = b"SQLite format 3\x00"
KDF_ALGORITHM = "PBKDF2-HMAC-SHA512"
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
CIPHER = "AES-256-CBC, HMAC-SHA512 per 4096-byte page (SQLCipher 4 defaults)"
KDF_SETTINGS = f"{KDF_ALGORITHM}, {KDF_ITERATIONS:,} iterations, {SALT_BYTES}-byte random salt"


@dataclass(frozen=True)
class CipherKey:
    """A derived raw key with its salt; never printed (repr hides it)."""

    raw: bytes = field(repr=False)
    salt: bytes = field(repr=False)

    @property
    def text(self) -> str:
        """SQLCipher's raw-key notation, key then salt: x'<hex>' (hex digits only)."""
        return f"x'{self.raw.hex()}{self.salt.hex()}'"

    @property
    def pragma_value(self) -> str:
        """The raw key as a quoted SQL literal; safe to inline, as it holds only hex digits."""
        return f'"{self.text}"'


def is_encrypted(path: Path) -> bool:
    """True when the file exists, is not empty and does not start with SQLite's plain header."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    return bool(head) and head != PLAIN_HEADER


def derive_key(passphrase: str, salt: bytes) -> CipherKey:
    """SQLCipher 4's derivation of the page key from a passphrase (NFC-normalised, UTF-8)."""
    if not passphrase:
        raise InvalidInputError.one("passphrase", "must not be empty")
    text = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    raw = hashlib.pbkdf2_hmac("sha512", text, salt, KDF_ITERATIONS, KEY_BYTES)
    return CipherKey(raw=raw, salt=salt)


def key_for(path: Path, passphrase: str) -> CipherKey:
    """The key for an existing encrypted file (its own salt), or a fresh salt for a new file."""
    salt = path.read_bytes()[:SALT_BYTES] if is_encrypted(path) else secrets.token_bytes(SALT_BYTES)
    return derive_key(passphrase, salt)


def new_key(passphrase: str) -> CipherKey:
    return derive_key(passphrase, secrets.token_bytes(SALT_BYTES))


def connect(path: Path, key: CipherKey | None, timeout: float = 10.0) -> Any:
    """A SQLCipher connection; keyed FIRST (before any page is read) when `key` is given."""
    conn = dbapi2.connect(str(path), timeout=timeout, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not on stderr
    if key is not None:
        conn.execute(f"PRAGMA key = {key.pragma_value}")
    conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files on disk
    return conn


def verify(conn: Any) -> None:
    """Read the schema: WrongPassphraseError if the key does not open the file."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except dbapi2.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongPassphraseError(
                "wrong passphrase: the journal stays locked and nothing was changed"
            ) from None
        raise


def check_passphrase(path: Path, passphrase: str) -> CipherKey:
    """The key if `passphrase` opens the encrypted file at `path`; WrongPassphraseError if not."""
    key = key_for(path, passphrase)
    with opened(path, key):
        pass
    return key


@contextmanager
def opened(path: Path, key: CipherKey | None) -> Iterator[Any]:
    """A verified connection, closed when the block ends."""
    conn = connect(path, key)
    try:
        verify(conn)
        yield conn
    finally:
        conn.close()


def table_checksums(conn: Any) -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of every row, in rowid order, for every table: a logical checksum."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    sums: dict[str, tuple[int, str]] = {}
    for name in names:
        digest = hashlib.sha256()
        count = 0
        quoted = name.replace('"', '""')
        for row in conn.execute(f'SELECT * FROM "{quoted}" ORDER BY rowid'):
            digest.update(repr(tuple(row)).encode("utf-8"))
            count += 1
        sums[name] = (count, digest.hexdigest())
    return sums


def export(conn: Any, target: Path, key: CipherKey | None) -> None:
    """Copy every table of `conn`'s database into a new file `target`, encrypted with `key`
    (plain when None), through SQLCipher's `sqlcipher_export`."""
    key_text = key.text if key is not None else ""
    conn.execute("ATTACH DATABASE ? AS rewritten KEY ?", (str(target), key_text))
    try:
        conn.execute("SELECT sqlcipher_export('rewritten')").fetchall()
    finally:
        conn.execute("DETACH DATABASE rewritten")


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(new: Path, target: Path) -> None:
    """fsync `new`, rename it over `target` in one step, then fsync the folder."""
    if target.exists():
        shutil.copymode(target, new)
    fsync_path(new)
    os.replace(new, target)
    fsync_path(target.parent)
