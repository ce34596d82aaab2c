"""`make bench`: run every benchmark and print its ratio to a baseline from the same run."""

from __future__ import annotations

from benchmarks import cold_start, ingest


def main() -> None:
    print("Mitra benchmarks (ratios against baselines measured in this same run)")
    for bench in (ingest.run, cold_start.run):
        bench()


main()
