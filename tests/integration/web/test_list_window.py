"""The /effects and /vitals pages (and every kind with a time) show a window of days, not the
whole journal (#16: they grew with the data): an entry outside the default 90 days is not on
the page, and following its "Earlier" link finds it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW

from mitra.domain.journal import AdverseEffect, Effect, Vital
from mitra.services import entries
from mitra.services.context import Mitra


def _earlier_link(page: str) -> str:
    found = re.search(r'<a href="([^"]+)">Earlier: the (\d+) days before</a>', page)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("kind", "old", "recent"),
    [
        (
            "effects",
            AdverseEffect(NOW - timedelta(days=100), "UTC", Effect.OTHER, 4, other_text="Old ache"),
            AdverseEffect(NOW - timedelta(days=3), "UTC", Effect.OTHER, 2, other_text="New itch"),
        ),
        (
            "vitals",
            Vital(NOW - timedelta(days=100), "UTC", heart_rate=111, note="Old pulse"),
            Vital(NOW - timedelta(days=3), "UTC", heart_rate=66, note="New pulse"),
        ),
    ],
)
def test_an_entry_outside_the_window_is_reached_through_earlier(
    client: TestClient, mitra: Mitra, kind: str, old: object, recent: object
) -> None:
    old_label = "Old ache" if kind == "effects" else "Old pulse"
    new_label = "New itch" if kind == "effects" else "New pulse"
    target = entries.kind_named(kind)
    entries.add(mitra, target, old)
    entries.add(mitra, target, recent)

    page = client.get(f"/{kind}").text
    assert new_label in page
    assert old_label not in page
    assert "90 days ending on Wed 25 Nov 2026." in page
    earlier = _earlier_link(page)
    assert earlier == f"/{kind}?days=90&until=2026-08-27"

    before = client.get(earlier).text
    assert old_label in before
    assert new_label not in before
    assert "90 days ending on Thu 27 Aug 2026." in before
    assert 'name="until" min="1990-01-01" value="2026-08-27"' in before
    assert _earlier_link(before) == f"/{kind}?days=90&until=2026-05-29"


def test_a_wider_window_and_a_bad_date(client: TestClient, mitra: Mitra) -> None:
    entries.add(
        mitra,
        entries.kind_named("effects"),
        AdverseEffect(NOW - timedelta(days=100), "UTC", Effect.OTHER, 4, other_text="Old ache"),
    )
    assert "Old ache" in client.get("/effects", params={"days": 120}).text
    assert "Nothing in these days." in client.get("/effects", params={"days": 7}).text
    refused = client.get("/effects", params={"until": "June 1995"})
    assert refused.status_code == 422
    assert "&#39;June 1995&#39; is not a date YYYY-MM-DD" in refused.text
    assert client.get("/effects", params={"days": 0}).status_code == 422


def test_products_are_not_windowed(client: TestClient) -> None:
    page = client.get("/products").text
    assert "Earlier:" not in page
    assert "None yet." in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/vitals", "Vital signs"),
        ("/medications", "Medications and substances"),
        ("/effects", "Adverse effects"),
        ("/products", "Products"),
    ],
)
def test_each_list_page_is_headed_with_its_plural(
    client: TestClient, path: str, heading: str
) -> None:
    assert f"<h1>{heading}</h1>" in client.get(path).text
