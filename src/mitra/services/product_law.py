"""A 7-OH product against the law where the person lives: their own entry (a state) and their
country's (federal), each threshold compared with what the label states.

The web product page, `mitra products legal` and `GET /api/v1/products/{id}/legal` all call
`product_law`, so the verdict and its sources read the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitra.domain import legal
from mitra.domain.evidence import INTERNATIONAL, JurisdictionStatus, Source, country_of
from mitra.domain.legal import PlaceVerdict
from mitra.domain.products import Product, is_seven_oh
from mitra.services import knowledge
from mitra.services.context import Mitra
from mitra.services.questionnaires import read_profile

NO_PLACE = "Tell Mitra where you live to compare this product with the law there."
NO_ENTRY = "Mitra has no 7-OH entry for {code}, so this product cannot be compared."


@dataclass(frozen=True)
class ShownVerdict:
    """A place's verdict with its sources resolved."""

    verdict: PlaceVerdict
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ProductLaw:
    """The verdicts for one product (none when it is not a 7-OH product), or why there are
    none (`note`)."""

    product: Product
    place: str | None
    seven_oh: bool
    verdicts: tuple[ShownVerdict, ...] = ()
    note: str = ""


def places_for(code: str) -> list[JurisdictionStatus]:
    """The entries whose law applies in `code`: its own (if any), then its country's."""
    entries = knowledge.legal_entries()
    wanted = [code, country_of(code)]
    return [entries[c] for c in dict.fromkeys(wanted) if c in entries]


def product_law(mitra: Mitra, product: Product) -> ProductLaw:
    """The product's labelled 7-OH against the thresholds of the person's place and of their
    country (federal law), with the event and sources behind each."""
    code = read_profile(mitra).country
    if not is_seven_oh(product):
        return ProductLaw(product, code, seven_oh=False)
    if code is None or code == INTERNATIONAL:
        return ProductLaw(product, None, seven_oh=True, note=NO_PLACE)
    places = places_for(code)
    found = legal.verdicts(product, places, code, knowledge.today(mitra))
    if not found:
        return ProductLaw(product, code, seven_oh=True, note=NO_ENTRY.format(code=code))
    sources = knowledge.bibliography()
    shown = tuple(ShownVerdict(v, tuple(sources[s] for s in v.sources)) for v in found)
    return ProductLaw(product, code, seven_oh=True, verdicts=shown)
