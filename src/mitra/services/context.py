"""What every use case is handed: the store, the settings and the clock.

Built once by an entry point (`open_mitra(settings)`), never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import Connection

from mitra.adapters.store import repositories as repo
from mitra.adapters.store.engine import Store, build_engine
from mitra.adapters.store.migrate import migrate
from mitra.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Mitra:
    """The services' view of one journal: its store, the settings and the clock."""

    store: Store
    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)

    @property
    def journal_id(self) -> int:
        """The journal every use case given this context reads and writes (personal mode: 1;
        server mode: the signed-in account's, from its session, never from a request)."""
        return self.store.journal_id

    def for_journal(self, journal_id: int) -> Mitra:
        """This context for another journal (same store, settings and clock)."""
        return replace(self, store=self.store.for_journal(journal_id))

    def now(self) -> datetime:
        return self.clock()

    def timezone(self) -> str:
        """The user's zone: saved in the journal, else the setting, else this machine's."""
        with self.store.read() as conn:
            return self.timezone_in(conn)

    def timezone_in(self, conn: Connection) -> str:
        """The one rule for the user's zone, inside a use case's own transaction."""
        return repo.get_preference(conn, "timezone") or self.settings.timezone or system_zone()

    def close(self) -> None:
        self.store.dispose()


def open_mitra(
    settings: Settings, *, passphrase: str | None = None, run_migrations: bool = True
) -> Mitra:
    """Open (and by default migrate) the journal the settings point at; an encrypted SQLite
    journal needs its passphrase (WrongPassphraseError / LockedError otherwise). An erase that
    was killed half-way is finished first."""
    engine = build_engine(settings.resolved_database_url, passphrase)
    if run_migrations:
        migrate(engine)
    mitra = Mitra(store=Store(engine), settings=settings)
    if run_migrations:
        from mitra.services.backup import finish_interrupted_erase  # backup imports this module

        finish_interrupted_erase(mitra)
    return mitra


def system_zone(localtime: Path = Path("/etc/localtime")) -> str:
    """This machine's IANA zone name, from the /etc/localtime link; UTC when unknown."""
    try:
        target = str(localtime.resolve())
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    if marker in target:
        name = target.split(marker, 1)[1]
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return "UTC"
        return name
    return "UTC"
