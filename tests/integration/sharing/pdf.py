"""Reading a PDF back as text with pdftotext (poppler), page by page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"Pages:\s+(\d+)", info.stdout)
    assert found is not None, info.stdout
    return int(found.group(1))


def page_text(path: Path, page: int = 1, *, layout: bool = True) -> str:
    """One page's text with runs of white space made single spaces."""
    args = ["pdftotext", "-f", str(page), "-l", str(page), *(["-layout"] if layout else [])]
    done = subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return " ".join(done.stdout.split())


def first_page(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return page_text(path)
