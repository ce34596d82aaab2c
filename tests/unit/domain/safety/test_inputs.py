"""Which parts of the journal the safety rules read.

Writing a daily check-in skips safety evaluation (services.entries: CHECKINS.affects_safety is
False) because no rule reads check-ins. If a rule starts to, this test fails and that flag must
change with it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mitra.domain.safety

SAFETY = Path(mitra.domain.safety.__file__).parent


def snapshot_fields_read(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"snapshot", "s", "snap"}
    }


def test_no_safety_rule_reads_daily_checkins() -> None:
    read = set().union(*(snapshot_fields_read(p) for p in SAFETY.rglob("*.py")))
    assert "uses" in read  # the scan sees the rules' reads (so this test can fail)
    assert "checkins" not in read
