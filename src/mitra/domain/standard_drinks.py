"""What one "drink" means where the person lives, for questionnaires that count drinks.

The AUDIT-C asks how many "standard drinks" a person has and how often six or more; a standard
drink is 14 g of alcohol in the United States, 8 g (a "unit") in Britain and 10 g in much of
Europe and Australasia, so the same glass counts differently by place. The table is knowledge
(`knowledge/measures/standard_drinks.yaml`); this module picks the entry for a place and words it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StandardDrink:
    """One country's definition, as its health service words it, with its sources."""

    country: str
    where: str  # "the United Kingdom": the place as the sentence names it
    grams: float
    name: str  # what the country calls it: "standard drink", "unit", ...
    example: str
    sources: tuple[str, ...]
    as_of: date


@dataclass(frozen=True)
class DrinkNote:
    """The sentence shown with a questionnaire that counts drinks, and where it comes from."""

    instrument_id: str
    country: str | None  # None: Mitra has no definition for the place
    text: str
    sources: tuple[str, ...]
    as_of: date


@dataclass(frozen=True)
class StandardDrinks:
    """The knowledge file: which instruments count drinks, each country's definition, and what
    to say where Mitra has none."""

    instruments: tuple[str, ...]
    by_country: Mapping[str, StandardDrink]
    fallback: str
    fallback_sources: tuple[str, ...]
    as_of: date

    def note(self, instrument_id: str, country: str | None) -> DrinkNote | None:
        """The note for `instrument_id` in `country` (an ISO country code, or None / INTL for
        no place); None when the instrument counts no drinks."""
        if instrument_id not in self.instruments:
            return None
        drink = self.by_country.get(country or "")
        if drink is None:
            return DrinkNote(instrument_id, None, self.fallback, self.fallback_sources, self.as_of)
        return DrinkNote(instrument_id, drink.country, wording(drink), drink.sources, drink.as_of)


def wording(drink: StandardDrink) -> str:
    """'In the United Kingdom one unit is 8 g of alcohol: half a pint of ... Count each "drink"
    as one unit.'"""
    example = f": {drink.example}" if drink.example else ""
    count = "" if drink.name == "standard drink" else f' Count each "drink" as one {drink.name}.'
    return f"In {drink.where} one {drink.name} is {drink.grams:g} g of alcohol{example}.{count}"


def countries_without_duplicates(entries: Sequence[StandardDrink]) -> dict[str, StandardDrink]:
    """Entries by country; a country listed twice is a mistake in the file (ValueError)."""
    found: dict[str, StandardDrink] = {}
    for entry in entries:
        if entry.country in found:
            raise ValueError(f"{entry.country} is listed twice")
        found[entry.country] = entry
    return found
