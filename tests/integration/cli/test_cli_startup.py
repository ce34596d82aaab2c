"""`mitra --help` stays quick: it must not load the store, the web app, the analytics or the
research extra (duckdb, pyarrow, pyspark)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from typer.testing import CliRunner
from mitra.interfaces.cli.app import make_app
result = CliRunner().invoke(make_app(), ["--help"])
assert result.exit_code == 0, result.output
heavy = ["sqlalchemy", "fastapi", "alembic", "numpy", "weasyprint", "mitra.services.context",
         "duckdb", "pyarrow", "pyspark"]
print(",".join(name for name in heavy if name in sys.modules))
"""


def test_help_loads_no_storage_web_or_analytics_modules() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
