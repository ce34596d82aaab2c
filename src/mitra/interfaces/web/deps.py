"""FastAPI dependencies: the journal's services context, taken from the app (never a global)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from mitra.errors import LockedError
from mitra.services.context import Mitra


def get_mitra(request: Request) -> Mitra:
    mitra = request.app.state.mitra
    if mitra is None:  # an encrypted journal not unlocked (LockGate normally answers first)
        raise LockedError("the journal is locked; unlock it first")
    assert isinstance(mitra, Mitra)
    return mitra


def get_templates(request: Request) -> Jinja2Templates:
    templates = request.app.state.templates
    assert isinstance(templates, Jinja2Templates)
    return templates


MitraDep = Annotated[Mitra, Depends(get_mitra)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
