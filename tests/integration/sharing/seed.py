"""A small, varied journal for the sharing tests: demo data plus questionnaires and notes."""

from __future__ import annotations

from datetime import timedelta

from mitra.domain import journal as j
from mitra.services import journal, questionnaires
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo

PHQ9 = {f"phq9.q{i}": v for i, v in enumerate([1, 2, 1, 0, 1, 2, 1, 0, 0], start=1)}
GAD7_PART = {f"gad7.q{i}": 1 for i in range(1, 6)}


def seed(mitra: Mitra, days: int = 30) -> None:
    seed_demo(mitra, days=days, seed=3, questionnaires=False)  # its own questionnaires below
    questionnaires.onboard(mitra, conditions="anxiety,depression", country="GB")
    now = mitra.now()
    questionnaires.administer(mitra, "phq9", PHQ9, taken_at=now - timedelta(days=20))
    later = {**PHQ9, "phq9.q2": 0, "phq9.q6": 0}
    questionnaires.administer(mitra, "phq9", later, taken_at=now - timedelta(days=2))
    questionnaires.administer(mitra, "gad7", GAD7_PART, taken_at=now - timedelta(days=1))
    journal.record_checkin(
        mitra,
        j.CheckIn(
            now - timedelta(hours=3), "Europe/London", mood=6, note='Ünïcødé, "quoted"\nline'
        ),
    )
