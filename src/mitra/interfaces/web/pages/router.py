"""All HTML pages."""

from __future__ import annotations

from fastapi import APIRouter

from mitra.interfaces.web.pages import (
    alerts,
    app_shell,
    insights,
    journal,
    knowledge,
    measures,
    quick,
    research,
    sharing,
    taper,
)

router = APIRouter(include_in_schema=False)
router.include_router(measures.router)  # before journal's catch-all /{kind}
router.include_router(knowledge.router)  # before journal's catch-all /{kind}
router.include_router(insights.router)  # before journal's catch-all /{kind}
router.include_router(alerts.router)  # before journal's catch-all /{kind}
router.include_router(sharing.router)  # before journal's catch-all /{kind}
router.include_router(research.router)  # before journal's catch-all /{kind}
router.include_router(taper.router)  # before journal's catch-all /{kind}
router.include_router(app_shell.router)  # before journal's catch-all /{kind}
router.include_router(quick.router)  # before journal's catch-all /{kind}
router.include_router(journal.router)
