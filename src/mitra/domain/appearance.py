"""How the pages look on this device's journal: colour theme and discreet mode.

Stored as journal preferences (`theme`, `discreet`). Discreet mode swaps the app's name and icon
for neutral ones and keeps substance words out of page titles, calendar events and notifications
(for a phone someone else may glance at); it hides nothing from the person themself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mitra.errors import InvalidInputError


class Theme(StrEnum):
    AUTO = "auto"  # follow the device (prefers-color-scheme)
    LIGHT = "light"
    DARK = "dark"


THEME_LABELS: Final = {
    Theme.AUTO: "Same as this device",
    Theme.LIGHT: "Light",
    Theme.DARK: "Dark",
}
APP_NAME: Final = "Mitra"
DISCREET_NAME: Final = "Journal"


@dataclass(frozen=True)
class Appearance:
    theme: Theme = Theme.AUTO
    discreet: bool = False

    @property
    def app_name(self) -> str:
        return DISCREET_NAME if self.discreet else APP_NAME


def parse_appearance(theme: str | None, discreet: str | None) -> Appearance:
    """Stored or submitted text -> Appearance; an unknown theme is refused, naming the choices."""
    text = (theme or Theme.AUTO.value).strip()
    if text not in {t.value for t in Theme}:
        allowed = ", ".join(t.value for t in Theme)
        raise InvalidInputError.one("theme", f"{text[:20]!r} is not one of: {allowed}")
    return Appearance(Theme(text), (discreet or "").strip() in ("1", "on", "true", "yes"))
