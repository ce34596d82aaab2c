"""n-of-1 association: the HAC regression against known answers, the minimum-data rule, the
sentences, and the withdrawal caveat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from mitra.domain.analytics import nof1, regression
from mitra.domain.analytics.daily import CheckinDay, DayUse
from mitra.domain.journal import CHECKIN_SCALES, AdverseEffect, Effect

START = date(2026, 1, 1)


def days(
    grams: list[float | None], anxiety: list[float | None]
) -> tuple[list[DayUse], list[CheckinDay]]:
    uses, checkins = [], []
    for n, (g, a) in enumerate(zip(grams, anxiety, strict=True)):
        day = START + timedelta(days=n)
        uses.append(DayUse(day, 1, g, None, 8.0))
        ratings: dict[str, float | None] = dict.fromkeys(CHECKIN_SCALES)
        ratings["anxiety"] = a
        checkins.append(CheckinDay(day, ratings))
    return uses, checkins


def test_the_bandwidth_follows_the_newey_west_rule() -> None:
    assert [regression.bandwidth(n) for n in (28, 100, 365)] == [3, 4, 5]


def test_hac_ols_recovers_exact_coefficients_and_zero_errors_on_a_perfect_fit() -> None:
    x = np.column_stack((np.ones(6), np.arange(6.0)))
    fit = regression.hac_ols(2 + 3 * np.arange(6.0), x, np.arange(6), 1)
    assert fit.coef == pytest.approx((2.0, 3.0)) and fit.se == pytest.approx((0.0, 0.0), abs=1e-9)
    assert fit.df == 4 and fit.lags == 1


def test_hac_standard_errors_match_a_hand_computed_sandwich_with_a_gap() -> None:
    x = np.column_stack((np.ones(4), np.array([0.0, 1.0, 3.0, 4.0])))
    y = np.array([1.0, 2.0, 2.0, 5.0])
    fit = regression.hac_ols(y, x, np.array([0, 1, 3, 4]), 1)
    bread = np.linalg.inv(x.T @ x)
    u = y - x @ bread @ x.T @ y
    s = [x[i] * u[i] for i in range(4)]
    meat = sum(np.outer(v, v) for v in s)
    pairs = np.outer(s[1], s[0]) + np.outer(s[3], s[2])  # only rows one calendar day apart
    meat = meat + 0.5 * (pairs + pairs.T)
    expected = np.sqrt(np.diag(bread @ meat @ bread * 4 / 2))
    assert fit.se == pytest.approx(tuple(expected))


def test_sentences_give_direction_interval_and_the_not_proof_words() -> None:
    assert nof1.sentence("anxiety", "same day", -0.4, -0.7, -0.1) == (
        "On days you used 1 g more, anxiety was 0.4 points lower (95% CI 0.1 to 0.7 points "
        "lower); this is an association in your data, not proof that kratom caused it."
    )
    assert nof1.sentence("mood", "previous day", 0.3, 0.1, 0.5) == (
        "After days you used 1 g more, mood the next day was 0.3 points higher (95% CI 0.1 to "
        "0.5 points higher); this is an association in your data, not proof that kratom caused it."
    )
    assert "about the same" in nof1.sentence("pain", "same day", 0.01, -0.2, 0.3)
    assert "from 0.2 lower to 0.3 higher, which includes no difference" in nof1.sentence(
        "pain", "same day", 0.01, -0.2, 0.3
    )


def test_a_planted_effect_is_estimated_with_an_interval_around_it() -> None:
    rng = np.random.default_rng(5)
    grams = rng.normal(4, 1.5, 120).clip(0)
    anxiety = 6 - 0.5 * grams + rng.normal(0, 0.5, 120)
    uses, checkins = days(list(grams), list(anxiety))
    found = {f.outcome: f for f in nof1.associations(uses, checkins)}
    estimate = found["anxiety"].same_day
    assert estimate is not None and found["anxiety"].status == "estimated"
    assert estimate.low < -0.5 < estimate.high and estimate.per_gram == pytest.approx(-0.5, abs=0.1)
    assert estimate.excludes_zero and found["anxiety"].days == 119
    assert found["mood"].status == "not_enough_data"


def test_too_few_days_say_how_many_more_are_needed_and_give_no_number() -> None:
    uses, checkins = days([1.0, 2.0] * 5, [3.0, 4.0] * 5)
    finding = nof1.associations(uses, checkins)[1]
    assert finding.same_day is None and finding.status == "not_enough_data"
    assert finding.missing == (
        "19 more days with a rating for anxiety and a known amount of kratom that day and the "
        "day before (you have 9; 28 are needed)",
    )


def test_constant_use_and_constant_ratings_are_named_as_missing_variation() -> None:
    uses, checkins = days([3.0] * 40, [5.0] * 40)
    missing = nof1.associations(uses, checkins)[1].missing
    assert len(missing) == 2
    assert missing[0].startswith("days with different amounts of kratom")
    assert missing[1] == "variation in your anxiety ratings: they were all the same"


def test_use_that_only_follows_the_time_trend_cannot_be_separated_from_it() -> None:
    uses, checkins = days([0.1 * n for n in range(40)], [float(n % 3) for n in range(40)])
    missing = nof1.associations(uses, checkins)[1].missing
    assert missing == (
        "daily amounts that vary other than in a straight line over time (as logged, the "
        "amount cannot be told apart from the time trend)",
    )


def test_series_must_cover_the_same_days() -> None:
    uses, checkins = days([1.0, 2.0], [3.0, 4.0])
    with pytest.raises(ValueError, match="same days"):
        nof1.associations(uses[1:] + uses[:1], checkins)


def test_withdrawal_signs_come_from_sows_and_withdrawal_type_effects() -> None:
    at = datetime(2026, 1, 2, tzinfo=UTC)
    effects = [
        AdverseEffect(at, "UTC", Effect.SWEATING, 3),
        AdverseEffect(at, "UTC", Effect.SWEATING, 4),
        AdverseEffect(at, "UTC", Effect.NAUSEA, 4),
        AdverseEffect(at, "UTC", Effect.INSOMNIA, 2),
    ]
    signs = nof1.withdrawal_signs(effects, [0, 6, 3])
    assert signs == (
        "SOWS withdrawal symptoms reported 2 time(s)",
        "insomnia recorded 1 time(s)",
        "sweating recorded 2 time(s)",
    )
    assert nof1.withdrawal_signs([], [0]) == ()
    assert nof1.withdrawal_caveat(()) is None
    caveat = nof1.withdrawal_caveat(signs[:1])
    assert caveat == (
        "Your journal shows possible withdrawal (SOWS withdrawal symptoms reported 2 time(s)). "
        "Feeling better on days with more kratom can be relief of withdrawal rather than help "
        "with the condition itself (evidence: risk.withdrawal)."
    )


def test_the_caveat_sits_next_to_every_estimate() -> None:
    rng = np.random.default_rng(1)
    grams = list(rng.normal(4, 1.5, 60))
    uses, checkins = days(grams, list(rng.normal(5, 1, 60)))
    finding = nof1.associations(uses, checkins, ["sweating recorded 1 time(s)"])[1]
    assert finding.caveats[0].startswith("Your journal shows possible withdrawal (sweating")
