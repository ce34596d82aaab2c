"""Jinja2 templates shipped in the package, with the few filters pages share."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates

from mitra import __version__
from mitra.domain.products import FORM_LABELS


def local_time(value: datetime, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def open_alerts(request: Request) -> list[Any]:
    """Open safety alerts for the journal this app serves: none unless this request's session is
    unlocked (a locked journal, or another browser's unlocked session, shows nothing)."""
    from mitra.interfaces.web.lock import is_unlocked_request
    from mitra.services import safety

    mitra = getattr(request.app.state, "mitra", None)
    if mitra is None or not is_unlocked_request(request.scope):
        return []
    return safety.list_alerts(mitra)


def pressing_alerts(request: Request) -> list[Any]:
    """Open crisis and urgent alerts: the banner on every page."""
    return [s for s in open_alerts(request) if s.alert.severity.value in ("crisis", "urgent")]


def make_templates() -> Jinja2Templates:
    folder = resources.files("mitra.interfaces.web").joinpath("templates")
    templates = Jinja2Templates(directory=str(folder))
    templates.env.filters["local_time"] = local_time
    templates.env.globals["version"] = __version__
    templates.env.globals["open_alerts"] = open_alerts
    templates.env.globals["pressing_alerts"] = pressing_alerts
    templates.env.globals["form_labels"] = {k.value: v for k, v in FORM_LABELS.items()}
    return templates
