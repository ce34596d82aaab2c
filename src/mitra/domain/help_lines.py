"""Help lines and emergency numbers: who to reach, how (call, text, chat), when, and from where.

Pure: frozen dataclasses and functions, no I/O. A number is held twice: as printed (`display`,
e.g. "116 123") and as a phone dials it (`dial`: digits with at most a leading +, e.g. "116123"),
so pages can make `tel:` and `sms:` links without guessing. Letters (1-800-662-HELP), TTY, text and
chat options are separate fields, never folded into the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from mitra.domain.checks import parse_enum

_DIALABLE = re.compile(r"^\+?[0-9]{2,15}$")
_DISPLAY = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")


class LineKind(Enum):
    """What a helpline is for; a person in crisis should meet the `crisis` lines first.

    `crisis`: suicide and mental-health crisis support. `substance_use`: treatment referral and
    information for substance use (for example SAMHSA's helpline). `poison`: a poison centre.
    `directory`: a list of other helplines (for example Befrienders Worldwide).
    """

    CRISIS = "crisis"
    SUBSTANCE_USE = "substance_use"
    POISON = "poison"
    DIRECTORY = "directory"

    @classmethod
    def from_code(cls, code: str) -> LineKind:
        return parse_enum(cls, code, "kind")


@dataclass(frozen=True)
class PhoneNumber:
    """One number as printed and as dialled; `label` says which one it is when a line has
    several ("Swedish", "from Iwate, Miyagi and Fukushima") or what to send to it."""

    display: str
    dial: str
    label: str = ""

    @property
    def spoken(self) -> str:
        """The display form with its label, for plain text: "09 2525 0112 (Swedish)"."""
        return f"{self.display} ({self.label})" if self.label else self.display


def phone_problem(display: str, dial: str) -> str | None:
    """Why a display/dial pair is malformed, or None.

    `dial` is 2 to 15 digits (E.164's maximum) with at most a leading +; `display` is digits with
    spaces, hyphens, dots, slashes or brackets (no letters: a vanity form goes in its own field),
    and both carry the same digits.
    """
    if not _DIALABLE.match(dial):
        return f"dial {dial!r} must be 2 to 15 digits with at most a leading +"
    if not _DISPLAY.match(display):
        return f"display {display!r} may hold only digits, spaces and - . / ( ) +"
    if _digits(display) != _digits(dial):
        return f"display {display!r} and dial {dial!r} are different numbers"
    return None


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def spoken(numbers: Iterable[PhoneNumber]) -> str:
    """Several numbers as one phrase: "112 or 999"."""
    return " or ".join(number.spoken for number in numbers)


@dataclass(frozen=True)
class CrisisLine:
    """A helpline a person can reach: who runs it, what kind it is, how, when, what for.

    `phones` are voice numbers; `tty` text-telephone numbers; `sms` numbers to text (their label
    says what to send); `whatsapp` numbers reached by WhatsApp; `chat` a web chat address; `url`
    the service's own site. `open_24h` is True only when every day and night is covered.
    """

    country: str
    name: str
    kind: LineKind
    purpose: str
    hours: str
    sources: tuple[str, ...]
    as_of: date
    open_24h: bool = False
    phones: tuple[PhoneNumber, ...] = ()
    vanity: str = ""
    tty: tuple[PhoneNumber, ...] = ()
    sms: tuple[PhoneNumber, ...] = ()
    whatsapp: tuple[PhoneNumber, ...] = ()
    chat: str = ""
    url: str = ""
    notes: str = ""

    @property
    def phone(self) -> str:
        """The voice numbers as one phrase ("0800 111 0 111 or 0800 111 0 222"), for text."""
        return spoken(self.phones)

    @property
    def tty_text(self) -> str:
        """The text-telephone numbers as one phrase, for plain text."""
        return spoken(self.tty)

    @property
    def text(self) -> str:
        """The text options as one phrase ("988"; "WhatsApp 9151 1767"), for plain text."""
        ways = [number.spoken for number in self.sms]
        ways += [f"WhatsApp {number.spoken}" for number in self.whatsapp]
        return "; ".join(ways)

    @property
    def ways(self) -> tuple[str, ...]:
        """Every way to reach the service, each as a short phrase: "call 988", "text 988",
        "TTY 1-800-487-4889", "chat https://...", then the site."""
        found: list[str] = []
        if self.phones:
            found.append(f"call {self.phone}" + (f" ({self.vanity})" if self.vanity else ""))
        if self.tty:
            found.append(f"TTY {spoken(self.tty)}")
        found += [f"text {number.spoken}" for number in self.sms]
        found += [f"WhatsApp {number.spoken}" for number in self.whatsapp]
        if self.chat:
            found.append(f"chat {self.chat}")
        if self.url:
            found.append(self.url)
        return tuple(found)

    @property
    def reachable(self) -> bool:
        """True when the entry gives at least one way to reach the service."""
        return bool(self.phones or self.sms or self.whatsapp or self.chat or self.url)


@dataclass(frozen=True)
class EmergencyNumber:
    """The number(s) for police, ambulance and fire in one country, most general first; `note`
    says what they are for, `notes` where the numbers come from when that needs saying."""

    country: str
    numbers: tuple[PhoneNumber, ...]
    note: str
    sources: tuple[str, ...]
    as_of: date
    notes: str = ""

    @property
    def number(self) -> str:
        """All numbers as one phrase ("112 or 999"), for plain text."""
        return spoken(self.numbers)


@dataclass(frozen=True)
class LineGap:
    """A sourced statement that a country has no 24-hour crisis line (and what it has instead)."""

    country: str
    note: str
    sources: tuple[str, ...]
    as_of: date


def crisis_first(lines: Iterable[CrisisLine]) -> list[CrisisLine]:
    """The `crisis`-kind lines first, 24-hour ones before the rest; otherwise the order given is
    kept (a stable sort)."""
    return sorted(lines, key=lambda line: (line.kind is not LineKind.CRISIS, not line.open_24h))
