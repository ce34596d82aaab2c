"""Console factories and printing helpers; a Console is made per invocation, never at import."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType
from typing import Any

from rich.console import Console


def stdout() -> Console:
    """Markup is off: user text such as a product named `Red [/] Bali` is printed as it is (Rich
    would read `[/]` as markup and crash). Styled lines pass markup=True and `escape()` any user
    text in them."""
    return Console(highlight=False, soft_wrap=True, markup=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def print_json(value: Any) -> None:
    from mitra.interfaces.serialize import to_jsonable  # pydantic: not on the `--help` path

    stdout().print_json(json.dumps(to_jsonable(value), ensure_ascii=False), indent=2)


def lazy_module(name: str) -> ModuleType:
    """`name`, imported on first attribute access (keeps `mitra --help` from loading the store)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
