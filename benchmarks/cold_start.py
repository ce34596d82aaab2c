"""`mitra --help` cold start versus `python -c pass`, both as fresh processes. Target: <= 5x."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.timing import best_of, report


def _run(args: list[str]) -> None:
    subprocess.run([sys.executable, *args], check=True, capture_output=True)


def run() -> None:
    mitra = best_of(7, lambda: _run(["-m", "mitra", "--help"]))
    python = best_of(7, lambda: _run(["-c", "pass"]))
    report("`mitra --help` cold start vs `python -c pass`", mitra, python, target=5.0)
