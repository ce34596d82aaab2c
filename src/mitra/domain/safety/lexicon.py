"""Matching what a person typed ("Oxycodone 10mg", "xanaxx", "Tylenol with codeine") to classes.

Case- and typo-tolerant: names are normalised (lower case, apostrophes dropped, letters and digits
only), then read left to right, taking at each word the longest run of words that is a lexicon
entry. So a combination product ("acetaminophen/hydrocodone", "Tylenol with codeine", "Advil PM")
matches every active ingredient, and the classes of all of them are reported. Words left over
that are not filler ("with", "mg", "XR") get one typing error of allowance when 5 or more letters
long. A name that matches nothing is *not checked* — never "safe".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MIN_FUZZY = 5
MAX_WORDS = 40  # no medicine name is longer; bounds the work for any input
MAX_RUN = 6  # the longest lexicon entry has fewer words
NO_DATA = "no_data"
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")
# Words that join or describe ingredients rather than name one; never typo-matched.
FILLER = frozenset(
    "with and plus or w the of in for to a an mg mcg ml g tablet tablets tab tabs capsule "
    "capsules cap caps pill pills xr er sr cr xl la ir dr ods odt ec patch spray nasal injection "
    "shot oral solution liquid syrup drops elixir gel cream extended release daily dose doses "
    "hcl hydrochloride strength extra maximum generic brand".split()
)


def normalise(name: str) -> str:
    """'  Xanax-XR 0.5mg ' -> 'xanax xr 0 5mg'; "St John's Wort" -> 'st johns wort'."""
    return " ".join(_NOT_WORD.split(_APOSTROPHES.sub("", name.casefold()))).strip()


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one insertion, deletion, substitution or swap of two
    neighbouring letters ("codiene" -> "codeine")."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        return a[i + 1 :] == b[i + 1 :] or swapped
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True)
class Match:
    """What a name matched: the entries (one per ingredient), their classes, typo allowance used.

    `entry` joins the matched entries with ' + ' ("tylenol + codeine"); `parts` lists them.
    `classes` is every ingredient's classes in order, without `no_data` when another class is
    known (an ingredient with no data does not dilute one that has a known risk).
    """

    typed: str
    entry: str
    classes: tuple[str, ...]
    fuzzy: bool = False
    parts: tuple[str, ...] = ()

    @property
    def is_combination(self) -> bool:
        return len(self.parts) > 1


def _exact_runs(words: list[str], lexicon: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """Longest lexicon entries read left to right, and the words no entry covered."""
    found: list[str] = []
    left: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_RUN), i, -1):
            run = " ".join(words[i:j])
            if run in lexicon:
                found.append(run)
                i = j
                break
        else:
            left.append(words[i])
            i += 1
    return found, left


_LONG_ENTRIES: dict[int, tuple[Mapping[str, object], list[str]]] = {}


def _long_entries(lexicon: Mapping[str, object]) -> list[str]:
    """The entries long enough for a typo allowance, sorted (computed once per lexicon)."""
    cached = _LONG_ENTRIES.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        cached = (lexicon, sorted(e for e in lexicon if len(e) >= MIN_FUZZY))
        _LONG_ENTRIES[id(lexicon)] = cached
    return cached[1]


def _near(candidate: str, entries: list[str]) -> str | None:
    """The first entry (in sorted order) one typing error away from a long enough candidate."""
    if len(candidate) < MIN_FUZZY:
        return None
    return next((e for e in entries if within_one_edit(candidate, e)), None)


def _typo_candidates(whole: str, left: list[str], any_exact: bool) -> list[str]:
    words = [w for w in left if w not in FILLER and w.isalpha()]
    if any_exact:
        return words
    runs = [" ".join(whole.split()[:n]) for n in range(len(whole.split()), 0, -1)]
    # a run with a one- or two-letter word ("vitamin q") is not typo-matched as a whole
    return [*(r for r in runs if " " in r and min(map(len, r.split())) >= 3), *words]


def lookup(name: str, lexicon: Mapping[str, tuple[str, ...]]) -> Match | None:
    """Every lexicon entry in a typed name (exact runs first, then one typo per word)."""
    whole = " ".join(normalise(name).split()[:MAX_WORDS])
    exact, left = _exact_runs(whole.split(), lexicon)
    found = list(exact)
    fuzzy = False
    entries = _long_entries(lexicon)
    for candidate in _typo_candidates(whole, left, bool(exact)):
        near = _near(candidate, entries)
        if near is not None:
            found.append(near)
            fuzzy = True
            if not exact:
                break
    if not found:
        return None
    parts = tuple(dict.fromkeys(found))
    classes = tuple(dict.fromkeys(c for part in parts for c in lexicon[part]))
    if len(classes) > 1 and NO_DATA in classes:
        classes = tuple(c for c in classes if c != NO_DATA)
    return Match(name, " + ".join(parts), classes, fuzzy, parts)


def _phrase_pattern(term: str) -> str:
    """A term as a whole-word pattern, written the way `normalise` writes text.

    The endings s, es, d, ed and ing are allowed after the last word ('faint' matches 'fainted');
    a trailing '*' allows any ending ('convuls*' matches 'convulsing', 'convulsions').
    """
    stem = term.endswith("*")
    core = re.escape(normalise(term.rstrip("*")))
    tail = "[a-z0-9]*" if stem else "(?:s|es|d|ed|ing)?"
    return rf"(?<![a-z0-9]){core}{tail}(?![a-z0-9])"


def mentions(text: str, terms: tuple[str, ...]) -> bool:
    """True when the text names any term as whole words ('fit' in 'had a fit', not 'benefit')."""
    written = normalise(text)
    return bool(written) and any(re.search(_phrase_pattern(t), written) for t in terms if t)
