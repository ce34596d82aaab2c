"""The one way code reads clinical content: YAML files shipped inside the package.

Files live under `mitra/knowledge/` and are read through importlib.resources, so an installed wheel
finds them exactly as a checkout does.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from mitra.errors import ConfigurationError

KNOWLEDGE_PACKAGE = "mitra.knowledge"
# libyaml's safe loader when PyYAML was built with it (about 10x faster; same types), else Python's.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def knowledge_files(folder: str) -> list[str]:
    """Relative paths of every YAML file in a knowledge sub-folder, sorted."""
    root = resources.files(KNOWLEDGE_PACKAGE).joinpath(folder)
    return sorted(
        f"{folder}/{entry.name}"
        for entry in root.iterdir()
        if entry.is_file() and entry.name.endswith((".yaml", ".yml"))
    )


@cache
def read_yaml(relative_path: str) -> Any:
    """Parse one knowledge file; a missing or malformed file is a configuration error."""
    resource = resources.files(KNOWLEDGE_PACKAGE).joinpath(relative_path)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigurationError(f"knowledge file {relative_path} is missing") from exc
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigurationError(
            f"knowledge file {relative_path} is not valid YAML: {exc}"
        ) from exc
