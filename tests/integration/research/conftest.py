"""One local Spark session for the whole test run: starting Spark's JVM is most of a Spark test's
time, so every test that needs Spark shares this one (stopped at the end of the run)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mitra.adapters.research import columnar


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    with columnar.spark_session() as session:
        yield session
