"""`mitra demo` answers questionnaires on their schedules: seeded, scored like real answers, never
raising a crisis, loosely following the planted daily ratings, so a newcomer's first report has
scores in it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import NOW

from mitra.adapters.knowledge.instruments import load_instruments
from mitra.domain.demo import DemoDay, DemoKnobs, demo_responses, generate
from mitra.domain.instruments import score
from mitra.services import questionnaires
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo


def knobs(days: int = 120, seed: int = 1, pattern: str = "steady") -> DemoKnobs:
    return DemoKnobs(days=days, seed=seed, pattern=pattern, tz="Europe/London")


def test_a_120_day_demo_has_each_instrument_on_its_schedule(mitra: Mitra) -> None:
    result = seed_demo(mitra, days=120, seed=1)
    stored = questionnaires.list_responses(mitra, limit=1000)
    counts = Counter(r.instrument_id for r in stored)
    # every 14 days: 120 // 14 = 8; every 30 days while use is regular: 120 // 30 = 4, but the
    # fourth month ends today and is answered this evening, after NOW (noon)
    assert counts == {"phq9": 8, "gad7": 8, "sows": 3, "kud_dsm5": 3}
    assert result.responses == 22
    assert all(r.score.complete for r in stored)
    days = sorted(
        {r.taken_at.astimezone(ZoneInfo(r.tz)).date() for r in stored if r.instrument_id == "phq9"}
    )
    assert {b - a for a, b in zip(days, days[1:], strict=False)} == {timedelta(days=14)}
    assert max(r.taken_at for r in stored) <= NOW


def test_the_same_seed_gives_the_same_answers_and_another_seed_does_not() -> None:
    instruments = load_instruments()
    first = generate(knobs(seed=4), NOW, instruments).responses
    assert first == generate(knobs(seed=4), NOW, instruments).responses
    other = generate(knobs(seed=5), NOW, instruments).responses
    assert [r.score.answers for r in first] != [r.score.answers for r in other]


def test_answers_leave_the_rest_of_the_journal_as_the_seed_made_it() -> None:
    with_answers = generate(knobs(seed=2), NOW, load_instruments())
    without = generate(knobs(seed=2), NOW)
    assert without.responses == []
    assert with_answers.uses == without.uses
    assert with_answers.checkins == without.checkins


def test_demo_answers_are_scored_by_the_instrument_files_like_real_answers() -> None:
    instruments = load_instruments()
    for response in generate(knobs(seed=3), NOW, instruments).responses:
        instrument = instruments[response.instrument_id]
        assert response.score == score(instrument, response.score.answers)


def test_phq9_question_9_is_never_above_0_so_a_demo_raises_no_crisis() -> None:
    instruments = load_instruments()
    phq9 = [
        r
        for seed in range(1, 6)
        for pattern in ("steady", "escalating", "tapering")
        for r in generate(knobs(seed=seed, pattern=pattern), NOW, instruments).responses
        if r.instrument_id == "phq9"
    ]
    assert len(phq9) == 5 * 3 * 8
    assert {r.score.answers["phq9.q9"] for r in phq9} == {0}
    assert not any(f.status == "raised" for r in phq9 for f in r.score.flags)


def test_answers_follow_the_planted_mood_and_anxiety() -> None:
    """Over 2 years, fortnights with a lower mean mood have higher PHQ-9 totals, and with a higher
    mean anxiety higher GAD-7 totals (rank correlation of at least 0.6)."""
    journal = generate(knobs(days=730, seed=6), NOW, load_instruments())
    zone = ZoneInfo("Europe/London")

    def fortnight_mean(at: datetime, name: str) -> float:
        since = at - timedelta(days=14)
        values: list[int] = [
            getattr(c, name)
            for c in journal.checkins
            if since < c.recorded_at.astimezone(zone) <= at + timedelta(hours=2)
        ]
        return sum(values) / len(values)

    for instrument_id, rating, sign in (("phq9", "mood", -1), ("gad7", "anxiety", 1)):
        found = [r for r in journal.responses if r.instrument_id == instrument_id]
        assert len(found) == 52
        totals = [float(r.score.total or 0) for r in found]
        means = [sign * fortnight_mean(r.taken_at, rating) for r in found]
        assert spearman(totals, means) >= 0.6


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        found = [0.0] * len(values)
        for rank, i in enumerate(order):
            found[i] = float(rank)
        return found

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return float(cov / (vx * vy) ** 0.5)


@pytest.mark.parametrize(("use_days", "expected"), [(14, 0), (15, 1)])
def test_withdrawal_scale_and_checklist_need_use_on_half_the_days(
    use_days: int, expected: int
) -> None:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    days = [
        DemoDay(start + timedelta(days=i), 3.0 if i < use_days else 0.0, None) for i in range(30)
    ]
    found = Counter(r.instrument_id for r in demo_responses(days, load_instruments(), knobs()))
    assert found == +Counter({"phq9": 2, "gad7": 2, "sows": expected, "kud_dsm5": expected})


def test_a_newcomers_first_report_of_the_demo_has_its_questionnaires(
    cli: Any, tmp_path: Path
) -> None:
    done = cli("demo", "--days", "120")
    assert done.exit_code == 0, done.output
    assert "questionnaire responses" in done.stdout
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date()
    start = today - timedelta(days=119)
    out = tmp_path / "report.html"
    args = ("--from", start.isoformat(), "--to", today.isoformat(), "--format", "html")
    done = cli("report", *args, "-o", str(out))
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    assert "No questionnaires in this period" not in html
    assert "PHQ-9" in html and "GAD-7" in html
