"""Protecting the journal with a passphrase: set up, encrypt, change, decrypt, and status.

Every change of key writes a complete new file beside the journal (`sqlcipher_export`), checks it
row by row against the original (row counts and a checksum of every table), and only then renames
it over the journal in one atomic step (fsync, rename, fsync of the folder). A crash or kill at any
moment therefore leaves one readable journal: the old file under the old passphrase until the
rename, the new file under the new passphrase after it. The copy is created 0600 and locked while
it is written; a copy left by a killed run (possibly plain text) is deleted the next time the
journal is opened.

Nothing else may have the journal open meanwhile (stop `mitra serve` first): the rewrite refuses
to go on while another program's write-ahead log is present.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mitra.adapters.files import create_private
from mitra.adapters.store import cipher
from mitra.adapters.store.engine import sqlite_path
from mitra.errors import ConflictError, InvalidInputError, StorageError
from mitra.services.context import open_mitra
from mitra.settings import Settings

MIN_PASSPHRASE = 8
LOGIN_SECRET_FILE = "web-login.secret"
LOGIN_SECRET_CHARS = 43  # secrets.token_urlsafe(32): 256 random bits
LOGIN_PATH = "/login"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class LockStatus:
    """Whether the journal can be, and is, encrypted; with the key derivation used."""

    path: Path | None
    encrypted: bool
    kdf: str = cipher.KDF_SETTINGS
    cipher: str = cipher.CIPHER

    @property
    def applies(self) -> bool:
        """Only a SQLite journal file can be encrypted (PostgreSQL: disk or server encryption)."""
        return self.path is not None


@dataclass(frozen=True)
class Rewritten:
    """What a rewrite kept: tables, rows and one checksum over every table's checksum."""

    tables: int
    rows: int
    checksum: str


def status(settings: Settings) -> LockStatus:
    path = sqlite_path(settings.resolved_database_url)
    return LockStatus(path=path, encrypted=path is not None and cipher.is_encrypted(path))


def needs_passphrase(settings: Settings) -> bool:
    """True when the journal is an encrypted file, so opening it needs the passphrase."""
    return status(settings).encrypted


def verify(settings: Settings, passphrase: str) -> None:
    """WrongPassphraseError unless `passphrase` opens the encrypted journal."""
    cipher.check_passphrase(_encrypted_file(settings), passphrase)


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInputError.one(
            "passphrase", f"use at least {MIN_PASSPHRASE} characters (a few words work well)"
        )


def setup(settings: Settings, new_passphrase: str, progress: Progress | None = None) -> Rewritten:
    """Protect the journal: create it encrypted when it does not exist yet, else encrypt it."""
    path = _file(settings)
    check_new_passphrase(new_passphrase)
    if path.exists() and path.stat().st_size > 0:
        return encrypt(settings, new_passphrase, progress)
    open_mitra(settings, passphrase=new_passphrase).close()
    return _summary(path, cipher.key_for(path, new_passphrase))


def encrypt(settings: Settings, new_passphrase: str, progress: Progress | None = None) -> Rewritten:
    """Turn the existing plain journal into an encrypted one, verified before it replaces it."""
    path = _file(settings)
    check_new_passphrase(new_passphrase)
    if not path.exists() or path.stat().st_size == 0:
        raise ConflictError("there is no journal to encrypt yet; use `mitra lock setup`")
    if cipher.is_encrypted(path):
        raise ConflictError("the journal is already encrypted; `mitra lock change` re-keys it")
    return _rewrite(path, None, cipher.new_key(new_passphrase), progress)


def change(
    settings: Settings, old_passphrase: str, new_passphrase: str, progress: Progress | None = None
) -> Rewritten:
    """Re-key: the same rows under a new passphrase (checked before anything is written)."""
    path = _encrypted_file(settings)
    old_key = cipher.check_passphrase(path, old_passphrase)
    check_new_passphrase(new_passphrase)
    return _rewrite(path, old_key, cipher.new_key(new_passphrase), progress)


def decrypt(
    settings: Settings, passphrase: str, *, confirmed: bool, progress: Progress | None = None
) -> Rewritten:
    """Store the journal as plain text again; only with explicit confirmation."""
    path = _encrypted_file(settings)
    key = cipher.check_passphrase(path, passphrase)
    if not confirmed:
        raise InvalidInputError.one("confirm", "decrypting needs explicit confirmation")
    return _rewrite(path, key, None, progress)


def _file(settings: Settings) -> Path:
    path = status(settings).path
    if path is None:
        raise ConflictError(
            "only a SQLite journal file can be encrypted; protect a PostgreSQL server with disk "
            "or server encryption (see docs/privacy.md)"
        )
    return path


def _encrypted_file(settings: Settings) -> Path:
    path = _file(settings)
    if not cipher.is_encrypted(path):
        raise ConflictError("the journal is not encrypted; `mitra lock encrypt` protects it")
    return path


def _rewrite(
    path: Path,
    old: cipher.CipherKey | None,
    new: cipher.CipherKey | None,
    progress: Progress | None,
) -> Rewritten:
    step = progress or (lambda _name: None)
    with cipher.rewriting(path) as temp:
        step("started")
        with cipher.opened(path, old) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            before = cipher.table_checksums(conn)
            cipher.export(conn, temp, new)
        step("exported")
        try:
            _refuse_if_in_use(path)
            with cipher.opened(temp, new) as conn:
                after = cipher.table_checksums(conn)
            if after != before:
                raise StorageError(
                    "the rewritten copy did not match the journal; nothing was changed"
                )
            step("verified")
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        Path(f"{path}-shm").unlink(missing_ok=True)
        cipher.replace_atomically(temp, path)
        step("replaced")
    return _combine(after)


def _refuse_if_in_use(path: Path) -> None:
    """SQLite removes the write-ahead log when the last connection closes: one left means another
    program has the journal open, and could write to the old file after the rename."""
    if Path(f"{path}-wal").exists():
        raise ConflictError(
            "another program has the journal open (is `mitra serve` running?); stop it and try "
            "again. Nothing was changed."
        )


def _summary(path: Path, key: cipher.CipherKey | None) -> Rewritten:
    with cipher.opened(path, key) as conn:
        return _combine(cipher.table_checksums(conn))


def _combine(sums: dict[str, tuple[int, str]]) -> Rewritten:
    digest = hashlib.sha256()
    for name, (count, table_sum) in sorted(sums.items()):
        digest.update(f"{name}:{count}:{table_sum};".encode())
    rows = sum(count for count, _ in sums.values())
    return Rewritten(tables=len(sums), rows=rows, checksum=digest.hexdigest())


def checksum(settings: Settings, passphrase: str | None = None) -> Rewritten:
    """Tables, rows and checksum of the journal as it is now (for checks and `lock status`)."""
    path = _file(settings)
    key = cipher.check_passphrase(path, passphrase) if passphrase is not None else None
    return _summary(path, key)


def login_secret(settings: Settings) -> str:
    """The web app's per-install login secret: made on first use, kept in a 0600 file in the
    data folder (so other accounts on this machine cannot read it), the same on every start."""
    path = settings.data_dir / LOGIN_SECRET_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        create_private(path)
    except ConflictError:  # made before (or just now by another process): use it
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= LOGIN_SECRET_CHARS:
            return text
    text = secrets.token_urlsafe(32)
    path.write_text(text + "\n", encoding="ascii")  # the file is 0600 already
    return text


def login_url(settings: Settings) -> str:
    """The link that signs a browser in to `mitra serve` with these settings (token URL-safe)."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}{LOGIN_PATH}?token={login_secret(settings)}"
