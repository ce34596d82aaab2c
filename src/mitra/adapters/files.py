"""Files that hold journal data: created readable and writable by this user only (mode 0600).

Every export, report, calendar, backup and rewritten journal is written through here, so the mode
never depends on the process's umask or on the folder it lands in. An existing file is truncated
and its mode tightened to 0600 before anything is written into it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from mitra.errors import ConflictError

PRIVATE = 0o600


def _open(path: Path, flags: int) -> int:
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE)
    try:
        os.fchmod(fd, PRIVATE)  # O_CREAT leaves an existing file's mode as it was
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def open_private(path: Path) -> Iterator[BinaryIO]:
    """`path` opened for writing (created or truncated), mode 0600."""
    with os.fdopen(_open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "wb") as handle:
        yield handle


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as handle:
        handle.write(data)


def write_private_text(path: Path, text: str) -> None:
    write_private(path, text.encode("utf-8"))


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600; ConflictError if it already exists."""
    try:
        os.close(_open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        raise ConflictError(f"{path} already exists; choose a new file name") from None


def make_private(path: Path) -> None:
    """Take group and other permissions off an existing file (a journal made by an older version
    or another tool); the owner's own bits are left as they are (a read-only file stays so)."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        path.chmod(mode & 0o700)
