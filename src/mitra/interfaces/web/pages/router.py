"""All HTML pages."""

from __future__ import annotations

from fastapi import APIRouter

from mitra.interfaces.web.pages import journal

router = APIRouter(include_in_schema=False)
router.include_router(journal.router)
