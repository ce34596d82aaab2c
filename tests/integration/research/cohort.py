"""A synthetic study folder: donors from the demo generator, packaged as `mitra research donate`
writes them, with quasi-identifiers in classes of a known size."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from tests.studies import declaration

from mitra.adapters.knowledge.instruments import load_instruments
from mitra.adapters.research import package
from mitra.domain.demo import DemoKnobs
from mitra.domain.research import deidentify as di
from mitra.domain.research.study import Study, study_from_mapping
from mitra.domain.research.synthetic import synthetic_journal

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def write_study(folder: Path, **overrides: Any) -> Study:
    (folder / "packages").mkdir(parents=True, exist_ok=True)
    (folder / "withdrawals").mkdir(exist_ok=True)
    raw = declaration(**overrides)
    (folder / "study.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    return study_from_mapping(raw)


def donor(number: int) -> di.Donor:
    """Four classes of quasi-identifiers, people spread over them evenly."""
    return di.Donor(1980 + number % 2, ("female", "male")[number // 2 % 2], "US-FL")


def donate_synthetic(folder: Path, study: Study, people: int, days: int = 70) -> None:
    instruments = load_instruments()
    patterns = ("steady", "escalating", "tapering")
    for number in range(people):
        knobs = DemoKnobs(days=days, seed=100 + number, pattern=patterns[number % 3])
        journal = synthetic_journal(knobs, NOW, instruments)
        participant = f"p{number:04d}"
        tables = di.deidentify(
            study,
            journal,
            donor(number),
            person_id=participant,
            shift_weeks=di.draw_shift((number * 0.37) % 1),
            today=TODAY,
        )
        manifest = {
            "format": package.PACKAGE_FORMAT,
            "format_version": 1,
            "study_id": study.id,
            "consent_version": study.consent_version,
            "tier": study.tier.value,
            "participant": participant,
            "donated_in": 2026,
        }
        data = package.package_bytes(manifest, tables)
        package.write_package(folder / "packages" / f"{participant}.zip", data)
