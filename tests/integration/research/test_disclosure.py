"""pyCANON and anonymeter, installed beside Mitra's locked versions (requirements/overrides.txt),
give the figures their definitions predict: pyCANON's k, l and t equal Mitra's own on a freeze and
on a seeded uneven table; anonymeter finds a release identical to the original, with unique
quasi-identifiers, easy to single out, and a heavily generalised one hard; the freeze's
risk_report.json carries both, with intervals and library versions."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.integration.research.cohort import TODAY, donate_synthetic, write_study

from mitra.adapters.research import disclosure
from mitra.domain.research import risk
from mitra.domain.research.study import Tier
from mitra.services import research

QIS = research.QUASI_IDENTIFIERS[Tier.REGISTERED]
SENSITIVE = research.SENSITIVE
Z2 = 1.959964**2  # the 95 % probit, squared


def wilson(successes: int, n: int) -> float:
    """anonymeter's point estimate of a success rate (Wilson, 1927)."""
    return (successes + Z2 / 2) / (n + Z2)


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


def unique_people(n: int) -> list[dict[str, Any]]:
    """n people, each alone in their class (a year of birth of their own)."""
    draw = random.Random(3)
    return [
        {
            "year_of_birth": 1940 + i,
            "sex": ("female", "male")[i % 2],
            "state": ("US-FL", "US-TX", "US-CA")[i % 3],
            "main_form": draw.choice(["leaf_powder", "capsule", "extract"]),
            "daily_grams_band": draw.choice(["<5", "5-10", "10+"]),
        }
        for i in range(n)
    ]


def test_pycanon_and_mitra_find_the_same_k_l_and_t_on_an_uneven_table() -> None:
    rows = uneven_table()
    mine = risk.assess(rows, QIS, SENSITIVE, 5)
    theirs = disclosure.pycanon_figures(rows, QIS, SENSITIVE)
    # The figures recorded in docs/research.md from the throwaway-venv cross-check.
    assert (theirs.k, theirs.l_diversity) == (1, {"main_form": 1, "daily_grams_band": 1})
    assert theirs.t_closeness == {"main_form": 0.783333, "daily_grams_band": 0.75}
    assert (mine.k, mine.l_diversity, mine.t_closeness) == (
        theirs.k,
        theirs.l_diversity,
        theirs.t_closeness,
    )


def test_a_missing_quasi_identifier_is_a_class_of_its_own_for_pycanon_as_for_mitra() -> None:
    rows = [*uneven_table()[:10], *({**r, "year_of_birth": None} for r in uneven_table()[:2])]
    assert disclosure.pycanon_figures(rows, QIS, SENSITIVE).k == risk.k_anonymity(rows, QIS)


def test_a_freeze_whose_pycanon_figures_differ_from_mitras_raises() -> None:
    rows = uneven_table()
    report = risk.assess(rows, QIS, SENSITIVE, 1)
    assert research._pycanon_agrees(rows, QIS, report).k == 1
    with pytest.raises(RuntimeError, match="a bug, not a freeze"):
        research._pycanon_agrees(rows, QIS, replace(report, k=2))


@pytest.fixture(scope="module")
def forty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report of a 40-person registered freeze of synthetic donors (four classes of ten)."""
    folder = tmp_path_factory.mktemp("forty")
    study = write_study(folder / "study", k=5)
    donate_synthetic(folder / "study", study, people=40, days=14)
    research.freeze(folder / "study", folder / "freeze", TODAY)
    report: dict[str, Any] = json.loads((folder / "freeze" / "risk_report.json").read_text())
    return report


def test_a_forty_person_freeze_reports_pycanons_figures_equal_to_mitras(
    forty: dict[str, Any],
) -> None:
    assert forty["versions"] == {"pycanon": "1.3.6", "anonymeter": "1.1.0"}
    assert forty["pycanon"] == {
        "k": 10,
        "l_diversity": forty["risk"]["l_diversity"],
        "t_closeness": forty["risk"]["t_closeness"],
    }
    assert forty["risk"]["k"] == 10


def test_a_freeze_too_small_for_anonymeter_says_how_many_people_it_needs(
    forty: dict[str, Any],
) -> None:
    attacks = forty["anonymeter"]
    assert (attacks["status"], attacks["people"], attacks["needed"]) == ("too_small", 40, 42)
    assert attacks["reason"].startswith("40 people: anonymeter's attacks need at least 42")
    assert (attacks["singling_out"], attacks["linkability"], attacks["inference"]) == (
        None,
        None,
        {},
    )


def test_a_freeze_large_enough_carries_anonymeters_risks_with_intervals(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study", k=5)
    donate_synthetic(tmp_path / "study", study, people=44, days=14)
    frozen = research.freeze(tmp_path / "study", tmp_path / "freeze", TODAY)
    report = json.loads((tmp_path / "freeze" / "risk_report.json").read_text())
    attacks = report["anonymeter"]
    assert (attacks["status"], attacks["targets"], attacks["control"]) == ("measured", 22, 22)
    assert attacks["seed"] == disclosure.split_seed(study.id, TODAY)
    assert attacks["confidence_level"] == 0.95
    for found in (attacks["singling_out"], attacks["linkability"], *attacks["inference"].values()):
        assert found["ci"][0] <= found["risk"] <= found["ci"][1]
        assert found["n_attacks"] == 22
    assert set(attacks["inference"]) == set(SENSITIVE)
    assert json.loads(json.dumps(frozen.disclosure["anonymeter"])) == attacks


def test_the_control_half_is_fixed_by_the_study_and_the_freeze_date() -> None:
    seed = disclosure.split_seed("kratom-mood-2026", date(2026, 11, 25))
    assert seed == disclosure.split_seed("kratom-mood-2026", date(2026, 11, 25))
    assert seed != disclosure.split_seed("kratom-mood-2026", date(2026, 11, 26))
    split = disclosure.split_people(45, seed)
    assert (len(split.targets), len(split.control)) == (23, 22)
    assert sorted(split.targets + split.control) == list(range(45))


def test_a_release_identical_to_the_original_with_unique_people_is_easy_to_single_out() -> None:
    rows = unique_people(60)
    attacks = disclosure.anonymeter_attacks(rows, rows, QIS, SENSITIVE, seed=11)
    found = attacks.singling_out
    assert found is not None and attacks.targets == 30
    # Released = original: every predicate that isolates one released row isolates the same
    # person among the targets, so all 30 attacks succeed: Wilson's estimate of 30 of 30.
    assert found.attack_rate == pytest.approx(wilson(30, 30), abs=1e-6)
    # On the control half the same predicates isolate someone with probability n w (1 - w)^(n-1),
    # at most 1/e (Cohen & Nissim 2020), so the risk (a - c) / (1 - c) is about
    # (0.943 - 0.368) / 0.632 = 0.91 in expectation; 0.5 leaves room for the control's spread.
    assert found.risk > 0.5
    # Knowing a person's quasi-identifiers, their released row is their own: every guess right.
    for secret in SENSITIVE:
        assert attacks.inference[secret].attack_rate == pytest.approx(wilson(30, 30), abs=1e-6)
        assert attacks.inference[secret].risk > 0.5


def test_a_heavily_generalised_release_is_hard_to_single_out() -> None:
    rows = unique_people(60)
    general = [{**r, "year_of_birth": 1900, "sex": "female", "state": "US-FL"} for r in rows]
    same = disclosure.anonymeter_attacks(rows, rows, QIS, SENSITIVE, seed=11).singling_out
    attacks = disclosure.anonymeter_attacks(rows, general, QIS, SENSITIVE, seed=11)
    found = attacks.singling_out
    assert found is not None and same is not None
    # One class on the quasi-identifiers: a predicate isolates at most one of the nine sensitive
    # combinations, which holds several people among the targets as among the controls.
    assert found.risk < 0.2
    assert found.ci[1] < same.ci[0]
    assert any("could generate only" in said for said in found.warnings)
