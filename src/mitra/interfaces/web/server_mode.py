"""Server mode's web edge (issue #20): who a request is, CSRF, and the sign-in pages.

`ServerGate` (pure ASGI, in place of the personal login link and lock) finds the visitor from the
session cookie (`mitra_sid`: HttpOnly, SameSite=Lax, Secure behind TLS) or an API token
(`Authorization: Bearer`), and puts it in the request's scope state. Without one, only the open
paths (sign-in, invitations, static files, the manifest and service worker) are served: pages get
a redirect to /login, the API 401. A posted form on a session must carry the session's CSRF token
(`csrf_token`, put in every POST form by the `csrf_field` template global); the Origin check of
`LocalGuard` stays as a second layer. The journal every use case reads comes from the visitor
(`journal_mitra`), never from the request.
"""

from __future__ import annotations

import hmac
import json
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from mitra.adapters.store.tables import NO_JOURNAL
from mitra.errors import LockedError, MitraError
from mitra.interfaces.web.deps import TemplatesDep
from mitra.interfaces.web.lock import SIGNED_IN, UNLOCKED, cookie_value, respond
from mitra.interfaces.web.security import ASGIApp, Receive, Scope, Send
from mitra.services import accounts
from mitra.services.context import Mitra
from mitra.settings import Settings

SESSION_COOKIE = "mitra_sid"
VISITOR = "mitra_visitor"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"  # the offline queue's replay sends the session's current token here
REPLAY_HEADER = b"x-mitra-replay"  # a replayed form: without a session, 401 (never a redirect)
OPEN_PATHS = (
    "/login",
    "/invite/",
    "/static/",
    "/manifest.webmanifest",
    "/sw.js",
    "/api/v1/session",
)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def visitor_of(scope: Scope) -> accounts.Visitor | None:
    found = scope.get("state", {}).get(VISITOR)
    return found if isinstance(found, accounts.Visitor) else None


def journal_mitra(request: Request) -> Mitra | None:
    """The services context for this request's journal: personal mode, the app's one journal;
    server mode, the signed-in account's (None without a session)."""
    base = getattr(request.app.state, "mitra", None)
    if base is None or not request.app.state.settings.server:
        return base
    visitor = visitor_of(request.scope)
    return None if visitor is None else base.for_journal(visitor.journal_id)


def csrf_field(request: Request) -> Markup:
    visitor = visitor_of(request.scope)
    if visitor is None or visitor.csrf is None:
        return Markup("")
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(visitor.csrf)}">')


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


def _header(scope: Scope, wanted: bytes) -> str:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return ""


def _content_type(scope: Scope) -> str:
    return _header(scope, b"content-type").lower()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _form_csrf(body: bytes, content_type: str) -> str:
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [""])
        return values[0]
    if content_type.startswith("multipart/form-data"):
        marker = f'name="{CSRF_FIELD}"'.encode()
        at = body.find(marker)
        if at >= 0:
            start = body.find(b"\r\n\r\n", at)
            end = body.find(b"\r\n", start + 4)
            if start >= 0 and end >= 0:
                return body[start + 4 : end].decode("utf-8", "replace")
    return ""


class ServerGate:
    """Server mode's gate: a visitor (session or API token) or an open path; CSRF on forms."""

    def __init__(self, app: ASGIApp, settings: Settings, base: Any) -> None:
        self.app = app
        self.idle = timedelta(minutes=settings.session_idle_minutes)
        self.state = base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        mitra: Mitra = self.state.mitra
        visitor = None
        token = cookie_value(scope, SESSION_COOKIE)
        bearer = _bearer(scope)
        if bearer:
            visitor = accounts.visitor_of_token(mitra, bearer)
        elif token:
            visitor = accounts.visitor_of_session(mitra, token, self.idle)
        state = scope.setdefault("state", {})
        state[VISITOR] = visitor
        state[SIGNED_IN] = state[UNLOCKED] = visitor is not None
        if visitor is None and not path.startswith(OPEN_PATHS):
            if path.startswith("/api/") or _header(scope, REPLAY_HEADER):
                detail = json.dumps({"detail": "sign in first (a session or an API token)"})
                headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
                await respond(send, 401, headers, detail.encode())
            else:
                await respond(send, 303, [(b"location", b"/login")], b"")
            return
        acts_on_session = not path.startswith(("/api/", *OPEN_PATHS))
        if scope.get("method") in UNSAFE and acts_on_session and visitor is not None:
            body = await _read_body(receive)
            sent = _header(scope, CSRF_HEADER) or _form_csrf(body, _content_type(scope))
            if visitor.csrf is None or not hmac.compare_digest(sent, visitor.csrf):
                text = b"this form is out of date or was not sent by Mitra (CSRF); reload it"
                await respond(send, 403, [(b"content-type", b"text/plain")], text)
                return
            replayed = False

            async def replay() -> Any:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)


class LoginRequest(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=200)
    code: str = Field(default="", max_length=10)


class TokenRequest(BaseModel):
    label: str = Field(default="", max_length=100)


class TokenOut(BaseModel):
    id: int
    label: str
    created_at: str
    last_used: str | None


class NewTokenOut(BaseModel):
    id: int
    token: str


# --- pages ----------------------------------------------------------------------------------

router = APIRouter()


def _base(request: Request) -> Mitra:
    mitra = request.app.state.mitra
    assert isinstance(mitra, Mitra)
    return mitra


def _throttle(request: Request) -> accounts.Throttle:
    throttle = request.app.state.throttle
    assert isinstance(throttle, accounts.Throttle)
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _signed_in(request: Request) -> accounts.Visitor:
    visitor = visitor_of(request.scope)
    if visitor is None:
        raise LockedError("sign in first")
    return visitor


VisitorDep = Annotated[accounts.Visitor, Depends(_signed_in)]


def _set_session(request: Request, response: Response, token: str) -> Response:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.behind_tls,
        path="/",
    )
    return response


def _page(
    request: Request, templates: Any, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return _page(request, templates, "server/login.html", error=None, pending=None)


@router.post("/login", response_model=None, include_in_schema=False)
async def login(request: Request, templates: TemplatesDep) -> Response:
    """Sign in: a new session (any session cookie sent along is replaced, never reused). An
    account with a second factor gets a second step asking for its code (`pending` names the
    sign-in whose password was right)."""
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    code, pending = str(form.get("code", ""))[:10], str(form.get("pending", ""))[:100]
    try:
        if pending:
            done = accounts.finish_sign_in(
                _base(request), _throttle(request), pending, code, _address(request)
            )
        else:
            done = accounts.sign_in(
                _base(request), _throttle(request), name, password, _address(request), code
            )
    except accounts.CodeNeededError as needed:
        return _page(request, templates, "server/login.html", error=None, pending=needed.pending)
    except MitraError as exc:
        retry = pending if pending and exc.message == accounts.WRONG else None
        return _page(
            request,
            templates,
            "server/login.html",
            status=exc.status,
            error=exc.message,
            pending=retry,
        )
    return _set_session(request, RedirectResponse("/", status_code=303), done.token)


class SessionOut(BaseModel):
    account: str
    csrf: str | None


SIGNED_OUT: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in (no session, or it ended)"}
}
SIGN_IN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "The account has a second factor: send its code too"},
    403: {"description": "Wrong account name, password or code (one message for all three)"},
    429: {"description": "Too many failed sign-ins: wait (Retry-After) and try again"},
}


@router.get("/api/v1/session", response_model=SessionOut, responses=SIGNED_OUT)
def current_session(visitor: VisitorDep) -> SessionOut:
    """Who is signed in, and the session's CSRF token (the offline queue sends it as the
    X-CSRF-Token header when it replays forms saved offline; a page of another origin cannot
    read this answer, nor set that header)."""
    return SessionOut(account=visitor.name, csrf=visitor.csrf)


@router.post("/api/v1/session", status_code=204, responses=SIGN_IN_ERRORS)
async def api_login(request: Request, body: LoginRequest) -> Response:
    """Sign in for API clients and the phone's pages: 204 and the session cookie."""
    done = accounts.sign_in(
        _base(request), _throttle(request), body.name, body.password, _address(request), body.code
    )
    return _set_session(request, Response(status_code=204), done.token)


def _sign_out(request: Request, visitor: accounts.Visitor) -> Response:
    accounts.sign_out_everywhere(_base(request), visitor.account_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/logout", response_model=None, include_in_schema=False)
def logout(request: Request, visitor: VisitorDep) -> Response:
    """Sign out: every session of this account ends (all its browsers and phones)."""
    return _sign_out(request, visitor)


@router.post("/lock", response_model=None, include_in_schema=False)
def lock(request: Request, visitor: VisitorDep) -> Response:
    """Lock, in server mode: as sign-out, every session of the account ends."""
    return _sign_out(request, visitor)


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> HTMLResponse:
    """The signed-in account: its name, its second factor, API tokens, sign out."""
    on = accounts.second_factor_is_on(_base(request), visitor.account_id)
    tokens = accounts.list_tokens(_base(request), visitor.account_id)
    return _page(
        request, templates, "server/account.html", visitor=visitor, second_factor=on, tokens=tokens
    )


@router.get("/account/second-factor", response_class=HTMLResponse, include_in_schema=False)
def second_factor_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep
) -> HTMLResponse:
    """A new secret to put in an authenticator app; it is kept only once a code from it is
    typed here."""
    if accounts.second_factor_is_on(_base(request), visitor.account_id):
        return RedirectResponse("/account", status_code=303)  # type: ignore[return-value]
    fresh = accounts.new_second_factor(visitor.name)
    return _page(request, templates, "server/second_factor.html", new=fresh, error=None)


@router.post("/account/second-factor", response_model=None, include_in_schema=False)
async def turn_on_second_factor(
    request: Request, templates: TemplatesDep, visitor: VisitorDep
) -> Response:
    form = await request.form()
    secret, code = str(form.get("secret", ""))[:64], str(form.get("code", ""))[:10]
    try:
        accounts.turn_on_second_factor(_base(request), visitor.account_id, secret, code)
    except MitraError as exc:
        # a secret Mitra did not make (a stale or hand-made form) cannot be shown again
        refused = {p.field for p in getattr(exc, "problems", ())}
        again = (
            accounts.new_second_factor(visitor.name)
            if "secret" in refused
            else accounts.second_factor_of(secret, visitor.name)
        )
        return _page(
            request,
            templates,
            "server/second_factor.html",
            status=exc.status,
            new=again,
            error=exc.message,
        )
    return RedirectResponse("/account?second_factor=on", status_code=303)


@router.post("/account/second-factor/off", response_model=None, include_in_schema=False)
async def turn_off_second_factor(
    request: Request, templates: TemplatesDep, visitor: VisitorDep
) -> Response:
    form = await request.form()
    password = str(form.get("password", ""))[:200]
    try:
        accounts.turn_off_second_factor(_base(request), visitor.account_id, password)
    except MitraError as exc:
        on = accounts.second_factor_is_on(_base(request), visitor.account_id)
        tokens = accounts.list_tokens(_base(request), visitor.account_id)
        return _page(
            request,
            templates,
            "server/account.html",
            status=exc.status,
            visitor=visitor,
            second_factor=on,
            tokens=tokens,
            error=exc.message,
        )
    return RedirectResponse("/account?second_factor=off", status_code=303)


@router.get("/invite/{token}", response_class=HTMLResponse, include_in_schema=False)
def invitation_page(request: Request, templates: TemplatesDep, token: str) -> HTMLResponse:
    if not accounts.invitation_is_live(_base(request), token):
        return _page(request, templates, "server/invite.html", status=404, token=None, error=None)
    return _page(request, templates, "server/invite.html", token=token, error=None)


@router.post("/invite/{token}", response_model=None, include_in_schema=False)
async def accept_invitation(request: Request, templates: TemplatesDep, token: str) -> Response:
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    try:
        accounts.accept_invitation(_base(request), token, name, password)
    except MitraError as exc:
        return _page(
            request,
            templates,
            "server/invite.html",
            status=exc.status,
            token=token,
            error=exc.message,
        )
    return RedirectResponse("/login", status_code=303)


@router.get("/api/v1/tokens", response_model=list[TokenOut], responses=SIGNED_OUT)
def list_tokens(request: Request, visitor: VisitorDep) -> list[TokenOut]:
    """This account's API tokens (never their secrets)."""
    return [
        TokenOut(
            id=found.id,
            label=found.label,
            created_at=found.created_at.isoformat(),
            last_used=found.last_used.isoformat() if found.last_used else None,
        )
        for found in accounts.list_tokens(_base(request), visitor.account_id)
    ]


@router.post("/api/v1/tokens", status_code=201, response_model=NewTokenOut, responses=SIGNED_OUT)
def create_token(request: Request, visitor: VisitorDep, body: TokenRequest) -> NewTokenOut:
    """A new API token for this account; its secret is shown only in this answer."""
    token_id, secret = accounts.create_token(_base(request), visitor.account_id, body.label)
    return NewTokenOut(id=token_id, token=secret)


@router.delete(
    "/api/v1/tokens/{token_id}",
    status_code=204,
    responses={**SIGNED_OUT, 404: {"description": "No such token of this account"}},
)
def revoke_token(request: Request, visitor: VisitorDep, token_id: int) -> Response:
    accounts.revoke_token(_base(request), visitor.account_id, token_id)
    return Response(status_code=204)


__all__ = ["NO_JOURNAL", "ServerGate", "csrf_field", "journal_mitra", "router"]
