"""Which parts of the journal the safety rules read.

A single write evaluates only the rule families that read the part of the journal it changed
(`READS` in each family's module; services.registry: each kind's `safety_part`). These tests keep
every `READS` equal to what the module's code reads, so a rule that starts to read a new part makes
them fail until its family declares it. Writing a daily check-in evaluates nothing because no rule
reads check-ins.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mitra.domain.safety
from mitra.adapters.knowledge.safety import load_rules
from mitra.domain.safety import FAMILIES, JOURNAL_PARTS, families_reading
from mitra.domain.safety.rules import Family

SAFETY = Path(mitra.domain.safety.__file__).parent
RULES = SAFETY / "rules"
# Snapshot methods and the journal part each reads.
METHODS = {"product": "products"}


def snapshot_fields_read(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        METHODS.get(node.attr, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"snapshot", "s", "snap"}
    }


def test_no_safety_rule_reads_daily_checkins() -> None:
    read = set().union(*(snapshot_fields_read(p) for p in SAFETY.rglob("*.py")))
    assert "uses" in read  # the scan sees the rules' reads (so this test can fail)
    assert "checkins" not in read
    assert families_reading({"checkins"}) == ()


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_each_family_declares_exactly_the_journal_parts_its_code_reads(family: Family) -> None:
    found = snapshot_fields_read(RULES / f"{family.name}.py") & JOURNAL_PARTS
    assert family.reads == found


def test_the_rule_modules_read_the_snapshot_only_through_their_families() -> None:
    """Every module in rules/ is a family (so no helper module reads parts undeclared)."""
    modules = {p.stem for p in RULES.glob("*.py")} - {"__init__"}
    assert modules == {f.name for f in FAMILIES}


def test_every_shipped_rule_belongs_to_exactly_one_family() -> None:
    for rule_id in load_rules().specs:
        owners = [f.name for f in FAMILIES if f.owns(rule_id)]
        assert len(owners) == 1, (rule_id, owners)


def test_a_use_evaluates_the_families_that_read_uses_and_nothing_else() -> None:
    assert [f.name for f in families_reading({"uses"})] == [
        "overdose",
        "withdrawal",
        "dependence",
        "product",
        "pregnancy",
        "legal",
    ]
    assert [f.name for f in families_reading({"vitals"})] == ["red_flag"]
