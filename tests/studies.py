"""A study declaration for tests (unit, integration and web alike): study.yaml's fields, with
overrides."""

from __future__ import annotations

from typing import Any

import yaml


def declaration(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "kratom-mood-2026",
        "title": "Kratom and mood",
        "purpose": "How daily amounts relate to mood, withdrawal and dependence.",
        "ethics_reference": "IRB-2026-0042",
        "kinds": ["uses", "questionnaires", "checkins"],
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "tier": "registered",
        "consent_version": "1.0",
        "consent_text": "I agree to give the fields listed, in the form shown.",
        "min_cell": 5,
        "k": 5,
        **overrides,
    }


def study_yaml(**overrides: Any) -> str:
    """The declaration as the researchers' study.yaml text."""
    return yaml.safe_dump(declaration(**overrides))
