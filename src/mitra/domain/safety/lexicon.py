"""Matching what a person typed ("Oxycodone 10mg", "xanaxx") to interaction classes.

Case- and typo-tolerant: names are normalised (lower case, letters and digits only), matched
exactly on the whole name or on any word of it, then within one edit for words of 5 or more
letters. A name that matches nothing is *not checked* — never "safe".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MIN_FUZZY = 5
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """'  Xanax-XR 0.5mg ' -> 'xanax xr 0 5mg'."""
    return " ".join(_NOT_WORD.split(name.casefold())).strip()


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True)
class Match:
    """What a name matched: the lexicon entry, its classes, and whether by a typo allowance."""

    typed: str
    entry: str
    classes: tuple[str, ...]
    fuzzy: bool = False


def lookup(name: str, lexicon: Mapping[str, tuple[str, ...]]) -> Match | None:
    """The lexicon entry for a typed name: exact (whole or a word), else one edit away."""
    whole = normalise(name)
    words = whole.split()
    candidates = [whole, *(" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)), *words]
    for candidate in candidates:
        if candidate in lexicon:
            return Match(name, candidate, lexicon[candidate])
    for candidate in candidates:
        if len(candidate) < MIN_FUZZY:
            continue
        for entry in sorted(lexicon):
            if len(entry) >= MIN_FUZZY and within_one_edit(candidate, entry):
                return Match(name, entry, lexicon[entry], fuzzy=True)
    return None
