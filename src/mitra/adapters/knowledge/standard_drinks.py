"""Read `knowledge/measures/standard_drinks.yaml`: what one drink holds in each country.

Strict like every knowledge loader: an unknown field, a missing value, a country listed twice or
a source id that no sources file defines raises ConfigurationError naming the file and field.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from mitra.adapters.knowledge.evidence import _Reader, load_sources
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.standard_drinks import StandardDrink, StandardDrinks, countries_without_duplicates

DRINKS_FILE = "measures/standard_drinks.yaml"


@cache
def load_standard_drinks() -> StandardDrinks:
    top = _Reader(DRINKS_FILE, "file", read_yaml(DRINKS_FILE))
    as_of = top.day("as_of")
    instruments = top.get("instruments")
    if not isinstance(instruments, list) or not all(isinstance(i, str) for i in instruments):
        top.fail("instruments", "must be a list of instrument ids")
    fallback = _child(top, "fallback")
    fallback_text, fallback_sources = fallback.text("text"), fallback.ids("sources")
    entries = [_drink(r, as_of) for r in top.readers("countries")]
    top.check_known()
    try:
        by_country = countries_without_duplicates(entries)
    except ValueError as exc:
        top.fail("countries", str(exc))
    drinks = StandardDrinks(
        instruments=tuple(instruments),
        by_country=by_country,
        fallback=fallback_text,
        fallback_sources=fallback_sources,
        as_of=as_of,
    )
    known = load_sources()
    for cited in (drinks.fallback_sources, *(d.sources for d in entries)):
        for source in cited:
            if source not in known:
                top.fail("sources", f"{source!r} is not in any sources file")
    return drinks


def _child(top: _Reader, field: str) -> _Reader:
    child = _Reader(top.path, f"{top.where}.{field}", top.get(field))
    top.children.append(child)
    return child


def _drink(r: _Reader, as_of: date) -> StandardDrink:
    return StandardDrink(
        country=r.jurisdiction("country"),
        where=r.text("where"),
        grams=r.number("grams"),
        name=r.text("name"),
        example=r.optional_text("example"),
        sources=r.ids("sources"),
        as_of=as_of,
    )
