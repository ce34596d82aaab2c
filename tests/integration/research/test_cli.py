"""`mitra research donate` shows what leaves and asks first; no answer, no package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.integration.research.cohort import write_study

from mitra.services.context import Mitra
from mitra.services.demo import seed_demo


def test_donate_shows_each_field_and_writes_nothing_without_a_yes(
    cli: Callable[..., Any], mitra: Mitra, tmp_path: Path
) -> None:
    seed_demo(mitra, days=20, seed=3)
    write_study(tmp_path / "study", tier="aggregate", kinds=["uses"])
    args = ["research", "donate", "--study", str(tmp_path / "study" / "study.yaml")]
    refused = cli(*args, "-o", str(tmp_path / "no.zip"), input="n\n")
    assert refused.exit_code == 1
    assert "  persons.age: age in whole years; over 89 as 90+" in refused.output
    assert "  weekly_uses.year: the year only" in refused.output
    assert "uses.day" not in refused.output.replace("weekly_uses", "")
    assert "Nothing was written." in refused.output
    assert not (tmp_path / "no.zip").exists()

    agreed = cli(*args, "-o", str(tmp_path / "pkg.zip"), "--yes", "--birth-year", "1990")
    assert agreed.exit_code == 0, agreed.output
    assert (tmp_path / "pkg.zip").exists()
    digest = (tmp_path / "pkg.zip.sha256").read_text().split()[0]
    assert f"SHA-256 {digest}" in agreed.output

    withdrawn = cli("research", "withdraw", "kratom-mood-2026", "-o", str(tmp_path / "w.json"))
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "withdraws from kratom-mood-2026" in withdrawn.output
