"""The disclosure-risk libraries at the edge: pyCANON's k-anonymity, l-diversity and t-closeness,
and anonymeter's singling-out, linkability and inference attacks, on a person-level table.

Both are the optional `research` extra, imported inside the functions that use them (never by
`mitra --help`). Their stale version pins are lifted in requirements/overrides.txt; the tests in
tests/integration/research/test_disclosure.py prove they run on Mitra's versions.

anonymeter (Giomi et al., "A Unified Framework for Quantifying Privacy Risk in Synthetic Data",
PoPETs 2023, DOI 10.56553/popets-2023-0055; README of github.com/statice/anonymeter) was made for
synthetic data: an attacker uses the released table ("syn") to make guesses about the records it
was made from ("ori"); the same guesses against a "control" set of people from the same population
who are *not* in the release measure what the release teaches about anyone (its utility). The
risk is the excess, (main - control) / (1 - control), with a Wilson interval. For a de-identified
release (rows of real people, not synthetic) Mitra splits the people at random, with a seed from
the study id and the freeze date, into targets and a held-out control half: `original` is the
targets' rows as Mitra holds them, `released` the same people's rows as released, `control` the
held-out people's rows. The risk is then that of releasing the targets; half the people released
is a smaller table than the freeze, so the figure leans high (more people are alone in a smaller
table), never low.
"""

from __future__ import annotations

import hashlib
import logging
import random
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Row = Mapping[str, Any]

CONFIDENCE = 0.95
# Worst-case half-width of anonymeter's 95 % Wilson interval with n attacks is
# 1.96 / (2 sqrt(n + 1.96^2)) = 0.98 / sqrt(n + 3.84); it is at most 0.2 from n = 21 on. Fewer
# targets (or fewer control people) than that give intervals too wide to read, so no figure.
MIN_ATTACKS = 21
# anonymeter's own default; more attacks only narrow the interval, at a cost in time that grows
# with the table (the nearest-neighbour search is n_attacks x rows).
MAX_ATTACKS = 500
NOT_GIVEN = "(not given)"


def library_versions() -> dict[str, str]:
    return {"pycanon": version("pycanon"), "anonymeter": version("anonymeter")}


@dataclass(frozen=True)
class CanonFigures:
    """pyCANON's figures on the declared quasi-identifiers and sensitive attributes."""

    k: int
    l_diversity: dict[str, int]
    t_closeness: dict[str, float]


def as_text(rows: Sequence[Row], columns: Sequence[str]) -> list[dict[str, str]]:
    """Every value as text (a missing one as "(not given)"): pandas would drop a missing
    quasi-identifier from its groups, and mixed numbers and text would not sort. Classes are the
    same either way, so k, l and t (on text sensitive values) are unchanged."""
    return [{c: NOT_GIVEN if r[c] is None else str(r[c]) for c in columns} for r in rows]


def pycanon_figures(
    rows: Sequence[Row], qis: Sequence[str], sensitive: Sequence[str]
) -> CanonFigures:
    """pyCANON's k_anonymity, l_diversity and t_closeness, one sensitive attribute at a time."""
    import pandas as pd
    from pycanon import anonymity

    data = pd.DataFrame(as_text(rows, [*qis, *sensitive]), columns=[*qis, *sensitive])
    return CanonFigures(
        k=int(anonymity.k_anonymity(data, list(qis))),
        l_diversity={s: int(anonymity.l_diversity(data, list(qis), [s])) for s in sensitive},
        t_closeness={
            s: round(float(anonymity.t_closeness(data, list(qis), [s])), 6) for s in sensitive
        },
    )


@dataclass(frozen=True)
class AttackRisk:
    """One anonymeter attack: the risk and its interval, the three success rates it comes from,
    and anything anonymeter warned about while running it (e.g. "cannot be trusted")."""

    risk: float
    ci: tuple[float, float]
    attack_rate: float
    control_rate: float
    baseline_rate: float
    n_attacks: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Split:
    """Which people are targets (released, attacked) and which are held out as control."""

    seed: int
    targets: tuple[int, ...]
    control: tuple[int, ...]


def split_seed(study_id: str, frozen_on: date) -> int:
    """A seed fixed by the study and the freeze date, so a freeze is reproducible."""
    digest = hashlib.sha256(f"{study_id}:{frozen_on.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def split_people(people: int, seed: int) -> Split:
    """Half the people (rounded down) held out as control, at random with `seed`."""
    order = list(range(people))
    random.Random(seed).shuffle(order)
    held = people // 2
    return Split(seed, tuple(sorted(order[held:])), tuple(sorted(order[:held])))


def people_needed() -> int:
    return 2 * MIN_ATTACKS


@dataclass(frozen=True)
class Attacks:
    status: Literal["measured", "too_small"]
    reason: str
    people: int
    needed: int
    seed: int
    targets: int = 0
    control: int = 0
    singling_out: AttackRisk | None = None
    linkability: AttackRisk | None = None
    inference: dict[str, AttackRisk] = field(default_factory=dict)


def anonymeter_attacks(
    original: Sequence[Row],
    released: Sequence[Row],
    qis: Sequence[str],
    sensitive: Sequence[str],
    seed: int,
) -> Attacks:
    """anonymeter's three attacks on `released` (one row per person, in the same order as
    `original`), with a held-out control half drawn with `seed`; "too_small", saying how many
    people are needed, when either half has fewer than MIN_ATTACKS people."""
    people = len(released)
    if len(original) != people:
        raise ValueError("original and released must hold the same people, in the same order")
    needed = people_needed()
    if people < needed:
        return Attacks(
            "too_small",
            f"{people} people: anonymeter's attacks need at least {needed} (half of them held "
            f"out as control, {MIN_ATTACKS} a side for a 95 % interval no wider than +/- 0.2)",
            people,
            needed,
            seed,
        )
    split = split_people(people, seed)
    columns = [*qis, *sensitive]
    ori = _frame([original[i] for i in split.targets], columns)
    # The released rows in a shuffled order: anonymeter's random-guess baseline takes the released
    # row at the target's own index, which for rows of real people would be their own row.
    shuffled = list(split.targets)
    random.Random(seed + 1).shuffle(shuffled)
    syn = _frame([released[i] for i in shuffled], columns)
    control = _frame([original[i] for i in split.control], columns)
    n = min(MAX_ATTACKS, len(split.targets), len(split.control))
    return Attacks(
        "measured",
        f"{people} people: {len(split.targets)} released and attacked, {len(split.control)} "
        f"held out as control; {n} attacks each",
        people,
        needed,
        seed,
        len(split.targets),
        len(split.control),
        singling_out=singling_out(ori, syn, control, n, seed),
        linkability=linkability(ori, syn, control, n, (list(qis), list(sensitive)), seed),
        inference={s: inference(ori, syn, control, n, list(qis), s, seed) for s in sensitive},
    )


def _frame(rows: Sequence[Row], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([{c: r[c] for c in columns} for r in rows], columns=list(columns))


class _Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


@contextmanager
def _recorded(seed: int) -> Iterator[list[str]]:
    """Run anonymeter with numpy's global generator seeded (pandas' `sample` inside anonymeter
    draws from it) and restored afterwards; its warnings and warning logs are kept as data."""
    import numpy as np

    said: list[str] = []
    handler = _Said()
    log = logging.getLogger("anonymeter")
    state = np.random.get_state()
    np.random.seed(seed % 2**32)
    log.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield said
    finally:
        log.removeHandler(handler)
        np.random.set_state(state)
    said.extend(handler.said)
    said.extend(str(w.message) for w in caught)


def _risk(evaluator: Any, n: int) -> AttackRisk:
    """The risk and rates of an evaluated attack (its warnings are added by `_with`)."""
    results = evaluator.results(confidence_level=CONFIDENCE)
    risk = results.risk()
    return AttackRisk(
        risk=round(float(risk.value), 6),
        ci=(round(float(risk.ci[0]), 6), round(float(risk.ci[1]), 6)),
        attack_rate=round(float(results.attack_rate.value), 6),
        control_rate=round(float(results.control_rate.value), 6),
        baseline_rate=round(float(results.baseline_rate.value), 6),
        n_attacks=n,
        warnings=(),
    )


def singling_out(
    ori: pd.DataFrame, syn: pd.DataFrame, control: pd.DataFrame, n: int, seed: int
) -> AttackRisk:
    """Multivariate singling out: predicates on up to three columns built from released rows
    that isolate one row there, tried on the targets and on the control people."""
    from anonymeter.evaluators import SinglingOutEvaluator

    with _recorded(seed) as said:
        evaluator = SinglingOutEvaluator(
            ori=ori,
            syn=syn,
            control=control,
            n_attacks=n,
            n_cols=min(3, len(ori.columns)),
            max_attempts=100 * n,
            seed=seed % 2**32,
        )
        evaluator.evaluate(mode="multivariate")
        found = _risk(evaluator, n)
    return _with(found, said)


def linkability(
    ori: pd.DataFrame,
    syn: pd.DataFrame,
    control: pd.DataFrame,
    n: int,
    aux: tuple[list[str], list[str]],
    seed: int,
) -> AttackRisk:
    """Linking a person known by one set of columns to the same person known by the other,
    through their nearest released row on each set (anonymeter's n_neighbors = 1)."""
    from anonymeter.evaluators import LinkabilityEvaluator

    with _recorded(seed) as said:
        evaluator = LinkabilityEvaluator(
            ori=ori, syn=syn, control=control, aux_cols=aux, n_attacks=n, n_neighbors=1
        )
        evaluator.evaluate(n_jobs=1)
        found = _risk(evaluator, n)
    return _with(found, said)


def inference(
    ori: pd.DataFrame,
    syn: pd.DataFrame,
    control: pd.DataFrame,
    n: int,
    aux: list[str],
    secret: str,
    seed: int,
) -> AttackRisk:
    """Guessing a person's `secret` from the released row nearest to their quasi-identifiers."""
    from anonymeter.evaluators import InferenceEvaluator

    with _recorded(seed) as said:
        evaluator = InferenceEvaluator(
            ori=ori, syn=syn, control=control, aux_cols=aux, secret=secret, n_attacks=n
        )
        evaluator.evaluate(n_jobs=1)
        found = _risk(evaluator, n)
    return _with(found, said)


def _with(found: AttackRisk, said: list[str]) -> AttackRisk:
    """The risk with every warning anonymeter gave, including those raised while computing it."""
    return AttackRisk(**{**found.__dict__, "warnings": tuple(dict.fromkeys(said))})
