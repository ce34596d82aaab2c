"""Mitra's own k-anonymity, l-diversity and t-closeness against pyCANON on the same released table.

pyCANON pins versions that cannot live beside Mitra's lock (docs/research.md), so this builds a
throwaway virtual environment in a temporary folder, installs pyCANON there from the configured
package index, and runs it on the person-level table a freeze is judged on (the same rows, written
as CSV). Only under `make reliability` (`--full`): it downloads. It skips, saying why, when the
package index cannot be reached.

anonymeter is not cross-checked: its risks are success rates of simulated attacks on synthetic
data against a control set, not measures of one released table, so there is no same figure to
compare (docs/research.md).
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.integration.research.cohort import TODAY, donate_synthetic, write_study

from mitra.adapters.research import package
from mitra.domain.research import risk
from mitra.domain.research.study import Tier
from mitra.services import research

PYCANON = "pycanon==1.3.6"
QIS = research.QUASI_IDENTIFIERS[Tier.REGISTERED]
SENSITIVE = research.SENSITIVE
PROGRAM = """
import json, sys
import pandas as pd
from pycanon import anonymity
qis, sensitive = json.loads(sys.argv[2]), json.loads(sys.argv[3])
data = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
print(json.dumps({
    "k": int(anonymity.k_anonymity(data, qis)),
    "l": {s: int(anonymity.l_diversity(data, qis, [s])) for s in sensitive},
    "t": {s: float(anonymity.t_closeness(data, qis, [s])) for s in sensitive},
}))
"""


@pytest.fixture(scope="module")
def pycanon_python(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A Python with pyCANON, in a throwaway venv (never committed, removed with the tmp dir)."""
    if not request.config.getoption("--full", default=False):
        pytest.skip("downloads pyCANON into a throwaway venv: runs under `make reliability`")
    folder = tmp_path_factory.mktemp("pycanon")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=300)
    pip = [str(folder / "venv" / "bin" / "python"), "-m", "pip"]
    probe = subprocess.run(
        [*pip, "download", "--no-deps", "-q", "-d", str(folder / "probe"), PYCANON],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"the package index cannot be reached for {PYCANON}: {last}")
    subprocess.run([*pip, "install", "-q", PYCANON], check=True, timeout=900)
    return folder / "venv" / "bin" / "python"


def pycanon_figures(python: Path, rows: Sequence[dict[str, Any]], folder: Path) -> dict[str, Any]:
    path = folder / "released.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*QIS, *SENSITIVE])
        writer.writeheader()
        writer.writerows({k: "" if v is None else str(v) for k, v in r.items()} for r in rows)
    done = subprocess.run(
        [str(python), "-c", PROGRAM, str(path), json.dumps(list(QIS)), json.dumps(SENSITIVE)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def as_text(rows: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """The rows as pyCANON reads them back from CSV, so both sides see the same values."""
    return [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]


def assert_same(mine: risk.RiskReport, theirs: dict[str, Any]) -> None:
    assert mine.k == theirs["k"]
    assert mine.l_diversity == theirs["l"]
    for name in SENSITIVE:
        assert mine.t_closeness[name] == pytest.approx(theirs["t"][name], abs=1e-6)


def frozen_cohort(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A 40-person registered freeze: the person-level table it was judged on, and its report."""
    study = write_study(folder / "study", k=5)
    donate_synthetic(folder / "study", study, people=40, days=30)
    research.freeze(folder / "study", folder / "freeze", TODAY)
    native: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((folder / "study" / "packages").glob("*.zip")):
        for name, rows in package.read_package(path)[1].items():
            native.setdefault(name, []).extend(rows)
    report = json.loads((folder / "freeze" / "risk_report.json").read_text(encoding="utf-8"))
    return research.person_level(native, Tier.REGISTERED), report["risk"]


def uneven_table() -> list[dict[str, Any]]:
    """60 seeded rows in classes of uneven size, with skewed sensitive values."""
    draw = random.Random(7)
    return [
        {
            "year_of_birth": draw.choice([1970, 1980, 1980, 1990]),
            "sex": draw.choice(["female", "male", "female"]),
            "state": draw.choice(["US-FL", "US-TX"]),
            "main_form": draw.choice(["leaf_powder", "leaf_powder", "capsule", "seven_oh"]),
            "daily_grams_band": draw.choice(["<5", "5-10", "10+", "none"]),
        }
        for _ in range(60)
    ]


def test_a_released_freeze_has_the_same_k_l_and_t_as_pycanon_finds(
    pycanon_python: Path, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    rows, reported = frozen_cohort(tmp_path)
    mine = risk.assess(as_text(rows), QIS, SENSITIVE, 5)
    theirs = pycanon_figures(pycanon_python, rows, tmp_path)

    assert_same(mine, theirs)
    assert (reported["k"], reported["l_diversity"], reported["t_closeness"]) == (
        mine.k,
        mine.l_diversity,
        mine.t_closeness,
    )
    figure(f"risk cross-check, 40-person freeze: {PYCANON} k/l/t = {theirs}, Mitra the same")


def test_an_uneven_table_has_the_same_k_l_and_t_as_pycanon_finds(
    pycanon_python: Path, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    rows = uneven_table()
    mine = risk.assess(as_text(rows), QIS, SENSITIVE, 5)
    theirs = pycanon_figures(pycanon_python, rows, tmp_path)

    assert_same(mine, theirs)
    assert mine.k < 5  # the uneven table has small classes: the measures are not trivial here
    figure(f"risk cross-check, 60 uneven rows: {PYCANON} k/l/t = {theirs}, Mitra the same")
