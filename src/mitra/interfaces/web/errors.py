"""The one error handler: JSON under /api/, an HTML page elsewhere. Routes never build errors."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mitra.errors import InvalidInputError, MitraError, StorageError
from mitra.interfaces.web.lock import hide_content
from mitra.interfaces.web.security import BodyTooLargeError

log = logging.getLogger(__name__)
MAX_PROBLEMS = 20  # a 422 lists at most this many problems…
MAX_ECHO = 200  # …and quotes at most this many characters of any one: never echo a huge input


def _render(request: Request, status: int, message: str, detail: object) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


async def on_mitra_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MitraError)
    if isinstance(exc, StorageError):
        hide_content(request.scope)
    if isinstance(exc, InvalidInputError):
        detail: object = [
            {"loc": ["body", p.field], "msg": p.reason, "type": "invalid"} for p in exc.problems
        ]
    else:
        detail = exc.message
    response = _render(request, exc.status, exc.message, detail)
    retry_after = getattr(exc, "retry_after", None)  # a 429 says when to try again
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = exc.errors()
    detail: list[dict[str, Any]] = [
        {
            "loc": [_capped(p) for p in e.get("loc", ())],
            "msg": _capped(e.get("msg", "")),
            "type": _capped(e.get("type", "")),
        }
        for e in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        more = f"and {len(problems) - MAX_PROBLEMS} more problems not listed"
        detail.append({"loc": ["body"], "msg": more, "type": "too_many_errors"})
    message = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in detail)
    return _render(request, 422, message, detail)


def _capped(value: object) -> object:
    """`value` itself when short (ints stay ints), else its first MAX_ECHO characters + '…'."""
    if isinstance(value, int):
        return value
    text = str(value)
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _render(request, exc.status_code, str(exc.detail), exc.detail)


async def on_body_too_large(request: Request, _exc: Exception) -> Response:
    return _render(request, 413, "Request body too large.", "Request body too large.")


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """The outermost edge: log the error's type (never journal content), show a plain page."""
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    log.debug("traceback", exc_info=exc)
    message = "Something went wrong inside Mitra; nothing was saved by this request."
    return _render(request, 500, message, message)


def install(app: FastAPI) -> None:
    app.add_exception_handler(MitraError, on_mitra_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(BodyTooLargeError, on_body_too_large)
    app.add_exception_handler(Exception, on_unexpected)
