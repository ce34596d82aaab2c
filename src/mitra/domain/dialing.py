"""Phone numbers as people read them, and as phones dial them.

A help line's number is written for people: `1-800-662-4357 (1-800-662-HELP); TTY 1-800-487-4889`,
`112 or 999`, `0800 764 766 (0800 POISON)`. `segments` cuts such text into plain words and the
numbers in it, each number with its `tel:` (or `sms:`) address made of digits and a leading `+`
only. Every alternative becomes its own link; a vanity spelling (`1-800-662-HELP`) and words
(`TTY`, `Finnish`) stay plain text beside it. Pure: no I/O, no HTML (pages escape and link).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

MIN_DIGITS = 3
# A run of digits joined by single spaces, hyphens or dots, optionally after a leading +.
_NUMBER = re.compile(r"\+?\d(?:[ \-.]?\d)*")
# A vanity spelling goes on in capitals after the digits: 1-800-662-HELP, 0800 POISON.
_VANITY_AFTER = re.compile(r"^[ \-]?[A-Z]{2,}")
_NO_SMS = ("whatsapp",)


@dataclass(frozen=True)
class Segment:
    """A piece of text; `href` is its `tel:`/`sms:` address when the piece is a number."""

    text: str
    href: str = ""

    @property
    def is_link(self) -> bool:
        return bool(self.href)


def dial_string(number: str) -> str:
    """What a phone dials: digits, with a leading `+` kept. `1-800-662-4357` -> `18006624357`."""
    digits = "".join(c for c in number if c.isdigit())
    return ("+" if number.lstrip().startswith("+") else "") + digits


def segments(text: str, scheme: str = "tel", only: Collection[str] | None = None) -> list[Segment]:
    """`text` as plain pieces and numbers, in order, joined back they give `text` unchanged.

    A number is a run of at least three digits that is not glued to letters (`HELP4U`, `24-hour`)
    and not a vanity spelling's digits; with `only`, just the numbers whose dial string is in
    it are linked (for free text such as an alert's advice, where dates must stay plain).
    """
    found: list[Segment] = []
    at = 0
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        dialled = dial_string(match.group())
        if not _is_number(text, start, end, dialled) or (only is not None and dialled not in only):
            continue
        if start > at:
            found.append(Segment(text[at:start]))
        found.append(Segment(match.group(), f"{scheme}:{dialled}"))
        at = end
    if at < len(text):
        found.append(Segment(text[at:]))
    return found


def _is_number(text: str, start: int, end: int, dialled: str) -> bool:
    if len(dialled.lstrip("+")) < MIN_DIGITS:
        return False
    glued_before = start > 0 and text[start - 1].isalpha()
    glued_after = end < len(text) and (text[end].isalpha() or text[end] == "-")
    return not (glued_before or glued_after or _VANITY_AFTER.match(text[end:]))


def numbers(text: str, scheme: str = "tel") -> list[Segment]:
    """Only the numbers of `text`, each with its address: `112 or 999` -> two."""
    return [s for s in segments(text, scheme) if s.is_link]


def text_segments(text: str) -> list[Segment]:
    """A line's text option: its numbers as `sms:` links, unless it is a messaging app's number
    (WhatsApp), which an `sms:` link would not reach; then plain text."""
    if any(app in text.lower() for app in _NO_SMS):
        return [Segment(text)]
    return segments(text, "sms")


def dial_strings(texts: Collection[str]) -> frozenset[str]:
    """Every dial string in the given display texts: the numbers worth linking in free text."""
    return frozenset(s.href.split(":", 1)[1] for text in texts for s in numbers(text))
