"""n-of-1 association: do days with more kratom go with different check-in ratings?

For each outcome (mood, anxiety, pain, sleep, craving), one regression over the days that have a
rating and a known amount on that day and the day before:

    rating_t = a + c * week_t + b0 * grams_t + b1 * grams_(t-1) + error_t

fitted by ordinary least squares. The linear time trend keeps a slow drift in both use and ratings
from posing as an association. Daily ratings are autocorrelated (a bad week is several bad days),
so the standard errors are Newey-West (HAC, Bartlett kernel) with the Newey-West (1994) bandwidth
floor(4 * (n/100)^(2/9)), lags counted in calendar days (a missing day contributes nothing), and
the small-sample factor n/(n-k). The 95% interval uses the t distribution with n-k degrees of
freedom. `tests/unit/domain/analytics/test_nof1_calibration.py` checks, on seeded synthetic
journals, that the interval covers a planted effect about 95% of the time.

Below the minimum-data rule (`MIN_DAYS` complete days, and daily amounts that vary) no number is
given: the finding says what is missing instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mitra.domain.analytics.daily import CheckinDay, DayUse
from mitra.domain.analytics.regression import Fit, bandwidth, hac_ols, interval
from mitra.domain.instruments.model import Number
from mitra.domain.journal import CHECKIN_SCALES, AdverseEffect, Effect

MIN_DAYS = 28
MIN_GRAMS_SD = 0.25
NOT_PROOF = "this is an association in your data, not proof that kratom caused it"
METHOD = (
    "Least-squares regression of the daily rating on grams of leaf that day and the day before, "
    "with a linear time trend; Newey-West (HAC) standard errors for autocorrelation; 95% "
    "interval from the t distribution."
)
# Withdrawal-type effects: sweating (SOWS item 3, "I'm perspiring") and trouble sleeping (listed
# among kratom withdrawal symptoms in the evidence entry risk.withdrawal).
WITHDRAWAL_EFFECTS = frozenset({Effect.SWEATING, Effect.INSOMNIA})
WITHDRAWAL_EVIDENCE = "risk.withdrawal"
Lag = Literal["same day", "previous day"]


@dataclass(frozen=True)
class Estimate:
    lag: Lag
    per_gram: float
    low: float
    high: float
    se: float
    sentence: str

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class Finding:
    outcome: str
    status: Literal["estimated", "not_enough_data"]
    days: int
    same_day: Estimate | None
    previous_day: Estimate | None
    missing: tuple[str, ...]
    caveats: tuple[str, ...]
    method: str = METHOD


def _amount_words(value: float) -> str:
    if abs(value) < 0.05:
        return "about the same (less than 0.05 points different)"
    return f"{abs(value):.1f} points {'higher' if value > 0 else 'lower'}"


def _interval_words(low: float, high: float) -> str:
    if low > 0:
        return f"{low:.1f} to {high:.1f} points higher"
    if high < 0:
        return f"{-high:.1f} to {-low:.1f} points lower"
    return f"from {-low:.1f} lower to {high:.1f} higher, which includes no difference"


def sentence(outcome: str, lag: Lag, per_gram: float, low: float, high: float) -> str:
    when = (
        f"On days you used 1 g more, {outcome} was"
        if lag == "same day"
        else f"After days you used 1 g more, {outcome} the next day was"
    )
    return f"{when} {_amount_words(per_gram)} (95% CI {_interval_words(low, high)}); {NOT_PROOF}."


def _estimate(outcome: str, lag: Lag, fit: Fit, column: int) -> Estimate:
    value, low, high = interval(fit, column)
    return Estimate(lag, value, low, high, fit.se[column], sentence(outcome, lag, value, low, high))


def _missing(outcome: str, y: np.ndarray, grams: np.ndarray, rows: int) -> list[str]:
    missing = []
    if rows < MIN_DAYS:
        missing.append(
            f"{MIN_DAYS - rows} more days with a rating for {outcome} and a known amount of kratom "
            f"that day and the day before (you have {rows}; {MIN_DAYS} are needed)"
        )
    if rows >= 2 and float(np.std(grams)) < MIN_GRAMS_SD:
        missing.append(
            f"days with different amounts of kratom: your daily amount hardly varied "
            f"(standard deviation under {MIN_GRAMS_SD} g), so there is nothing to compare"
        )
    if rows >= 2 and float(np.ptp(y)) == 0:
        missing.append(f"variation in your {outcome} ratings: they were all the same")
    return missing


def withdrawal_signs(
    effects: Iterable[AdverseEffect], sows_totals: Iterable[Number]
) -> tuple[str, ...]:
    """What in the journal suggests withdrawal: SOWS answered with symptoms, or sweating or
    trouble sleeping recorded as adverse effects."""
    signs = []
    totals = [t for t in sows_totals if t > 0]
    if totals:
        signs.append(f"SOWS withdrawal symptoms reported {len(totals)} time(s)")
    counts: dict[str, int] = {}
    for effect in effects:
        if effect.effect in WITHDRAWAL_EFFECTS:
            counts[effect.label.lower()] = counts.get(effect.label.lower(), 0) + 1
    signs += [f"{name} recorded {count} time(s)" for name, count in sorted(counts.items())]
    return tuple(signs)


def withdrawal_caveat(signs: Sequence[str]) -> str | None:
    if not signs:
        return None
    return (
        f"Your journal shows possible withdrawal ({'; '.join(signs)}). Feeling better on days with "
        "more kratom can be relief of withdrawal rather than help with the condition itself "
        f"(evidence: {WITHDRAWAL_EVIDENCE})."
    )


def series(uses: Sequence[DayUse], checkins: Sequence[CheckinDay]) -> dict[str, np.ndarray]:
    """Aligned daily arrays (NaN = unknown): grams, grams the day before, and each outcome."""
    if [d.day for d in uses] != [c.day for c in checkins]:
        raise ValueError("use and check-in series must cover the same days")
    grams = np.array([np.nan if (g := d.grams_if_only_leaf) is None else g for d in uses])
    previous = np.concatenate(([np.nan], grams[:-1]))
    out = {"grams": grams, "previous": previous}
    for name in CHECKIN_SCALES:
        out[name] = np.array(
            [np.nan if (v := c.ratings[name]) is None else v for c in checkins], dtype=float
        )
    return out


def fit_outcome(
    outcome: str, y: np.ndarray, grams: np.ndarray, previous: np.ndarray, caveats: Sequence[str]
) -> Finding:
    """One outcome's finding from aligned daily arrays (NaN = unknown)."""
    keep = ~(np.isnan(y) | np.isnan(grams) | np.isnan(previous))
    day = np.flatnonzero(keep)
    rows = len(day)
    missing = _missing(outcome, y[keep], grams[keep], rows)
    if not missing:
        x = np.column_stack((np.ones(rows), day / 7.0, grams[keep], previous[keep]))
        if np.linalg.matrix_rank(x) < x.shape[1]:
            missing.append(
                "daily amounts that vary other than in a straight line over time "
                "(as logged, the amount cannot be told apart from the time trend)"
            )
    if missing:
        return Finding(outcome, "not_enough_data", rows, None, None, tuple(missing), ())
    fit = hac_ols(y[keep], x, day, bandwidth(rows))
    same = _estimate(outcome, "same day", fit, 2)
    before = _estimate(outcome, "previous day", fit, 3)
    return Finding(outcome, "estimated", rows, same, before, (), tuple(caveats))


def associations(
    uses: Sequence[DayUse], checkins: Sequence[CheckinDay], withdrawal: Sequence[str] = ()
) -> list[Finding]:
    """A finding per outcome, from day-aligned use and check-in series."""
    data = series(uses, checkins)
    caveat = withdrawal_caveat(withdrawal)
    caveats = [caveat] if caveat else []
    return [
        fit_outcome(name, data[name], data["grams"], data["previous"], caveats)
        for name in CHECKIN_SCALES
    ]
