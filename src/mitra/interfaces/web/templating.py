"""Jinja2 templates shipped in the package, with the few filters pages share."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from mitra import __version__
from mitra.adapters.reports.html import dial_markup
from mitra.domain.dialing import segments, text_segments
from mitra.domain.products import FORM_LABELS


def local_time(value: datetime, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def _journal(request: Request) -> Any:
    from mitra.interfaces.web.server_mode import journal_mitra

    return journal_mitra(request)


def open_alerts(request: Request) -> list[Any]:
    """Open safety alerts for the journal this app serves: none unless this request's session is
    unlocked (a locked journal, or another browser's unlocked session, shows nothing)."""
    from mitra.interfaces.web.lock import is_unlocked_request
    from mitra.services import safety

    mitra = _journal(request)
    if mitra is None or not is_unlocked_request(request.scope):
        return []
    return safety.list_alerts(mitra)


JUST_RAISED = timedelta(minutes=30)


def just_raised(request: Request, stored: Any) -> bool:
    """An alert first raised in the last half hour: the banner shows its advice open (on the
    page where the entry that raised it was saved); older ones start folded to one line."""
    mitra = _journal(request)
    assert mitra is not None
    return bool(mitra.now() - stored.first_seen < JUST_RAISED)


def pressing_alerts(request: Request) -> list[Any]:
    """Open crisis and urgent alerts: the banner on every page."""
    return [s for s in open_alerts(request) if s.alert.severity.value in ("crisis", "urgent")]


def phone_links(text: str, css: str = "", first: bool = False) -> Markup:
    """A written phone number with each dialable number in it as its own `tel:` link; with
    `first`, only the first number (for the banner's one line)."""
    found = segments(text)
    return (
        dial_markup([s for s in found if s.is_link][:1] or found, css)
        if first
        else dial_markup(found, css)
    )


def text_links(text: str, css: str = "") -> Markup:
    """A line's text option with its number as an `sms:` link (plain for WhatsApp)."""
    return dial_markup(text_segments(text), css)


def known_phone_links(text: str) -> Markup:
    """Free text (an alert's advice) with the help-line and emergency numbers in it linked."""
    from mitra.services import knowledge

    return dial_markup(segments(text, only=knowledge.known_numbers()))


def my_help_lines(request: Request) -> Any:
    """The help lines for the journal's place, for the alert banner."""
    from mitra.adapters.store.tables import NO_JOURNAL
    from mitra.services import knowledge

    mitra = _journal(request) or request.app.state.mitra.for_journal(NO_JOURNAL)
    return knowledge.my_help_lines(mitra)


def place_choices() -> list[Any]:
    """Every place to pick from, for the place picker's list."""
    from mitra.services import places

    return places.choices()


def appearance(request: Request) -> Any:
    """The journal's theme and discreet mode (the defaults while it is locked)."""
    from mitra.domain.appearance import Appearance
    from mitra.interfaces.web.lock import is_unlocked_request
    from mitra.services.appearance import read_appearance

    mitra = _journal(request)
    if mitra is None or not is_unlocked_request(request.scope):
        return Appearance()
    return read_appearance(mitra)


def _csrf_field(request: Request) -> Markup:
    from mitra.interfaces.web.server_mode import csrf_field

    return csrf_field(request)


def _account_name(request: Request) -> str:
    from mitra.interfaces.web.server_mode import visitor_of

    visitor = visitor_of(request.scope)
    return "" if visitor is None else visitor.name


def make_templates() -> Jinja2Templates:
    folder = resources.files("mitra.interfaces.web").joinpath("templates")
    templates = Jinja2Templates(directory=str(folder))
    templates.env.filters["local_time"] = local_time
    templates.env.globals["version"] = __version__
    templates.env.globals["open_alerts"] = open_alerts
    templates.env.globals["pressing_alerts"] = pressing_alerts
    templates.env.globals["just_raised"] = just_raised
    templates.env.filters["phone_links"] = phone_links
    templates.env.filters["text_links"] = text_links
    templates.env.filters["known_phone_links"] = known_phone_links
    templates.env.globals["place_choices"] = place_choices
    templates.env.globals["my_help_lines"] = my_help_lines
    templates.env.globals["appearance"] = appearance
    templates.env.globals["csrf_field"] = _csrf_field
    templates.env.globals["account_name"] = _account_name
    templates.env.globals["form_labels"] = {k.value: v for k, v in FORM_LABELS.items()}
    return templates
