"""Activity records: what Mitra did, including failures, kept as data."""

from __future__ import annotations

from mitra.domain.activity import Status
from mitra.services import activity
from mitra.services.context import Mitra


def test_records_are_kept_newest_first_with_status_reason_and_counts(mitra: Mitra) -> None:
    activity.record(mitra, "export.json", Status.OK, counts={"uses": 12})
    activity.record(mitra, "report.pdf", Status.FAILED, "the disk is full")
    records = activity.recent(mitra)
    assert [(r.action, r.status, r.detail, r.counts) for r in records] == [
        ("report.pdf", Status.FAILED, "the disk is full", {}),
        ("export.json", Status.OK, "", {"uses": 12}),
    ]
    assert records[0].at == mitra.now()
