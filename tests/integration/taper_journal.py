"""The journal the taper tests plan from: 60 whole days of three 2 g doses of leaf (6 g a day),
ending yesterday by the test clock, in London time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm
from mitra.services.context import Mitra
from mitra.services.demo import ingest_demo

LONDON = ZoneInfo("Europe/London")


def seed_sixty_days(mitra: Mitra) -> None:
    today = mitra.now().astimezone(LONDON).date()
    uses = [
        DemoUse(0, 2.0, "g", datetime.combine(today - timedelta(days=n), time(h), LONDON))
        for n in range(1, 61)
        for h in (8, 14, 20)
    ]
    leaf = Product("Leaf powder", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0)
    ingest_demo(mitra, DemoJournal(products=[leaf], uses=uses))
