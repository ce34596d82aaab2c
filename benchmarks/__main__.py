"""`make bench`: run every benchmark and print its ratio to a baseline from the same run."""

from __future__ import annotations

from benchmarks import (
    api_inprocess,
    cold_start,
    encryption,
    ingest,
    insights,
    journal_filter,
    load,
    pages,
    research,
    sharing,
)


def main() -> None:
    print("Mitra benchmarks (ratios against baselines measured in this same run)")
    for bench in (
        ingest.run,
        cold_start.run,
        insights.run,
        pages.run,
        encryption.run,
        sharing.run,
        api_inprocess.run,
        journal_filter.run,
        load.run,
        research.run,
    ):
        bench()


main()
