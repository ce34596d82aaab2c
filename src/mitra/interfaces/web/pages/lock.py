"""Login, unlock and lock pages, the API's unlock, and "protect with a passphrase" (settings).

The key derivation takes a fraction of a second, so it runs in a worker thread, after the attempt
was reserved (one at a time); a wrong passphrase is answered at once and that client's next try
must wait (429 with Retry-After until then, on the page and the API alike).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from mitra.errors import InvalidInputError, LockedError, MitraError, WrongPassphraseError
from mitra.interfaces.web.deps import TemplatesDep
from mitra.interfaces.web.lock import (
    CLIENT_COOKIE,
    SESSION_COOKIE,
    AppLock,
    TooSoonError,
    client_id,
    lock_of,
    session_token,
)
from mitra.interfaces.web.login import COOKIE_DAYS, Login
from mitra.services import lock as lock_service

router = APIRouter(include_in_schema=False)


class UnlockRequest(BaseModel):
    passphrase: str


def _safe_next(target: str | None) -> str:
    """Only a path on this app (never //other.host or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _with_session(response: Response, token: str) -> Response:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _with_client(request: Request, response: Response) -> Response:
    """Give a browser without one the random cookie its wrong passphrases are counted under."""
    if client_id(request.scope) == "":
        client = secrets.token_urlsafe(16)
        response.set_cookie(CLIENT_COOKIE, client, httponly=True, samesite="strict", path="/")
    return response


async def _try_unlock(gate: AppLock, passphrase: str, client: str) -> str:
    gate.attempts.reserve(client)  # TooSoonError; from here on this is the one attempt in flight
    try:
        token: str = await run_in_threadpool(gate.unlock, passphrase)
    except WrongPassphraseError as exc:
        delay = gate.attempts.failed(client)
        message = f"{exc.message}; the next try is possible in {delay:g} s"
        raise WrongPassphraseError(message) from None
    except BaseException:
        gate.attempts.release()
        raise
    gate.attempts.succeeded()
    return token


def _unlock_page(
    request: Request, templates: TemplatesDep, target: str, error: MitraError | None = None
) -> Response:
    context = {"next": target, "error": error.message if error else None}
    status = error.status if error else 200
    response = templates.TemplateResponse(request, "lock/unlock.html", context, status_code=status)
    if isinstance(error, TooSoonError):
        response.headers["Retry-After"] = str(error.retry_after)
    return _with_client(request, response)


@router.get("/unlock", response_model=None)
def unlock_page(request: Request, templates: TemplatesDep, next: str = "/") -> Response:
    gate = lock_of(request.app.state)
    if gate.is_unlocked(session_token(request.scope)):
        return RedirectResponse(_safe_next(next), status_code=303)
    return _unlock_page(request, templates, _safe_next(next))


@router.post("/unlock", response_model=None)
async def unlock(request: Request, templates: TemplatesDep) -> Response:
    form = await request.form()
    passphrase, target = str(form.get("passphrase", "")), _safe_next(str(form.get("next", "/")))
    gate = lock_of(request.app.state)
    if not gate.active:
        return RedirectResponse(target, status_code=303)
    try:
        token = await _try_unlock(gate, passphrase, client_id(request.scope))
    except (LockedError, InvalidInputError) as exc:
        return _unlock_page(request, templates, target, exc)
    return _with_session(RedirectResponse(target, status_code=303), token)


@router.post("/api/v1/unlock", status_code=204)
async def api_unlock(request: Request, body: UnlockRequest) -> Response:
    """Unlock for API clients: 204 and the session cookie, 401 wrong passphrase, 429 too soon
    (with Retry-After)."""
    gate = lock_of(request.app.state)
    if not gate.active:
        return Response(status_code=204)
    token = await _try_unlock(gate, body.passphrase, client_id(request.scope))
    return _with_session(Response(status_code=204), token)


@router.post("/lock", response_model=None)
def lock_now(request: Request) -> Response:
    """Lock for everyone: every browser's session ends and the journal closes."""
    lock_of(request.app.state).lock_all()
    response = RedirectResponse("/unlock", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/login", response_model=None)
def login(request: Request, templates: TemplatesDep, token: str = "") -> Response:
    """The login link: the right token sets the login cookie and goes home; anything else gets
    a page saying how to get in (401)."""
    found: Login = request.app.state.login
    if token and found.accepts_token(token):
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            found.cookie_name,
            found.cookie_value,
            max_age=COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="strict",
            path="/",
        )
        return response
    context = {"wrong": bool(token), "port": found.port}
    return templates.TemplateResponse(request, "lock/login.html", context, status_code=401)


def _setup_page(
    request: Request, templates: TemplatesDep, errors: dict[str, str] | None = None, **extra: Any
) -> HTMLResponse:
    context = {"status": lock_service.status(request.app.state.settings), "errors": errors or {}}
    status = 422 if errors else 200
    return templates.TemplateResponse(
        request, "lock/setup.html", {**context, **extra}, status_code=status
    )


@router.get("/lock/setup", response_class=HTMLResponse)
def setup_page(request: Request, templates: TemplatesDep, done: int = 0) -> HTMLResponse:
    return _setup_page(request, templates, done=done)


@router.post("/lock/setup", response_model=None)
async def protect(request: Request, templates: TemplatesDep) -> Response:
    if lock_service.needs_passphrase(request.app.state.settings):  # refused before anything closes
        response = _setup_page(request, templates, refused=True)
        response.status_code = 409
        return response
    form = await request.form()
    passphrase, again = str(form.get("passphrase", "")), str(form.get("again", ""))
    errors: dict[str, str] = {}
    if passphrase != again:
        errors["again"] = "the two passphrases differ"
    if form.get("understood") != "yes":
        errors["understood"] = "tick the box to show you know a lost passphrase loses the data"
    if not errors:
        try:
            token = await run_in_threadpool(lock_of(request.app.state).protect, passphrase)
        except InvalidInputError as exc:
            errors = {p.field: p.reason for p in exc.problems}
        else:
            return _with_session(RedirectResponse("/lock/setup?done=1", status_code=303), token)
    return _setup_page(request, templates, errors)
