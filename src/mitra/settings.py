"""The one settings object. Read from `MITRA_*` environment variables by `load_settings()` only.

Nothing else in Mitra reads the environment: entry points call `load_settings()` once and pass the
object down. Every field is documented in docs/settings.md (a test keeps the two in step).
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mitra.errors import ConfigurationError

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
PLACEHOLDER_PASSWORDS = frozenset({"changeme", "change-me", "password", "postgres", "secret"})


def is_loopback_host(host: str) -> bool:
    """True for names and addresses that never leave this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Typed settings; unsafe combinations are refused rather than worked around."""

    model_config = SettingsConfigDict(env_prefix="MITRA_", extra="forbid", frozen=True)

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("mitra", appauthor=False)),
        description="Folder holding the journal file (mitra.db) when database_url is not set.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store. Default: sqlite file data_dir/mitra.db. "
        "PostgreSQL: postgresql+psycopg://user:password@host/db.",
    )
    host: str = Field(
        default="127.0.0.1", description="Address `mitra serve` binds to. Loopback by default."
    )
    port: int = Field(default=8000, ge=1, le=65535, description="Port `mitra serve` listens on.")
    allow_remote: bool = Field(
        default=False,
        description="Must be true to bind to a non-loopback address or accept non-loopback "
        "Host headers. Off by default: the journal is private to this machine.",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated extra Host header names accepted when allow_remote is true.",
    )
    timezone: str | None = Field(
        default=None,
        description="IANA time zone used for new journals and for 'days' (e.g. Europe/London). "
        "Default: the zone saved in the journal, else this machine's zone.",
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        ge=1024,
        description="Largest request body the web app accepts, in bytes; larger gets 413.",
    )
    max_import_bytes: int = Field(
        default=20_000_000,
        ge=1024,
        description="Largest file `mitra import` reads, in bytes; a larger one is refused "
        "before it is read.",
    )
    max_import_rows: int = Field(
        default=100_000,
        ge=1,
        description="Most rows one import may hold (all tables together); a file with more is "
        "refused and nothing is written.",
    )
    log_level: str = Field(
        default="WARNING", description="Logging level. Logs hold ids and counts, never content."
    )
    passphrase: SecretStr | None = Field(
        default=None,
        description="Passphrase of an encrypted journal, for scripts (less safe than the prompt: "
        "other programs of this user may read the environment). Never logged.",
    )
    lock_minutes: float = Field(
        default=15.0,
        gt=0,
        description="Minutes without a request after which the web app locks an encrypted "
        "journal again (fractions allowed).",
    )

    server: bool = Field(
        default=False,
        description="Server mode: accounts and sign-in, one journal per account (PostgreSQL "
        "advised). Needs behind_tls, or loopback_only with a loopback host.",
    )
    behind_tls: bool = Field(
        default=False,
        description="Server mode: a TLS-terminating proxy (e.g. Caddy) is in front of Mitra; "
        "session cookies are sent with Secure.",
    )
    loopback_only: bool = Field(
        default=False,
        description="Server mode without TLS, explicitly for this machine only (the host must "
        "be a loopback address).",
    )
    session_idle_minutes: float = Field(
        default=30.0,
        gt=0,
        description="Server mode: minutes without a request after which a session ends.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/London)") from None
        return value

    @field_validator("data_dir")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not a folder; point it at a folder")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_url(cls, value: str | None) -> str | None:
        if value is not None:
            check_database_url(value)
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level {value!r} (use DEBUG, INFO, WARNING or ERROR)")
        return level

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if not self.allow_remote and not is_loopback_host(self.host):
            raise ValueError(
                f"refusing to bind to {self.host}: the journal would be reachable from other "
                "machines. Set MITRA_ALLOW_REMOTE=true if you really mean it."
            )
        if self.server and not self.behind_tls:
            if not (self.loopback_only and is_loopback_host(self.host)):
                raise ValueError(
                    "server mode needs TLS: put it behind a TLS proxy and set "
                    "MITRA_BEHIND_TLS=true (see docs/deploy.md), or set MITRA_LOOPBACK_ONLY=true "
                    "with a loopback host to try it on this machine only"
                )
        url = self.database_url or ""
        if url.startswith("postgresql") and any(f":{pw}@" in url for pw in PLACEHOLDER_PASSWORDS):
            raise ValueError("MITRA_DATABASE_URL uses a placeholder password; set a real one")
        return self

    @property
    def extra_hosts(self) -> frozenset[str]:
        """The allowed_hosts list, parsed; empty unless remote access is allowed."""
        if not self.allow_remote:
            return frozenset()
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())

    @property
    def resolved_database_url(self) -> str:
        """The store URL: the explicit one, or the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mitra.db'}"


SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})


def check_database_url(url: str) -> None:
    """ValueError unless `url` is a URL of a database Mitra can use, with its driver."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        driver = make_url(url).drivername
    except ArgumentError:
        raise ValueError(
            "is not a database URL; use sqlite:///path/to/mitra.db or "
            "postgresql+psycopg://user:password@host/db"
        ) from None
    if driver not in SUPPORTED_DRIVERS:
        hint = " (write postgresql+psycopg://…)" if driver.startswith("postgresql") else ""
        raise ValueError(
            f"the database {driver!r} is not supported{hint}; Mitra works with SQLite "
            "(sqlite:///…) and PostgreSQL (postgresql+psycopg://…)"
        )


KNOWN_OTHER_VARIABLES = frozenset({"MITRA_TEST_DATABASE_URL"})


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """MITRA_* variables that name no setting (usually a typo that would silently do nothing)."""
    fields = {f"MITRA_{name.upper()}" for name in Settings.model_fields}
    return sorted(
        key
        for key in environ
        if key.upper().startswith("MITRA_") and key.upper() not in fields | KNOWN_OTHER_VARIABLES
    )


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment (and explicit overrides); refuse bad ones loudly."""
    unknown = unknown_variables(os.environ)
    if unknown:
        raise ConfigurationError(
            f"unknown setting {', '.join(unknown)}; "
            "see docs/settings.md for the valid MITRA_* names"
        )
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise ConfigurationError(f"invalid settings: {problems}") from exc


def _describe(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    where = "_".join(str(part) for part in error["loc"]).upper()
    return f"MITRA_{where}: {message}" if where else message
