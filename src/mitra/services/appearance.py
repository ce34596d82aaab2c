"""Read and change the journal's appearance preferences (theme, discreet mode)."""

from __future__ import annotations

from mitra.adapters.store import repositories as repo
from mitra.domain.appearance import Appearance, parse_appearance
from mitra.errors import InvalidInputError
from mitra.services.context import Mitra

THEME_KEY = "theme"
DISCREET_KEY = "discreet"


def read_appearance(mitra: Mitra) -> Appearance:
    with mitra.store.read() as conn:
        theme = repo.get_preference(conn, THEME_KEY)
        discreet = repo.get_preference(conn, DISCREET_KEY)
    try:
        return parse_appearance(theme, discreet)
    except (
        InvalidInputError
    ):  # a hand-edited preference: show the defaults rather than fail every page
        return Appearance()


def set_appearance(mitra: Mitra, theme: str, discreet: str) -> Appearance:
    """Check both, then store both in one transaction."""
    chosen = parse_appearance(theme, discreet)
    with mitra.store.write() as conn:
        repo.set_preference(conn, THEME_KEY, chosen.theme.value)
        repo.set_preference(conn, DISCREET_KEY, "1" if chosen.discreet else "0")
    return chosen
