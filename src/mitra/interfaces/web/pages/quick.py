"""Home's quick log: one tap re-logs a product's last dose, then Home shows "Saved — Undo".

Plain forms (no JavaScript needed): a log posts here and comes back to Home with the new entry's
id, which Home shows with an Undo button; Undo posts the id back and the entry is deleted.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from mitra.errors import InvalidInputError
from mitra.interfaces.web.deps import FormDep, MitraDep, TemplatesDep
from mitra.interfaces.web.pages import journal as journal_pages
from mitra.services import entries, quick

router = APIRouter(include_in_schema=False)


@router.post("/quick/log", response_model=None)
def quick_log(
    request: Request, mitra: MitraDep, templates: TemplatesDep, data: FormDep
) -> Response:
    try:
        values = journal_pages._with_client_id("uses", data, mitra.timezone())
        saved = entries.save(mitra, entries.USES, values).entry
    except InvalidInputError as exc:
        errors = {p.field: p.reason for p in exc.problems}
        return journal_pages._form_page(
            request, templates, mitra, "uses", values=data, action="/uses/new", errors=errors
        )
    return RedirectResponse(f"/?logged={saved.id}#saved", status_code=303)


@router.post("/quick/undo", response_model=None)
def quick_undo(mitra: MitraDep, data: FormDep) -> Response:
    use_id = data.get("use_id", "")
    if not use_id.isdigit() or len(use_id) > 18:
        raise InvalidInputError.one("use_id", f"{use_id[:20]!r} is not an entry id")
    quick.undo_use(mitra, int(use_id))
    return RedirectResponse("/?undone=1", status_code=303)
