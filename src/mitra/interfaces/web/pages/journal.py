"""Journal pages: home with quick logging, and new/edit/delete/list pages for every kind."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.fields import FieldSpec
from mitra.domain.labels import LABEL_UNITS, describe_label, label_of, read_label
from mitra.domain.products import Product
from mitra.domain.units import units_for
from mitra.errors import InvalidInputError, NotFoundError
from mitra.interfaces import forms
from mitra.interfaces.knowledge_json import DISCLAIMER
from mitra.interfaces.web.deps import FormDep, MitraDep, TemplatesDep
from mitra.services import entries, journal, knowledge, questionnaires, quick, taper, use_pattern
from mitra.services.context import Mitra
from mitra.services.history import LIST_DAYS, Window, history, window
from mitra.services.product_law import ProductLaw, product_law
from mitra.services.registry import KINDS, history_kinds

router = APIRouter(include_in_schema=False)


def _kind(kind: str) -> entries.Kind[Any]:
    if kind not in KINDS:
        raise NotFoundError(f"no page for {kind!r}")
    return KINDS[kind]


def _listing(kind: str) -> str:
    return f"/history?kind={kind}" if kind in history_kinds() else f"/{kind}"


def _after_save(kind: str, flag: str = "saved") -> str:
    return f"{_listing(kind)}{'&' if kind in history_kinds() else '?'}{flag}=1"


def _take_version(data: dict[str, str]) -> int | None:
    """Pop the hidden `version` field an edit or delete form carries (None when absent)."""
    text = data.pop("version", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise InvalidInputError.one("version", f"{text[:20]!r} is not an entry version")
    return int(text)


def _label_fields(kind: str, data: dict[str, str]) -> dict[str, str]:
    """A product form's label number and its chosen unit ("1.5" + "% mitragynine") turned into
    the stored fields (mitragynine per g, or per capsule/tablet/ml with that serving unit)."""
    if kind != "products":
        return data
    fields = {k: v for k, v in data.items() if k not in ("label_amount", "label_unit", "check")}
    if "label_amount" not in data and "label_unit" not in data:
        return fields
    reading = read_label(data.get("label_amount", ""), data.get("label_unit", ""))
    fields["mitragynine_mg_per_g"] = fields["mitragynine_mg_per_unit"] = ""
    if reading is None:
        return fields
    if reading.mg_per_g is not None:
        fields["mitragynine_mg_per_g"] = f"{reading.mg_per_g:g}"
        return fields
    assert reading.serving_unit is not None and reading.mg_per_unit is not None
    chosen = fields.get("serving_unit", "")
    if chosen and chosen != reading.serving_unit.value:
        raise InvalidInputError.one(
            "serving_unit",
            f"the label's mitragynine is per {reading.serving_unit.value} but 'per unit' says "
            f"{chosen}; one product has one serving unit",
        )
    fields["mitragynine_mg_per_unit"] = f"{reading.mg_per_unit:g}"
    fields["serving_unit"] = reading.serving_unit.value
    return fields


def _label_note(values: dict[str, str]) -> str:
    """The conversion the label fields give (empty while they cannot be read)."""
    try:
        return describe_label(
            read_label(values.get("label_amount", ""), values.get("label_unit", ""))
        )
    except InvalidInputError:
        return ""


def _with_client_id(kind: str, data: dict[str, str], tz: str) -> dict[str, Any]:
    """The form's values, with the hidden `client_id` an offline-queued entry carries (#17)."""
    fields = _label_fields(kind, {k: v for k, v in data.items() if k != "client_id"})
    values = forms.parse(kind, fields, tz=tz)
    return {**values, "client_id": data["client_id"]} if data.get("client_id") else values


def _form_page(
    request: Request,
    templates: TemplatesDep,
    mitra: Mitra,
    kind: str,
    *,
    values: dict[str, str],
    action: str,
    errors: dict[str, str] | None = None,
    law: ProductLaw | None = None,
) -> HTMLResponse:
    products = journal.list_products(mitra) if kind == "uses" else []
    unit_names = sorted({u for p in products for u in units_for(p)}) or ["g"]
    context = {
        "kind": kind,
        "title": _kind(kind).title,
        "fields": forms.fields_for(kind),
        "values": values,
        "errors": errors or {},
        "action": action,
        "products": products,
        "unit_names": unit_names,
        "law": law,
        "disclaimer": DISCLAIMER,
        "label_units": LABEL_UNITS,
        "label_note": _label_note(values) if kind == "products" else "",
    }
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "entries/form.html", context, status_code=status)


def _shown(spec: FieldSpec, value: Any, tz: str, products: dict[Any, str]) -> str:
    """A stored value as a person reads it: a choice's label ("Leaf powder", not
    "leaf_powder"), a product's name (not its id), times in the user's zone."""
    text = forms.format_value(value, tz)
    if not text:
        return ""
    if spec.type == "choice":
        return dict(spec.choices).get(text, text)
    if spec.type == "product":
        return products.get(value, text)
    return text.replace("T", " ") if spec.type == "datetime" else text


@router.get("/", response_class=HTMLResponse)
def home_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, logged: int = 0, undone: int = 0
) -> HTMLResponse:
    products = journal.list_products(mitra)
    recent = history(mitra, days=3)
    titles = questionnaires.instrument_titles()
    context = {
        "products": products,
        "recent": recent,
        "tz": mitra.timezone(),
        "due_now": [d for d in questionnaires.due(mitra) if d.is_due],
        "titles": titles,
        "onboarded": questionnaires.read_profile(mitra).onboarded,
        "jurisdiction": knowledge.my_jurisdiction(mitra),
        "use_window": use_pattern.recent_use(mitra),
        "taper_today": taper.today(mitra),
        "quick_doses": quick.quick_doses(mitra),
        "saved": quick.just_saved(mitra, logged) if 0 < logged < 2**63 else None,
        "undone": undone,
    }
    return templates.TemplateResponse(request, "home.html", context)


def _until(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError.one("until", f"{text!r} is not a date YYYY-MM-DD") from None


@router.get("/history", response_class=HTMLResponse)
def history_page(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    days: int = 14,
    kind: str = "",
    until: str = "",
    saved: int = 0,
    deleted: int = 0,
) -> HTMLResponse:
    """Entries of `days` days ending on `until` (default today): any entry since 1990, the
    earliest time a journal accepts, can be found by going back."""
    kinds = [kind] if kind else None
    last = _until(until)
    result = history(mitra, days=days, until=last, kinds=kinds)
    context = {
        "days": days,
        "until": last,
        "earlier": (last or knowledge.today(mitra)) - timedelta(days=days),
        "kind": kind,
        "history": result,
        "saved": saved,
        "deleted": deleted,
        "kinds": history_kinds(),
    }
    return templates.TemplateResponse(request, "history/index.html", context)


@router.get("/{kind}", response_class=HTMLResponse)
def list_page(
    request: Request,
    kind: str,
    mitra: MitraDep,
    templates: TemplatesDep,
    saved: int = 0,
    deleted: int = 0,
    days: int = LIST_DAYS,
    until: str = "",
) -> HTMLResponse:
    """A kind's entries. Kinds with a time show `days` days ending on `until` (default today)
    with a link to the days before, so the page does not grow with the journal; the others
    (products, medications) list up to 500."""
    target = _kind(kind)
    shown: Window | None = None
    if target.in_history:
        shown = window(mitra, kind, days=days, until=_until(until))
        items, tz = shown.entries, shown.tz
    else:
        items, tz = entries.list_all(mitra, target, limit=500), mitra.timezone()
    names = {p.id: p.name for p in journal.list_products(mitra)} if kind == "uses" else {}
    rows = [
        (item.id, [_shown(s, getattr(item, s.name), tz, names) for s in forms.fields_for(kind)])
        for item in items
    ]
    context = {
        "kind": kind,
        "title": target.title,
        "heading": target.heading,
        "fields": forms.fields_for(kind),
        "rows": rows,
        "saved": saved,
        "deleted": deleted,
        "window": shown,
        "until": _until(until),
    }
    return templates.TemplateResponse(request, "entries/list.html", context)


@router.get("/{kind}/new", response_class=HTMLResponse)
def new_entry_page(
    request: Request, kind: str, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    _kind(kind)
    values = {**forms.defaults_for(kind), **dict(request.query_params)}
    return _form_page(request, templates, mitra, kind, values=values, action=f"/{kind}/new")


@router.post("/{kind}/new", response_model=None)
def create_entry(
    request: Request, kind: str, mitra: MitraDep, templates: TemplatesDep, data: FormDep
) -> Response:
    _kind(kind)
    if data.get("check"):  # "Show the conversion": the form again, with it, nothing saved
        return _form_page(request, templates, mitra, kind, values=data, action=f"/{kind}/new")
    try:
        entries.save(mitra, kind, _with_client_id(kind, data, mitra.timezone()))
    except InvalidInputError as exc:
        errors = {p.field: p.reason for p in exc.problems}
        return _form_page(
            request, templates, mitra, kind, values=data, action=f"/{kind}/new", errors=errors
        )
    return RedirectResponse(_after_save(kind), status_code=303)


@router.get("/{kind}/{entry_id}/edit", response_class=HTMLResponse)
def edit_entry_page(
    request: Request, kind: str, entry_id: int, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    entry, version = entries.get_versioned(mitra, _kind(kind), entry_id)
    tz = mitra.timezone()
    values = {
        s.name: forms.format_value(getattr(entry, s.name), tz) for s in forms.fields_for(kind)
    }
    values["version"] = str(version)
    if isinstance(entry, Product):
        values["label_amount"], values["label_unit"] = label_of(entry)
    action = f"/{kind}/{entry_id}/edit"
    law = product_law(mitra, entry) if isinstance(entry, Product) else None
    return _form_page(request, templates, mitra, kind, values=values, action=action, law=law)


@router.post("/{kind}/{entry_id}/edit", response_model=None)
def update_entry(
    request: Request,
    kind: str,
    entry_id: int,
    mitra: MitraDep,
    templates: TemplatesDep,
    data: FormDep,
) -> Response:
    entries.get(mitra, _kind(kind), entry_id)
    version = _take_version(data)
    if data.get("check"):  # "Show the conversion": the form again, with it, nothing saved
        values_shown = {**data, "version": "" if version is None else str(version)}
        action = f"/{kind}/{entry_id}/edit"
        return _form_page(request, templates, mitra, kind, values=values_shown, action=action)
    try:
        values = forms.parse(kind, _label_fields(kind, data), tz=mitra.timezone())
        entries.save(mitra, kind, values, entry_id, version)
    except InvalidInputError as exc:
        errors = {p.field: p.reason for p in exc.problems}
        return _form_page(
            request,
            templates,
            mitra,
            kind,
            values={**data, "version": "" if version is None else str(version)},
            action=f"/{kind}/{entry_id}/edit",
            errors=errors,
        )
    return RedirectResponse(_after_save(kind), status_code=303)


@router.get("/{kind}/{entry_id}/delete", response_class=HTMLResponse)
def delete_entry_page(
    request: Request, kind: str, entry_id: int, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    target = _kind(kind)
    entry, version = entries.get_versioned(mitra, target, entry_id)
    tz = mitra.timezone()
    shown = [
        (s.label, forms.format_value(getattr(entry, s.name), tz)) for s in forms.fields_for(kind)
    ]
    context = {
        "kind": kind,
        "title": target.title,
        "entry_id": entry_id,
        "shown": shown,
        "back": _listing(kind),
        "version": version,
    }
    return templates.TemplateResponse(request, "entries/delete.html", context)


@router.post("/{kind}/{entry_id}/delete", response_model=None)
def delete_entry(kind: str, entry_id: int, mitra: MitraDep, data: FormDep) -> Response:
    target = _kind(kind)
    version = _take_version(data)
    entries.delete(mitra, target, entry_id, version)
    return RedirectResponse(_after_save(kind, "deleted"), status_code=303)
