"""#16: incremental evaluation leaves an alert that only the passing of time resolves until a
write of its kind. Reading the alerts runs a full evaluation when the last one is older than a
day, in one transaction that records its time; so, with no new write, a seizure logged 13 days
before is still shown 12 hours after the last full evaluation (it is 13.5 days old) and resolved
once a day has passed (it is then 14.5 days old: out of the rule's 14-day window)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from tests.conftest import NOW

from mitra.domain.journal import AdverseEffect, Effect
from mitra.interfaces.web.app import create_app
from mitra.services import dashboard, entries, safety
from mitra.services.context import Mitra
from mitra.settings import Settings

SEIZURE = "red_flag.seizure"


def _open(mitra: Mitra) -> list[str]:
    return [s.alert.rule_id for s in safety.list_alerts(mitra)]


def _evaluated(mitra: Mitra) -> str | None:
    with mitra.store.read() as conn:
        from mitra.adapters.store import repositories as repo

        return repo.get_preference(conn, safety.EVALUATED_KEY)


def test_a_time_only_change_shows_after_a_day_without_a_write(mitra: Mitra) -> None:
    effect = AdverseEffect(NOW - timedelta(days=13), "UTC", Effect.OTHER, 6, other_text="seizure")
    saved = entries.add(mitra, entries.kind_named("effects"), effect)
    assert [s.alert.rule_id for s in saved.alerts] == [SEIZURE]
    assert _evaluated(mitra) is None  # the write evaluated only its own families

    assert _open(mitra) == [SEIZURE]  # the first read runs the full evaluation ...
    assert _evaluated(mitra) == NOW.isoformat()  # ... and records when

    mitra.clock = lambda: NOW + timedelta(hours=12)  # evidence now 13.5 days old
    assert _open(mitra) == [SEIZURE]
    assert _evaluated(mitra) == NOW.isoformat()  # within a day: not run again

    mitra.clock = lambda: NOW + timedelta(days=1, hours=12)  # 14.5 days old, no new write
    assert _open(mitra) == []
    assert _evaluated(mitra) == (NOW + timedelta(days=1, hours=12)).isoformat()
    closed = safety.list_alerts(mitra, include_closed=True)
    assert [(s.alert.rule_id, s.resolved_at) for s in closed] == [
        (SEIZURE, NOW + timedelta(days=1, hours=12))
    ]


def test_the_dashboard_reads_current_alerts(mitra: Mitra) -> None:
    effect = AdverseEffect(NOW - timedelta(days=13), "UTC", Effect.OTHER, 6, other_text="seizure")
    entries.add(mitra, entries.kind_named("effects"), effect)
    assert [s.alert.rule_id for s in dashboard.build_dashboard(mitra, weeks=4).alerts] == [SEIZURE]
    mitra.clock = lambda: NOW + timedelta(days=2)
    assert dashboard.build_dashboard(mitra, weeks=4).alerts == ()


def test_the_web_app_runs_a_stale_evaluation_when_it_starts(
    settings: Settings, mitra: Mitra
) -> None:
    effect = AdverseEffect(NOW - timedelta(days=13), "UTC", Effect.OTHER, 6, other_text="seizure")
    entries.add(mitra, entries.kind_named("effects"), effect)
    later = datetime(2026, 12, 1, 9, tzinfo=NOW.tzinfo)
    mitra.clock = lambda: later
    with TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000"):
        assert _evaluated(mitra) == later.isoformat()
    with mitra.store.read() as conn:
        assert [s.alert.rule_id for s in safety.open_alerts_in(conn)] == []
