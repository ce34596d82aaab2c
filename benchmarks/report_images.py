"""Page one of the clinician report for a seeded demo journal, as a 60 dpi PNG in docs/images
(`make report-images`). The demo is seeded, so the picture changes only when the report does
(and with the date it is made on)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "MITRA_DATA_DIR": folder, "MITRA_TIMEZONE": "Europe/London"}
        mitra = [sys.executable, "-m", "mitra"]
        subprocess.run([*mitra, "demo", "--days", "120", "--seed", "7"], env=env, check=True)
        pdf = Path(folder) / "report.pdf"
        subprocess.run([*mitra, "report", "-o", str(pdf)], env=env, check=True)
        target = OUT / "report-page-1"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(target),
            ],
            check=True,
        )
    print(f"Wrote {target}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
