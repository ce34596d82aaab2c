"""Console factories and printing helpers; a Console is made per invocation, never at import."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

from mitra.interfaces.serialize import to_jsonable


def stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    stdout().print_json(json.dumps(to_jsonable(value), ensure_ascii=False), indent=2)
