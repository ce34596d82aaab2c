"""FastAPI dependencies: the journal's services context, taken from the app (never a global)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from mitra.errors import LockedError
from mitra.services.context import Mitra


async def get_mitra(request: Request) -> Mitra:
    """Async (it only reads app state), so FastAPI need not hop to the threadpool for it."""
    from mitra.interfaces.web.server_mode import journal_mitra

    mitra = journal_mitra(request)
    if mitra is None:  # an encrypted journal not unlocked, or server mode without a session
        raise LockedError("the journal is locked; unlock it first")
    assert isinstance(mitra, Mitra)
    return mitra


async def get_templates(request: Request) -> Jinja2Templates:
    templates = request.app.state.templates
    assert isinstance(templates, Jinja2Templates)
    return templates


async def form_data(request: Request) -> dict[str, str]:
    """A posted form's text fields, read on the event loop, so the handler itself can be a plain
    `def` that FastAPI runs in its threadpool (database work never blocks other requests)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def form_lists(request: Request) -> dict[str, list[str]]:
    """A posted form's text fields, every value of each (checkboxes repeat a name)."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
    return values


MitraDep = Annotated[Mitra, Depends(get_mitra)]
FormDep = Annotated[dict[str, str], Depends(form_data)]
FormListsDep = Annotated[dict[str, list[str]], Depends(form_lists)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
