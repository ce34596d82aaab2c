"""Least squares with Newey-West (HAC) standard errors, shared by trends and the n-of-1 analysis.

Daily series are autocorrelated (a bad week is several bad days), which makes ordinary standard
errors too small. `hac_ols` uses Bartlett weights with the Newey-West (1994) bandwidth
floor(4 * (n/100)^(2/9)), lags counted in calendar days (a missing day contributes nothing), and
the small-sample factor n/(n-k). `interval` gives the two-sided 95% interval from the t
distribution with the fit's degrees of freedom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit  # type: ignore[import-untyped]  # scipy ships no stubs

LEVEL = 0.95


@dataclass(frozen=True)
class Fit:
    coef: tuple[float, ...]
    se: tuple[float, ...]
    df: int
    lags: int


def bandwidth(n: int) -> int:
    """Newey-West (1994) rule of thumb: floor(4 * (n/100)^(2/9))."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def hac_ols(y: np.ndarray, x: np.ndarray, day: np.ndarray, lags: int) -> Fit:
    """OLS of `y` on `x` with Newey-West standard errors; `day` gives each row's calendar day
    (integers, increasing), so lag l pairs rows exactly l days apart."""
    n, k = x.shape
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ (x.T @ y)
    scores = np.zeros((int(day[-1] - day[0]) + 1, k))
    scores[day - day[0]] = x * (y - x @ coef)[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        gamma = scores[lag:].T @ scores[:-lag]
        meat += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    cov = xtx_inv @ meat @ xtx_inv * (n / (n - k))
    return Fit(tuple(coef.tolist()), tuple(np.sqrt(np.diag(cov)).tolist()), n - k, lags)


def interval(fit: Fit, column: int) -> tuple[float, float, float]:
    """(estimate, low, high) of one coefficient, with its 95% t interval."""
    value, se = fit.coef[column], fit.se[column]
    half = float(stdtrit(fit.df, 0.5 + LEVEL / 2)) * se
    return value, value - half, value + half
