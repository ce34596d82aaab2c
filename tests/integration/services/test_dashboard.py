"""The dashboard service on a real store: a fresh journal says 'not enough data'; a demo journal
with a planted effect gives every section, and the charts are deterministic."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mitra.errors import InvalidInputError
from mitra.services import entries
from mitra.services import questionnaires as q
from mitra.services.context import Mitra
from mitra.services.dashboard import build_dashboard
from mitra.services.demo import seed_demo
from mitra.services.insight_charts import dashboard_charts


def test_a_fresh_journal_is_honestly_empty(mitra: Mitra) -> None:
    d = build_dashboard(mitra, 4)
    assert d.empty and d.use.note == "No kratom use logged in this period."
    assert len(d.days) == 28 and d.end.isoformat() == "2026-11-24"  # the last whole day
    assert all(f.status == "not_enough_data" and f.same_day is None for f in d.nof1)
    assert d.nof1[0].missing[0].startswith("28 more days with a rating for mood")
    assert d.questionnaires == () and d.effects == () and d.vitals == ()
    charts = dashboard_charts(d)
    assert charts.vitals is None and charts.questionnaires == ()


def test_only_4_12_or_52_weeks_are_offered(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="must be one of 4, 12, 52, got 5"):
        build_dashboard(mitra, 5)


def test_a_demo_year_recovers_the_planted_effect_and_fills_every_section(mitra: Mitra) -> None:
    seed_demo(mitra, days=365, anxiety_effect_per_g=-0.5, questionnaires=False)
    now = mitra.now()
    for days_ago, answer in ((60, 2), (30, 1), (2, 0)):
        answers = {f"phq9.q{i}": answer for i in range(1, 10)}
        q.administer(mitra, "phq9", answers, taken_at=now - timedelta(days=days_ago))
    d = build_dashboard(mitra, 12)
    assert not d.empty and len(d.days) == 84 and d.use.summary.days_of_use >= 80
    anxiety = d.nof1[1]
    assert anxiety.outcome == "anxiety" and anxiety.same_day is not None
    assert anxiety.same_day.low < -0.5 < anxiety.same_day.high
    assert anxiety.same_day.sentence.endswith("not proof that kratom caused it.")
    timeline = d.questionnaires[0]
    assert [p.total for p in timeline.points] == [18, 9, 0]
    assert timeline.since_first is not None and "fell by 18 points to 0" in timeline.since_first
    assert d.vitals and d.effects


def test_charts_are_identical_bytes_for_the_same_journal(mitra: Mitra) -> None:
    seed_demo(mitra, days=60)
    first = dashboard_charts(build_dashboard(mitra, 4))
    again = dashboard_charts(build_dashboard(mitra, 4))
    assert first == again
    assert first.grams.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    title = 'id="chart-grams-title">Daily amount (g leaf), 2026-10-28 to 2026-11-24</title>'
    assert title in first.grams.svg
    assert len(first.grams.table.rows) == 28 and first.grams.table.headers == ("Date", "g leaf")


def test_open_safety_alerts_appear_on_the_dashboard(mitra: Mitra) -> None:
    assert build_dashboard(mitra, 4).alerts == ()
    entries.save(mitra, "medications", {"name": "Oxycodone"})
    alerts = build_dashboard(mitra, 4).alerts
    assert [a.alert.rule_id for a in alerts] == ["interaction.opioids"]
