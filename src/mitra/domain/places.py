"""Where a person lives: a country, or a subdivision Mitra has data for (a US state), typed by
name, alias or ISO 3166 code and resolved to one code, or refused with the reason.

Pure: the list of places (a `Gazetteer`) is built by the knowledge loader and passed in. One rule
decides every place Mitra is told, whether typed on a form, given to `--country` or sent to the
API: an exact ISO code wins ("CA" is Canada); otherwise names and aliases are matched ignoring
case, accents and punctuation ("united kingdom", "Türkiye", "U.S.A."); "Florida, USA" is a state
followed by its country. A name that fits two places ("Georgia") or none ("XX") is refused with
the choices, never guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from mitra.domain.evidence import INTERNATIONAL
from mitra.errors import InvalidInputError

INTERNATIONAL_NAME = "Anywhere else (international lines)"
INTERNATIONAL_ALIASES = ("intl", "international", "anywhere", "none", "other")
SUGGESTIONS = 4
_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_CODE_AFTER_NAME = re.compile(r"\(([A-Z]{2}(?:-[A-Z0-9]{1,3})?)\)$")
_DROPPED = re.compile(r"[.'’]")
_SPACED = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class PlaceName:
    """One place Mitra knows: its ISO code, the name shown, and other names people type."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def country(self) -> str:
        return self.code.split("-", 1)[0]

    @property
    def is_subdivision(self) -> bool:
        return "-" in self.code


@dataclass(frozen=True)
class Place:
    """A resolved place: its code (`GB`, `US-FL`, or `INTL`) and the name shown for it."""

    code: str
    name: str

    @property
    def country(self) -> str:
        """The country part: `US-FL` -> `US`; `INTL` stays `INTL`."""
        return self.code.split("-", 1)[0]

    @property
    def is_international(self) -> bool:
        return self.code == INTERNATIONAL


@dataclass(frozen=True)
class Gazetteer:
    """Every place a person may name: countries (ISO 3166-1) and the subdivisions Mitra has
    data for, each with the names it answers to."""

    places: tuple[PlaceName, ...]

    def by_code(self) -> dict[str, PlaceName]:
        return self._by_code

    @cached_property
    def _by_code(self) -> dict[str, PlaceName]:
        return {p.code: p for p in self.places}

    @cached_property
    def index(self) -> dict[str, set[str]]:
        """Every normalised name to the codes it names (built once per gazetteer)."""
        return _index(self.places)

    @cached_property
    def country_index(self) -> dict[str, set[str]]:
        return _index(p for p in self.places if not p.is_subdivision)

    def display_name(self, code: str) -> str:
        """`United Kingdom`, `Florida, United States`, or the code itself when unknown."""
        if code == INTERNATIONAL:
            return INTERNATIONAL_NAME
        known = self.by_code()
        if code not in known:
            return code
        place = known[code]
        if place.is_subdivision and place.country in known:
            return f"{place.name}, {known[place.country].name}"
        return place.name

    def choices(self) -> list[Place]:
        return list(self._choices)

    @cached_property
    def _choices(self) -> tuple[Place, ...]:
        """Every place as a person would pick it: countries by name, each followed by its
        subdivisions (for a list such as a form's datalist). A name two places share gets its
        code after it (`Georgia (GE)`), so each choice, typed back, finds its own place."""
        countries = sorted((p for p in self.places if not p.is_subdivision), key=_sort_key)
        subdivisions = sorted((p for p in self.places if p.is_subdivision), key=_sort_key)
        shared = {k for k, codes in self.index.items() if len(codes) > 1}
        ordered: list[Place] = []
        for country in countries:
            name = country.name
            if normalise(name) in shared:
                name = f"{name} ({country.code})"
            ordered.append(Place(country.code, name))
            ordered += [
                Place(s.code, self.display_name(s.code))
                for s in subdivisions
                if s.country == country.code
            ]
        return tuple(ordered)


def _sort_key(place: PlaceName) -> str:
    return normalise(place.name)


def normalise(text: str) -> str:
    """Lower case without accents or punctuation, single spaces: `Türkiye` -> `turkiye`,
    `U.S.A.` -> `usa`, `Florida, USA` -> `florida usa`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    spaced = _SPACED.sub(" ", _DROPPED.sub("", plain)).strip()
    return spaced.removeprefix("the ")


def _index(places: Iterable[PlaceName]) -> dict[str, set[str]]:
    """Every normalised name to the codes it names; a subdivision's own code part (`fl`) too."""
    found: dict[str, set[str]] = {}
    for place in places:
        names = [place.name, *place.aliases]
        if place.is_subdivision:
            names.append(place.code.split("-", 1)[1])
        for name in names:
            found.setdefault(normalise(name), set()).add(place.code)
    return found


def resolve(text: str, gazetteer: Gazetteer, field: str = "country") -> Place:
    """The place `text` names, or InvalidInputError on `field` saying why and what to type.

    Empty text (or "international") is INTL. An ISO code Mitra knows is taken as is (any case);
    so is a subdivision code of a known country (`GB-SCT`): Mitra ships no ISO 3166-2 list, and
    every answer for it falls back to its country, saying so. A two-letter subdivision code that
    is no country's code (`FL`) is that US state.
    """
    known = gazetteer.by_code()
    cleaned = text.strip()
    code = cleaned.upper()
    if not cleaned or normalise(cleaned) in (*INTERNATIONAL_ALIASES, normalise(INTERNATIONAL_NAME)):
        return Place(INTERNATIONAL, INTERNATIONAL_NAME)
    if _CODE.match(code) and code in known:
        return Place(code, gazetteer.display_name(code))
    if _CODE.match(code) and code.split("-", 1)[0] in known:
        return Place(code, f"{code}, {gazetteer.display_name(code.split('-', 1)[0])}")
    named = _CODE_AFTER_NAME.search(code)
    if named and named.group(1) in known:
        return Place(named.group(1), gazetteer.display_name(named.group(1)))
    codes = _match(normalise(cleaned), gazetteer)
    if len(codes) == 1:
        (only,) = codes
        return Place(only, gazetteer.display_name(only))
    raise InvalidInputError.one(field, _refusal(cleaned, codes, gazetteer))


def _match(key: str, gazetteer: Gazetteer) -> set[str]:
    """Codes named by the whole text, else by "<subdivision> <country>" (`florida usa`)."""
    index, countries = gazetteer.index, gazetteer.country_index
    if key in index:
        return index[key]
    words = key.split(" ")
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        for country in countries.get(tail, set()) | ({tail.upper()} & set(gazetteer.by_code())):
            inside = {c for c in index.get(head, set()) if c.startswith(country + "-")}
            if inside:
                return inside
    return set()


def _refusal(text: str, codes: set[str], gazetteer: Gazetteer) -> str:
    if codes:
        options = " or ".join(f"{gazetteer.display_name(c)} ({c})" for c in sorted(codes))
        return f"{text!r} could be {options}: type the one you mean"
    close = _suggestions(text, gazetteer)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return (
        f"{text!r} is not a place Mitra knows. Type a country's name, such as United Kingdom, "
        f"or a US state, such as Florida; leave it empty for international lines.{hint}"
    )


def _suggestions(text: str, gazetteer: Gazetteer) -> list[str]:
    """Up to four names close to what was typed (a typo, or the start of a name)."""
    names: dict[str, str] = {normalise(p.name): p.name for p in gazetteer.choices()}
    names |= {normalise(p.name): gazetteer.display_name(p.code) for p in gazetteer.places}
    key = normalise(text)
    starting = [name for norm, name in names.items() if len(key) >= 3 and norm.startswith(key)]
    close = difflib.get_close_matches(key, list(names), n=SUGGESTIONS, cutoff=0.8)
    found = list(dict.fromkeys(starting + [names[n] for n in close]))
    return found[:SUGGESTIONS]
