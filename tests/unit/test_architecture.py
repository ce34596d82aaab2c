"""The domain is pure: no module under src/mitra/domain imports an outer layer or an I/O framework.

import-linter enforces the same contracts in `make test`; this test says it in plain Python, with
the offending file, line and import in its failure message, and shows on small examples what it
catches.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import mitra.domain

DOMAIN = Path(mitra.domain.__file__).parent
OUTER_LAYERS = ("mitra.services", "mitra.adapters", "mitra.interfaces")
FRAMEWORKS: tuple[str, ...] = ("sqlalchemy", "fastapi", "starlette", "typer", "rich", "yaml")
FRAMEWORKS += ("jinja2", "alembic", "psycopg", "uvicorn", "httpx")
# Inside mitra, the domain may use only itself and the typed errors (STYLE.md §5.2).
ALLOWED_MITRA = ("mitra.domain", "mitra.errors")


@dataclass(frozen=True)
class Violation:
    where: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line} imports {self.imported}"


def module_name(path: Path, root: Path) -> str:
    """src/mitra/domain/instruments/scoring.py -> mitra.domain.instruments.scoring."""
    parts = path.relative_to(root.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the source, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if node.module is None:  # `from . import x`: x is a module of the anchor
                names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            else:
                names.append((node.lineno, base))
    return names


def is_forbidden(name: str) -> bool:
    def within(prefixes: tuple[str, ...]) -> bool:
        return any(name == p or name.startswith(f"{p}.") for p in prefixes)

    if within(OUTER_LAYERS) or within(FRAMEWORKS):
        return True
    return (name == "mitra" or name.startswith("mitra.")) and not within(ALLOWED_MITRA)


def violations(source: str, module: str, *, is_package: bool = False) -> list[Violation]:
    return [
        Violation(module, line, name)
        for line, name in imported_names(source, module, is_package=is_package)
        if is_forbidden(name)
    ]


DOMAIN_FILES = sorted(DOMAIN.rglob("*.py"))


def test_the_domain_folder_is_where_this_test_looks() -> None:
    assert DOMAIN.parts[-2:] == ("mitra", "domain")
    assert DOMAIN / "journal.py" in DOMAIN_FILES
    assert DOMAIN / "instruments" / "scoring.py" in DOMAIN_FILES


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_no_outer_layer_and_no_framework(path: Path) -> None:
    module = module_name(path, DOMAIN)

    found = violations(
        path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
    )

    assert [str(v) for v in found] == []


# --- what the checker catches, on small examples ------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sqlalchemy as sa", ["mitra.domain.journal:1 imports sqlalchemy"]),
        (
            "from sqlalchemy.engine import Connection",
            ["mitra.domain.journal:1 imports sqlalchemy.engine"],
        ),
        ("from fastapi import HTTPException", ["mitra.domain.journal:1 imports fastapi"]),
        ("import typer", ["mitra.domain.journal:1 imports typer"]),
        ("from rich.console import Console", ["mitra.domain.journal:1 imports rich.console"]),
        ("import yaml", ["mitra.domain.journal:1 imports yaml"]),
        ("from jinja2 import Template", ["mitra.domain.journal:1 imports jinja2"]),
        ("from mitra.services import journal", ["mitra.domain.journal:1 imports mitra.services"]),
        (
            "from mitra.adapters.store import repositories",
            ["mitra.domain.journal:1 imports mitra.adapters.store"],
        ),
        (
            "import mitra.interfaces.forms",
            ["mitra.domain.journal:1 imports mitra.interfaces.forms"],
        ),
        ("from mitra.settings import Settings", ["mitra.domain.journal:1 imports mitra.settings"]),
        ("from ..services import journal", ["mitra.domain.journal:1 imports mitra.services"]),
        ("from .. import adapters", ["mitra.domain.journal:1 imports mitra.adapters"]),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sqlalchemy",
            ["mitra.domain.journal:3 imports sqlalchemy"],
        ),
        (
            "def later():\n    from mitra.adapters import store",
            ["mitra.domain.journal:2 imports mitra.adapters"],
        ),
    ],
)
def test_the_checker_names_file_line_and_import_of_each_forbidden_import(
    source: str, expected: list[str]
) -> None:
    assert [str(v) for v in violations(source, "mitra.domain.journal")] == expected


@pytest.mark.parametrize(
    "source",
    [
        "from __future__ import annotations",
        "from dataclasses import dataclass\nfrom datetime import datetime\nimport zoneinfo",
        "from pydantic import BaseModel",
        "from mitra.errors import InvalidInputError",
        "from mitra.domain.products import Product",
        "from .products import Product",
        "from .model import Score",
        "from . import units",
        "import sqlalchemy_like_name_but_not_it",
        "import richtext",
    ],
)
def test_the_checker_allows_stdlib_pydantic_errors_and_the_domain_itself(source: str) -> None:
    assert violations(source, "mitra.domain.journal") == []


def test_relative_imports_in_a_package_init_resolve_inside_that_package() -> None:
    source = "from .model import Score\nfrom ..units import convert\nfrom ... import services"

    names = imported_names(source, "mitra.domain.instruments", is_package=True)

    assert names == [
        (1, "mitra.domain.instruments.model"),
        (2, "mitra.domain.units"),
        (3, "mitra.services"),
    ]
    assert [str(v) for v in violations(source, "mitra.domain.instruments", is_package=True)] == [
        "mitra.domain.instruments:3 imports mitra.services"
    ]


def test_module_name_follows_the_src_layout() -> None:
    assert module_name(DOMAIN / "instruments" / "scoring.py", DOMAIN) == (
        "mitra.domain.instruments.scoring"
    )
    assert module_name(DOMAIN / "instruments" / "__init__.py", DOMAIN) == (
        "mitra.domain.instruments"
    )
