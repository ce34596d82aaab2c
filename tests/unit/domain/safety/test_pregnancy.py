"""pregnancy.kratom: only the person's own answer raises it, and it counts the days of use."""

from __future__ import annotations

import pytest

from mitra.domain.safety import Pregnancy, Rules, Severity
from mitra.errors import InvalidInputError

from .helpers import RULES, ago, run, snap, use


def pregnancy(alerts: list) -> list:  # type: ignore[type-arg]
    return [a for a in alerts if a.rule_id == "pregnancy.kratom"]


def test_pregnant_with_recent_use_is_a_caution_counting_the_days() -> None:
    uses = (use(ago(1)), use(ago(1, hours=2)), use(ago(3)))
    [alert] = pregnancy(run(snap(pregnancy=Pregnancy.PREGNANT, uses=uses)))
    assert alert.severity is Severity.CAUTION
    assert alert.because == (
        "You said in your profile that you are pregnant. You logged kratom use on 2 of the last "
        "30 days."
    )
    assert alert.key == "pregnancy.kratom:pregnant"
    assert alert.sources == ("eldridge-2018-nas", "murthy-2019-nas", "nellhaus-2018-nas")


def test_breastfeeding_without_logged_use_still_raises_it() -> None:
    [alert] = pregnancy(run(snap(pregnancy=Pregnancy.BREASTFEEDING)))
    assert alert.because == "You said in your profile that you are breastfeeding."


@pytest.mark.parametrize("answer", [Pregnancy.NEITHER, None])
def test_neither_or_no_answer_raises_nothing(answer: Pregnancy | None) -> None:
    assert pregnancy(run(snap(pregnancy=answer, uses=(use(ago(1)),)))) == []


def test_without_its_rule_data_nothing_is_raised() -> None:
    rules = Rules(
        {k: v for k, v in RULES.specs.items() if k != "pregnancy.kratom"},
        RULES.classes,
        RULES.lexicon,
    )
    assert pregnancy(run(snap(pregnancy=Pregnancy.PREGNANT), rules)) == []


def test_the_answer_vocabulary() -> None:
    assert [p.value for p in Pregnancy] == ["pregnant", "breastfeeding", "neither"]
    assert Pregnancy.from_code("neither") is Pregnancy.NEITHER
    with pytest.raises(InvalidInputError, match="not one of"):
        Pregnancy.from_code("maybe")
