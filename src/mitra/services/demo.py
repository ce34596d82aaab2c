"""Fill a journal with the seeded demo generator, in one transaction, through the domain checks.

`mitra demo` also answers questionnaires on their schedules (see `mitra.domain.demo`), scored
with the shipped instrument files like any real response."""

from __future__ import annotations

from dataclasses import dataclass

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses
from mitra.domain import journal as j
from mitra.domain.demo import PATTERNS, DemoJournal, DemoKnobs, demo_use_events, generate
from mitra.domain.products import check_product
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import safety
from mitra.services.context import Mitra

COUNTED = (
    repo.products,
    repo.uses,
    repo.checkins,
    repo.effects,
    repo.vitals,
    repo.medications,
    responses,
)


@dataclass(frozen=True)
class DemoResult:
    products: int
    uses: int
    checkins: int
    effects: int
    vitals: int
    medications: int
    responses: int


def seed_demo(
    mitra: Mitra,
    *,
    days: int = 90,
    seed: int = 1,
    pattern: str = "steady",
    anxiety_effect_per_g: float = 0.0,
    force: bool = False,
    questionnaires: bool = True,
) -> DemoResult:
    """Write a synthetic journal; refuses a journal that already has entries unless forced.
    `questionnaires=False` leaves out the questionnaire responses (for tests that plant their
    own)."""
    if not 1 <= days <= 3660:
        raise InvalidInputError.one("days", f"must be from 1 to 3660, got {days}")
    if pattern not in PATTERNS:
        raise InvalidInputError.one("pattern", f"use one of {', '.join(PATTERNS)}")
    knobs = DemoKnobs(days, seed, pattern, anxiety_effect_per_g, mitra.timezone())
    instruments = knowledge.load_instruments() if questionnaires else None
    demo = generate(knobs, mitra.now(), instruments)
    return ingest_demo(mitra, demo, seed=seed, force=force)


def ingest_demo(
    mitra: Mitra, demo: DemoJournal, *, seed: int = 0, force: bool = False
) -> DemoResult:
    """Check and write a generated journal in one transaction (all of it, or none)."""
    now = mitra.now()
    with mitra.store.write() as conn:
        tz = mitra.timezone_in(conn)
        existing = sum(r.count(conn) for r in COUNTED)
        if existing and not force:
            raise ConflictError(
                f"this journal already has {existing} entries; demo data would mix with them. "
                "Use a fresh journal, or --force if you really mean it."
            )
        products = []
        for product in demo.products:
            check_product(product)
            products.append(repo.products.add(conn, product, now))
        uses = demo_use_events(demo, now, tz, products)
        for checkin in demo.checkins:
            j.check_checkin(checkin, now)
        repo.set_preference(conn, "demo_seed", str(seed))
        result = DemoResult(
            products=len(products),
            uses=repo.uses.add_many(conn, uses, now),
            checkins=repo.checkins.add_many(conn, demo.checkins, now),
            effects=repo.effects.add_many(conn, demo.effects, now),
            vitals=repo.vitals.add_many(conn, demo.vitals, now),
            medications=repo.medications.add_many(conn, demo.medications, now),
            responses=responses.add_many(conn, demo.responses, now),
        )
        safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
        return result
