"""Jinja2 templates shipped in the package, with the few filters pages share."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from mitra import __version__
from mitra.domain.products import FORM_LABELS


def local_time(value: datetime, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def make_templates() -> Jinja2Templates:
    folder = resources.files("mitra.interfaces.web").joinpath("templates")
    templates = Jinja2Templates(directory=str(folder))
    templates.env.filters["local_time"] = local_time
    templates.env.globals["version"] = __version__
    templates.env.globals["form_labels"] = {k.value: v for k, v in FORM_LABELS.items()}
    return templates
