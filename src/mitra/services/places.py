"""Place use cases: resolve what a person typed to one place, list the places to pick from, and
read or change the person's own place (the journal preference `country`, e.g. `GB` or `US-FL`).

The CLI's `--country`, the API's place parameters and every form go through `resolve`, so
"United Kingdom", "UK" and "GB" mean the same place everywhere.
"""

from __future__ import annotations

from functools import cache

from mitra.adapters.knowledge.places import load_gazetteer
from mitra.adapters.store import repositories as repo
from mitra.domain import places as model
from mitra.domain.places import Gazetteer, Place
from mitra.services import safety
from mitra.services.context import Mitra

PREFERENCE = "country"


@cache
def gazetteer() -> Gazetteer:
    """Every place Mitra knows, read once per process (the files ship with Mitra)."""
    return load_gazetteer()


def resolve(text: str, field: str = "country") -> Place:
    """The place `text` names (`United Kingdom` -> GB, `Florida` -> US-FL, empty -> INTL);
    InvalidInputError on `field` when it names none or more than one."""
    return model.resolve(text, gazetteer(), field)


def choices() -> list[Place]:
    """Every country by name, each followed by the subdivisions Mitra has data for."""
    return gazetteer().choices()


def name_of(code: str) -> str:
    """The name shown for a code: `US-FL` -> `Florida, United States`."""
    return gazetteer().display_name(code)


def describe(code: str | None) -> Place | None:
    """A stored code with its name (None when nothing is stored)."""
    return None if code is None else Place(code, name_of(code))


def my_place(mitra: Mitra) -> Place | None:
    """The person's place as saved (None before they said)."""
    with mitra.store.read() as conn:
        return describe(repo.get_preference(conn, PREFERENCE))


def set_place(mitra: Mitra, text: str) -> Place:
    """Resolve `text` and save it as the person's place; nothing is saved when it is refused."""
    place = resolve(text)
    with mitra.store.write() as conn:
        repo.set_preference(conn, PREFERENCE, place.code)
        safety.evaluate_and_store(mitra, conn)
    return place
