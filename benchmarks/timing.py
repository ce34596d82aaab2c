"""Small timing helpers: best-of-N wall time, to damp noise on a shared machine."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(
    repeats: int, work: Callable[[], object], setup: Callable[[], object] | None = None
) -> float:
    """Fastest of `repeats` timed runs of `work`, each after an untimed `setup`."""
    best = float("inf")
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def report(name: str, subject: float, baseline: float, target: float, unit: str = "s") -> None:
    ratio = subject / baseline
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"{name}: {subject:.4f} {unit} vs baseline {baseline:.4f} {unit} -> "
        f"ratio {ratio:.2f}x (target <= {target}x) {verdict}"
    )
