"""#16: one rule for the user's time zone, and something that writes it (service, CLI, settings
page); every day Mitra shows follows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW, ZONE

from mitra.errors import InvalidInputError
from mitra.services import entries, history, timezone
from mitra.services.context import Mitra


def test_a_saved_zone_wins_over_the_setting_and_forgetting_it_brings_the_setting_back(
    mitra: Mitra,
) -> None:
    assert timezone.my_zone(mitra) == timezone.Zone(ZONE, "setting")
    assert timezone.set_zone(mitra, "Asia/Tokyo") == timezone.Zone("Asia/Tokyo", "journal")
    assert mitra.timezone() == "Asia/Tokyo"
    assert timezone.set_zone(mitra, "") == timezone.Zone(ZONE, "setting")


def test_an_unknown_zone_is_refused_and_nothing_is_saved(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError) as refused:
        timezone.set_zone(mitra, "Mars/Olympus")
    assert refused.value.problems[0].field == "timezone"
    assert mitra.timezone() == ZONE


def test_the_days_of_the_history_follow_the_saved_zone(mitra: Mitra) -> None:
    late = NOW.replace(hour=20) - timedelta(days=1)  # 20:00 UTC on 24 Nov
    entries.save(mitra, "checkins", {"mood": 5, "recorded_at": late})
    assert [d.day for d in history.history(mitra, days=3)] == [date(2026, 11, 24)]
    timezone.set_zone(mitra, "Asia/Tokyo")  # 05:00 on 25 Nov there
    assert [d.day for d in history.history(mitra, days=3)] == [date(2026, 11, 25)]
    stored = entries.save(mitra, "checkins", {"mood": 6}).entry
    assert stored.tz == "Asia/Tokyo"  # new entries carry the zone read in their own transaction


def test_mitra_timezone_shows_and_saves_the_zone(cli: Callable[..., Any], mitra: Mitra) -> None:
    shown = cli("timezone")
    assert shown.stdout.strip() == f"{ZONE} (from MITRA_TIMEZONE)"
    saved = cli("timezone", "America/New_York")
    assert saved.stdout.strip() == "America/New_York (saved in the journal)"
    assert mitra.timezone() == "America/New_York"
    refused = cli("timezone", "Nowhere/Land")
    assert refused.exit_code == 2 and "unknown time zone 'Nowhere/Land'" in refused.stderr


def test_the_settings_page_saves_the_zone(client: TestClient, mitra: Mitra) -> None:
    page = client.get("/settings")
    assert 'name="timezone"' in page.text and f'value="{ZONE}"' in page.text
    bad = client.post("/settings/timezone", data={"timezone": "Atlantis/Deep"})
    assert bad.status_code == 422 and "unknown time zone" in bad.text
    assert mitra.timezone() == ZONE
    done = client.post("/settings/timezone", data={"timezone": "Europe/Paris"})
    assert done.status_code == 200 and "your days now follow Europe/Paris" in done.text
    assert mitra.timezone() == "Europe/Paris"
