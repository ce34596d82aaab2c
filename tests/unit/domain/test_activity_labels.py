"""Recorded actions have words a person reads; an unknown action shows its own name."""

from __future__ import annotations

import pytest

from mitra.domain.activity import action_label


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("research.donate", "Gave a de-identified copy to a research study"),
        ("research.withdraw", "Withdrew from a research study"),
        ("export.fhir", "Exported a FHIR bundle"),
        ("something.new", "something.new"),
    ],
)
def test_each_recorded_action_has_a_label(action: str, label: str) -> None:
    assert action_label(action) == label
