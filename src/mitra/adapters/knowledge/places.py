"""Read `knowledge/places.yaml` (every ISO 3166-1 country with the names people type) and add the
subdivisions Mitra has data for (the US states of `knowledge/legal/`), as one `Gazetteer`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mitra.adapters.knowledge.evidence import load_legal
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.evidence import is_jurisdiction_code
from mitra.domain.places import Gazetteer, PlaceName
from mitra.errors import ConfigurationError

PLACES_FILE = "places.yaml"


def load_gazetteer() -> Gazetteer:
    """Countries from places.yaml, then each subdivision with a legal entry (by its name)."""
    document = read_yaml(PLACES_FILE)
    if not isinstance(document, Mapping) or not isinstance(document.get("countries"), list):
        raise ConfigurationError(f"knowledge file {PLACES_FILE}: needs a list 'countries'")
    countries = [_country(i, entry) for i, entry in enumerate(document["countries"])]
    subdivisions = [
        PlaceName(code, status.name) for code, status in sorted(load_legal().items()) if "-" in code
    ]
    return Gazetteer(tuple(countries + subdivisions))


def _country(index: int, entry: Any) -> PlaceName:
    where = f"knowledge file {PLACES_FILE}: countries[{index}]"
    if not isinstance(entry, Mapping) or set(entry) - {"code", "name", "aliases"}:
        raise ConfigurationError(f"{where} must have only code, name and aliases")
    code, name, aliases = entry.get("code"), entry.get("name"), entry.get("aliases", [])
    if not isinstance(code, str) or not is_jurisdiction_code(code) or "-" in code:
        raise ConfigurationError(f"{where}.code {code!r} is not an ISO 3166-1 alpha-2 code")
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{where}.name must be non-empty text")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ConfigurationError(f"{where}.aliases must be a list of names")
    return PlaceName(code, name, tuple(aliases))
