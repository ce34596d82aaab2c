"""Cold start of the CLI versus `python -c pass`, both as fresh processes: `mitra --help`, and
`mitra log use 3 g` writing to a journal (the issue's targets are in CPU time, user + system of
the child process; wall time is printed beside it). Target: <= 8x in CPU time."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import report

TARGET = 8.0


def _cpu_and_wall(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _best(
    args: list[str], env: dict[str, str] | None = None, repeats: int = 7
) -> tuple[float, float]:
    runs = [_cpu_and_wall(args, env) for _ in range(repeats)]
    return min(cpu for cpu, _ in runs), min(wall for _, wall in runs)


def run() -> None:
    python_cpu, python_wall = _best(["-c", "pass"])
    help_cpu, help_wall = _best(["-m", "mitra", "--help"])
    report("`mitra --help` cold start vs `python -c pass`, CPU", help_cpu, python_cpu, TARGET)
    report("`mitra --help` cold start vs `python -c pass`, wall", help_wall, python_wall, TARGET)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "MITRA_DATA_DIR": str(Path(tmp) / "mitra"),
            "MITRA_TIMEZONE": "Europe/London",
        }
        setup = ["-m", "mitra", "products", "add", "Red Bali"]
        subprocess.run([sys.executable, *setup], check=True, capture_output=True, env=env)
        use = ["-m", "mitra", "log", "use", "3", "g", "--product", "Red Bali"]
        use_cpu, use_wall = _best(use, env, repeats=5)
    report("`mitra log use 3 g` cold start vs `python -c pass`, CPU", use_cpu, python_cpu, TARGET)
    report(
        "`mitra log use 3 g` cold start vs `python -c pass`, wall", use_wall, python_wall, TARGET
    )
