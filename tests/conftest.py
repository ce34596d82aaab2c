"""Shared fixtures: real stores (a fresh SQLite file per test; PostgreSQL when configured),
the services context with a fixed clock, the web app over httpx, and the CLI runner.

PostgreSQL runs when MITRA_TEST_DATABASE_URL is set (CI sets it); otherwise those cases skip and
say so. Between PostgreSQL tests every journal table is truncated: services commit real
transactions of their own, so an outer rolled-back transaction could not contain them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mitra.adapters.store import tables as t
from mitra.adapters.store.engine import Store, build_engine
from mitra.adapters.store.migrate import migrate
from mitra.adapters.store.tables import JOURNAL_TABLES, metadata, preferences
from mitra.interfaces.web.app import create_app
from mitra.services.context import Mitra
from mitra.settings import Settings, load_settings

# No per-example deadline: CI machines are shared and timing is not what these tests check.
hypothesis.settings.register_profile("mitra", deadline=None)
hypothesis.settings.load_profile("mitra")

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"
PG_URL = os.environ.get("MITRA_TEST_DATABASE_URL", "")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="MITRA_TEST_DATABASE_URL is not set"),
        ],
    ),
]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite journal, made once per session and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "mitra.db"
    engine = build_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A private database on the MITRA_TEST_DATABASE_URL server for this test run only.

    Each run creates its own database and drops it at the end, so runs on the same server (two
    developers, or CI beside a developer) never see each other's tables.
    """
    if not PG_URL:
        pytest.skip("MITRA_TEST_DATABASE_URL is not set")
    server = sa.make_url(PG_URL)
    name = f"mitra_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = build_engine(pg_url)
    migrate(engine)
    yield engine
    engine.dispose()


# every journal's rows, and server mode's accounts; then every journal but the personal one
ACCOUNTS = (t.sessions, t.api_tokens, t.invitations, t.accounts)
EMPTIED = {table.name for table in (*JOURNAL_TABLES, preferences, *ACCOUNTS)}
SEQUENCES = """SELECT pg_get_serial_sequence(quote_ident(table_name), column_name)
    FROM information_schema.columns WHERE table_schema = current_schema()
    AND table_name = ANY(%s) AND pg_get_serial_sequence(quote_ident(table_name), column_name)
    IS NOT NULL"""


def _truncate(engine: sa.Engine) -> None:
    """Empty the journal (children before parents) and restart its id sequences, as `TRUNCATE
    ... RESTART IDENTITY` would. DELETE of a few rows takes about a tenth of TRUNCATE's time,
    which makes new files for every table: over a thousand PostgreSQL tests, minutes."""
    order = [table.name for table in reversed(metadata.sorted_tables) if table.name in EMPTIED]
    assert set(order) == EMPTIED, EMPTIED - set(order)
    with engine.begin() as conn:
        for name in order:
            conn.exec_driver_sql(f'DELETE FROM "{name}"')
        for (sequence,) in conn.exec_driver_sql(SEQUENCES, (order,)).all():
            conn.exec_driver_sql(f"ALTER SEQUENCE {sequence} RESTART")
        conn.execute(t.journals.delete().where(t.journals.c.id != t.PERSONAL_JOURNAL))


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A fresh, migrated, empty journal on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "data" / "mitra.db"
        path.parent.mkdir()
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    engine = request.getfixturevalue("pg_engine")
    _truncate(engine)
    yield request.getfixturevalue("pg_url")
    _truncate(engine)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "timezone": ZONE}
        return load_settings(**{**values, **overrides})

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], database_url: str) -> Settings:
    return settings_factory(database_url=database_url)


@pytest.fixture
def mitra(settings: Settings) -> Iterator[Mitra]:
    """The services context on a fresh journal, with the clock fixed at NOW."""
    journal = Mitra(Store(build_engine(settings.resolved_database_url)), settings, lambda: NOW)
    yield journal
    journal.close()


def signed_in(client: TestClient) -> TestClient:
    """`client` with the login cookie its app sets when the login link is opened (every page and
    the API need it, even on loopback: see docs/privacy.md)."""
    login = client.app.state.login  # type: ignore[attr-defined]
    client.cookies.set(login.cookie_name, login.cookie_value)
    return client


@pytest.fixture
def client(settings: Settings, mitra: Mitra) -> Iterator[TestClient]:
    """The whole web app over httpx, addressed as a loopback host, signed in."""
    with TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000") as test_client:
        yield signed_in(test_client)


@pytest.fixture
def cli(settings: Settings) -> Callable[..., Any]:
    """Run `mitra ARGS...` in-process against the test journal; returns the click Result."""
    from mitra.interfaces.cli.app import make_app

    env = {
        "MITRA_DATABASE_URL": settings.resolved_database_url,
        "MITRA_TIMEZONE": ZONE,
        "MITRA_DATA_DIR": str(settings.data_dir),
    }

    def run(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(make_app(), list(args), env=env, input=input)

    return run
