"""`mitra serve` and `mitra migrate`."""

from __future__ import annotations

from typing import Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import stdout


def run_migrations(ctx: typer.Context) -> None:
    """Create or upgrade the journal's schema (also done on every start)."""
    from mitra.adapters.store.engine import build_engine
    from mitra.adapters.store.migrate import current_revision, migrate
    from mitra.interfaces.cli.commands.lock import passphrase_if_needed

    settings = state(ctx).settings
    engine = build_engine(settings.resolved_database_url, passphrase_if_needed(settings))
    try:
        migrate(engine)
        stdout().print(f"Journal schema is at revision {current_revision(engine)}.")
    finally:
        engine.dispose()


def login_link(
    ctx: typer.Context,
    port: Annotated[int | None, typer.Option(help="Port `mitra serve` uses.")] = None,
) -> None:
    """Print the link that signs a browser in to `mitra serve` (keep it private)."""
    from mitra.services.lock import login_url
    from mitra.settings import load_settings

    base = state(ctx).settings
    settings = load_settings(**{**base.model_dump(), "port": port or base.port})
    stdout().print(login_url(settings), soft_wrap=True, markup=False, highlight=False)


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[
        int | None, typer.Option(help="Port, 1-65535 (default 8000; 0 is refused).")
    ] = None,
    server: Annotated[
        bool, typer.Option("--server", help="Server mode: accounts, one journal each.")
    ] = False,
    behind_tls: Annotated[
        bool, typer.Option("--behind-tls", help="Server mode behind a TLS proxy (Caddy).")
    ] = False,
) -> None:
    """Start the web app (pages and the REST API) on this machine."""
    from mitra.errors import InvalidInputError
    from mitra.interfaces.web import serving
    from mitra.interfaces.web.app import create_app
    from mitra.services.lock import login_url
    from mitra.settings import load_settings

    if port is not None and not 1 <= port <= 65535:
        raise InvalidInputError.one(
            "--port",
            f"must be from 1 to 65535, not {port} (0, 'any free port', is refused: "
            "the address to open must be known before the server starts)",
        )
    from mitra.errors import ConfigurationError
    from mitra.settings import is_loopback_host

    base = state(ctx).settings
    overrides = {
        "host": host or base.host,
        "port": port or base.port,
        "server": server or base.server,
        "behind_tls": behind_tls or base.behind_tls,
    }
    settings = load_settings(**{**base.model_dump(), **overrides})
    if not settings.server and not is_loopback_host(settings.host):
        raise ConfigurationError(
            f"refusing to serve the personal journal on {settings.host}: it has no accounts "
            "and no sign-in. To serve other devices, turn server mode on: "
            "`mitra serve --server --behind-tls` behind a TLS proxy (docs/deploy.md)"
        )
    app = create_app(settings)
    console = stdout()
    if settings.server:
        scheme = "https" if settings.behind_tls else "http"
        console.print(f"Mitra (server mode) is listening on {settings.host}:{settings.port}.")
        console.print(
            f"Sign in at {scheme}://<your host>/login; add accounts with `mitra accounts add`."
        )
        serving.run(app, settings.host, settings.port)
        return
    console.print(f"Mitra is at http://{settings.host}:{settings.port} (Ctrl+C stops it).")
    console.print("Open this link to sign this browser in (keep it private):", soft_wrap=True)
    console.print(login_url(settings), soft_wrap=True, markup=False, highlight=False)
    serving.run(app, settings.host, settings.port)
