"""SQLCipher: keys, encrypted connections, exports between keys, and checks that a copy is whole.

The passphrase is stretched once per journal with SQLCipher 4's own key derivation (PBKDF2-HMAC-
SHA512, 256,000 iterations, a random 16-byte salt kept in the file's first 16 bytes); every
connection is then keyed with the derived raw key (`PRAGMA key = "x'<key><salt>'"`), so opening a
second pooled connection costs no second derivation and the passphrase itself is not kept. The
derived key is held in a bytearray that `CipherKey.wipe()` overwrites when the journal locks.

Damage is told apart from a wrong key: SQLCipher checks an HMAC on every page, so a wrong key fails
on every page while damage fails on some pages only (`PRAGMA cipher_integrity_check`); a plain file
is checked with SQLite's own `quick_check`, and a plain file whose first bytes were overwritten is
recognised by the rest of its 100-byte header (which an encrypted file never has in clear).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2  # type: ignore[import-untyped]

from mitra.adapters.files import PRIVATE, create_private
from mitra.errors import DamagedJournalError, InvalidInputError, WrongPassphraseError

DBAPI: Any = dbapi2  # the DB-API module SQLAlchemy is handed for encrypted journals
PLAIN_HEADER = b"SQLite format 3\x00"
KDF_ALGORITHM = "PBKDF2-HMAC-SHA512"
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
PAGE_BYTES = 4096  # SQLCipher 4's default page size
CIPHER = "AES-256-CBC, HMAC-SHA512 per 4096-byte page (SQLCipher 4 defaults)"
KDF_SETTINGS = f"{KDF_ALGORITHM}, {KDF_ITERATIONS:,} iterations, {SALT_BYTES}-byte random salt"
REWRITE_SUFFIX = ".rewrite"
DAMAGED = (
    "the journal file is damaged ({name}); restore a backup: move the file aside, then run "
    "`mitra restore BACKUP`"
)


@dataclass(frozen=True)
class CipherKey:
    """A derived raw key with its salt; never printed (repr hides it); `wipe()` overwrites it."""

    raw: bytearray = field(repr=False)
    salt: bytes = field(repr=False)

    def wipe(self) -> None:
        self.raw[:] = bytes(len(self.raw))

    @property
    def text(self) -> str:
        """SQLCipher's raw-key notation, key then salt: x'<hex>' (hex digits only)."""
        return f"x'{self.raw.hex()}{self.salt.hex()}'"

    @property
    def pragma_value(self) -> str:
        """The raw key as a quoted SQL literal; safe to inline, as it holds only hex digits."""
        return f'"{self.text}"'


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except FileNotFoundError:
        return b""


def looks_like_plain_header(head: bytes) -> bool:
    """Bytes 16-23 of SQLite's file header: a power-of-two page size, format versions 1 or 2 and
    the fixed payload fractions 64, 32, 32 (SQLite file format, section 1.3). In an encrypted file
    these bytes are ciphertext (a chance match is rarer than 1 in 2^40)."""
    if len(head) < 24:
        return False
    size = int.from_bytes(head[16:18], "big")
    size = 65536 if size == 1 else size
    power_of_two = 512 <= size <= 65536 and size & (size - 1) == 0
    return power_of_two and head[18] in (1, 2) and head[19] in (1, 2) and head[21:24] == b"@  "


def is_encrypted(path: Path) -> bool:
    """True when the file exists, is not empty, does not start with SQLite's plain header and is
    not a plain file whose header was damaged."""
    head = _head(path)
    return bool(head) and head[:16] != PLAIN_HEADER and not looks_like_plain_header(head)


def check_plain(path: Path) -> None:
    """DamagedJournalError unless the plain SQLite file at `path` passes SQLite's checks."""
    head = _head(path)
    if not head or not path.is_file():
        return
    if head[:16] != PLAIN_HEADER:
        raise DamagedJournalError(DAMAGED.format(name=path.name))
    try:
        conn = sqlite3.connect(path, timeout=10.0)
    except sqlite3.OperationalError:
        return  # cannot be opened (read-only disk, no permission): the store's own open says so
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:
        return  # busy, locked or read-only: not damage; the store's own open reports it
    except sqlite3.DatabaseError:
        raise DamagedJournalError(DAMAGED.format(name=path.name)) from None
    finally:
        conn.close()
    if result != [("ok",)]:
        raise DamagedJournalError(DAMAGED.format(name=path.name))


def derive_key(passphrase: str, salt: bytes) -> CipherKey:
    """SQLCipher 4's derivation of the page key from a passphrase (NFC-normalised, UTF-8)."""
    if not passphrase:
        raise InvalidInputError.one("passphrase", "must not be empty")
    text = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    raw = bytearray(hashlib.pbkdf2_hmac("sha512", text, salt, KDF_ITERATIONS, KEY_BYTES))
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


def verify(conn: Any, path: Path) -> None:
    """Read the schema and check every page: WrongPassphraseError if the key does not open the
    file, DamagedJournalError if it opens but some pages are damaged or missing."""
    damaged = DamagedJournalError(DAMAGED.format(name=path.name))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except dbapi2.DatabaseError as exc:
        if "not a database" not in str(exc) or _fails_on_some_pages_only(conn, path):
            raise damaged from None
        raise WrongPassphraseError(
            "wrong passphrase: the journal stays locked and nothing was changed"
        ) from None
    try:
        healthy = conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except dbapi2.DatabaseError:
        healthy = False
    if not healthy:
        raise damaged


def _fails_on_some_pages_only(conn: Any, path: Path) -> bool:
    """A wrong key fails the HMAC of every page; damage fails it on some pages only, or leaves a
    page short. (A file of one page cannot tell the two apart: it counts as a wrong key.)"""
    problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    pages = max(1, path.stat().st_size // PAGE_BYTES)
    failed = sum("HMAC verification failed" in problem for problem in problems)
    return any("invalid size" in problem for problem in problems) or 0 < failed < pages


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
        verify(conn, path)
        yield conn
    finally:
        conn.close()


def table_checksums(conn: Any, schema: str = "main") -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of every row, in rowid order, for every table of `schema` (a name
    Mitra chose, never user input): a logical checksum."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    sums: dict[str, tuple[int, str]] = {}
    for name in names:
        digest = hashlib.sha256()
        count = 0
        quoted = name.replace('"', '""')
        for row in conn.execute(f'SELECT * FROM {schema}."{quoted}" ORDER BY rowid'):
            digest.update(repr(tuple(row)).encode("utf-8"))
            count += 1
        sums[name] = (count, digest.hexdigest())
    return sums


def export(conn: Any, target: Path, key: CipherKey | None) -> None:
    """Copy every table of `conn`'s database into `target` (a new or empty file), encrypted with
    `key` (plain when None), through SQLCipher's `sqlcipher_export`."""
    key_text = key.text if key is not None else ""
    conn.execute("ATTACH DATABASE ? AS rewritten KEY ?", (str(target), key_text))
    try:
        conn.execute("SELECT sqlcipher_export('rewritten')").fetchall()
    finally:
        conn.execute("DETACH DATABASE rewritten")


def rewrite_path(path: Path) -> Path:
    return path.with_name(path.name + REWRITE_SUFFIX)


@contextmanager
def rewriting(path: Path) -> Iterator[Path]:
    """The rewrite file beside `path`: created empty with mode 0600 and held with an exclusive
    lock while the block runs, so `remove_stale_rewrite` never takes one still being written."""
    temp = rewrite_path(path)
    remove_stale_rewrite(path)
    create_private(temp)
    fd = os.open(temp, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield temp
    finally:
        os.close(fd)


def remove_stale_rewrite(path: Path) -> None:
    """Delete a rewrite file left by a killed `lock encrypt|change|decrypt` (it may hold the
    journal in plain text); one a running rewrite holds (locked) is left alone."""
    temp = rewrite_path(path)
    try:
        fd = os.open(temp, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return
    else:
        temp.unlink(missing_ok=True)
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(new: Path, target: Path) -> None:
    """fsync `new` (made private, 0600), rename it over `target` in one step, then fsync the
    folder."""
    new.chmod(PRIVATE)
    fsync_path(new)
    os.replace(new, target)
    fsync_path(target.parent)
