"""`create_app(settings)`: the FastAPI app, built from settings, never at import time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from mitra import __version__
from mitra.interfaces.web import errors, server_mode
from mitra.interfaces.web.api.v1 import router as api_router
from mitra.interfaces.web.lock import LockGate, lock_of, make_lock
from mitra.interfaces.web.login import LoginGate, make_login
from mitra.interfaces.web.pages import clinic as clinic_pages
from mitra.interfaces.web.pages import lock as lock_pages
from mitra.interfaces.web.pages import router as pages_router
from mitra.interfaces.web.pages import studies as study_pages
from mitra.interfaces.web.security import ASGIApp, LocalGuard, SecurityHeaders
from mitra.interfaces.web.server_mode import ServerGate
from mitra.interfaces.web.templating import make_templates
from mitra.services import accounts, safety
from mitra.services.context import Mitra
from mitra.settings import Settings

log = logging.getLogger(__name__)
SAFETY_CHECK_SECONDS = 3600.0  # how often a running app looks whether a day has passed


class MitraApp(FastAPI):
    """FastAPI with `SecurityHeaders` around its whole middleware stack, so that every answer
    (Starlette's own 500 page from its outermost error middleware included) carries them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings, mitra: Mitra | None = None) -> FastAPI:
    """The web app for one journal; migrates it on start (or uses the `mitra` handed in).

    An encrypted journal is not opened here: the app starts locked and opens it on /unlock.
    Nothing is served to a browser that has not opened the login link (`app.state.login`).
    """

    @asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[None]:
        gate = lock_of(started.state)
        await _refresh_alerts(started.state)
        daily = asyncio.create_task(_keep_alerts_current(started.state))
        try:
            async with gate.watching():
                yield
        finally:
            daily.cancel()
        gate.close_journal()

    app = MitraApp(
        title="Mitra API",
        version=__version__,
        description="Mitra's REST API: the same use cases and validation as the pages and CLI.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.login = make_login(settings)
    app.state.lock = make_lock(settings, app.state, mitra)
    app.state.templates = make_templates()
    static = resources.files("mitra.interfaces.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)
    if settings.server:  # its /login and /lock come first, in place of the personal ones
        app.state.throttle = accounts.Throttle()
        app.include_router(server_mode.router)
        app.include_router(clinic_pages.router)  # issue #21: consent, disclosures, clinician
        app.include_router(study_pages.router)  # issue #22: a researcher's published studies
    app.include_router(lock_pages.router)
    app.include_router(api_router.make_router(server=settings.server))
    app.include_router(pages_router.router)
    if settings.server:
        app.add_middleware(ServerGate, settings=settings, base=app.state)
    else:
        app.add_middleware(LockGate, lock=app.state.lock)
        app.add_middleware(LoginGate, login=app.state.login)
    app.add_middleware(LocalGuard, settings=settings)
    return app


async def _refresh_alerts(state: Any) -> None:
    """The full safety evaluation, if the open journal's last one is older than a day (#16:
    alerts that only time resolves); nothing while the journal is locked."""
    journal = state.mitra
    if journal is None:
        return
    try:
        await run_in_threadpool(safety.refresh_if_stale, journal)
    except Exception:  # a background check must not stop the app; the next read retries
        log.exception("the daily safety evaluation failed")


async def _keep_alerts_current(state: Any) -> None:
    while True:
        await asyncio.sleep(SAFETY_CHECK_SECONDS)
        await _refresh_alerts(state)
