"""Every number in the shipped clinical files is pinned (issue 13).

`tests/data/pinned_numbers.yaml` lists each number in `knowledge/instruments/*.yaml`, in the
`params` of `knowledge/safety/rules.yaml` and in `knowledge/taper/*.yaml` (sources: the section's
`sources` list), with its value and the source it comes from (the section's own source id in the
instrument file; the rule's sources, marked when the number is Mitra's screening choice). The
shipped files must contain exactly those numbers: moving PHQ-9's "severe" edge from 20 to 21,
adding a threshold or dropping one fails here until the table — and so the person who reviews
it — agrees. The failure message prints the table lines to change.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from mitra.adapters.knowledge.loader import knowledge_files, read_yaml

TABLE_FILE = Path(__file__).resolve().parents[2] / "data" / "pinned_numbers.yaml"
RULES_FILE = "safety/rules.yaml"
Pinned = dict[str, dict[str, dict[str, Any]]]


def _step(parent: list[Any], index: int) -> str:
    """`[id=x]`, `[code=x]` or `[country=x]` when that names one entry of the list, else the
    position."""
    item = parent[index]
    if isinstance(item, Mapping):
        for name in ("id", "code", "country"):
            same = [p for p in parent if isinstance(p, Mapping) and p.get(name) == item.get(name)]
            if isinstance(item.get(name), str) and len(same) == 1:
                return f"[{name}={item[name]}]"
    return f"[{index}]"


def _walk(node: Any, path: str, source: str) -> Iterator[tuple[str, float, str]]:
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return
    if isinstance(node, int | float):
        yield path, node, source
    elif isinstance(node, Mapping):
        own = str(node["source"]) if isinstance(node.get("source"), str) else source
        for key, value in node.items():
            section = node.get(f"{key}_source")
            here = str(section) if isinstance(section, str) else own
            yield from _walk(value, f"{path}.{key}" if path else str(key), here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}{_step(node, index)}", source)


def instrument_numbers(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    fallback = ", ".join(str(s.get("id")) for s in document.get("sources") or [])
    return {
        path: {"value": value, "source": source}
        for path, value, source in _walk(document, "", fallback)
        if path != "sources"
    }


def rule_numbers(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for rule in document["rules"]:
        screening = "Mitra's screening choice" in rule.get("logic", "")
        cited = ", ".join(rule.get("sources") or ["its class's sources"])
        source = f"{cited}{' (screening choice)' if screening else ''}"
        for name, value in (rule.get("params") or {}).items():
            found[f"rules[id={rule['id']}].params.{name}"] = {"value": value, "source": source}
    return found


def _walk_sourced(node: Any, path: str, source: str) -> Iterator[tuple[str, float, str]]:
    """Like `_walk`, for files whose sections name their `sources` as a list of ids (taper/)."""
    if isinstance(node, Mapping):
        cited = node.get("sources")
        if isinstance(cited, list) and all(isinstance(c, str) for c in cited):
            source = ", ".join(cited)
            if "screening choice" in str(node.get("logic", "")):
                source += " (screening choice where the logic says so)"
        for key, value in node.items():
            yield from _walk_sourced(value, f"{path}.{key}" if path else str(key), source)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_sourced(value, f"{path}{_step(node, index)}", source)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node, source


def taper_numbers(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        path: {"value": value, "source": source}
        for path, value, source in _walk_sourced(document, "", "Mitra's own choice (issue 19)")
    }


def shipped() -> dict[str, Any]:
    files = [
        *knowledge_files("instruments"),
        *knowledge_files("measures"),
        RULES_FILE,
        *knowledge_files("taper"),
    ]
    return {path: read_yaml(path) for path in files}


def numbers_of(documents: Mapping[str, Any]) -> Pinned:
    return {
        path: rule_numbers(doc)
        if path == RULES_FILE
        else taper_numbers(doc)
        if path.startswith("taper/")
        else instrument_numbers(doc)
        for path, doc in documents.items()
    }


def differences(found: Pinned, pinned: Pinned) -> list[str]:
    """What differs, as `file: path: pinned -> shipped` lines (empty when all agree)."""
    out = []
    for path in sorted(set(found) | set(pinned)):
        have, want = found.get(path, {}), pinned.get(path, {})
        for key in sorted(set(have) | set(want)):
            shipped_value = have.get(key, {}).get("value")
            pinned_value = want.get(key, {}).get("value")
            if shipped_value != pinned_value or key not in have or key not in want:
                out.append(f"{path}: {key}: pinned {pinned_value} -> shipped {shipped_value}")
    return out


def pinned_table() -> Pinned:
    table: Pinned = yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8"))["files"]
    return table


def test_the_shipped_clinical_files_contain_exactly_the_pinned_numbers() -> None:
    found = numbers_of(shipped())
    problems = differences(found, pinned_table())
    hint = yaml.safe_dump({"files": found}, sort_keys=True, allow_unicode=True)
    assert problems == [], (
        "numbers in the shipped clinical files changed; check each against its published source, "
        f"then update {TABLE_FILE.name}:\n" + "\n".join(problems) + "\n\nfull table:\n" + hint
    )


def test_every_pinned_number_names_its_source() -> None:
    for path, numbers in pinned_table().items():
        for key, entry in numbers.items():
            assert set(entry) == {"value", "source"}, (path, key)
            assert str(entry["source"]).strip(), (path, key)


def test_moving_the_phq9_severe_edge_from_20_to_21_is_caught() -> None:
    documents = copy.deepcopy(shipped())
    severe = next(b for b in documents["instruments/phq9.yaml"]["bands"] if b["code"] == "severe")
    assert severe["min"] == 20
    severe["min"] = 21
    assert differences(numbers_of(documents), pinned_table()) == [
        "instruments/phq9.yaml: bands[code=severe].min: pinned 20 -> shipped 21"
    ]


def test_every_number_changed_in_turn_is_caught() -> None:
    """The mutation check: perturb each shipped number in a copy; the table must notice each."""
    base = shipped()
    pinned = pinned_table()
    count = 0
    for path, numbers in numbers_of(base).items():
        for key in numbers:
            documents = {path: copy.deepcopy(base[path])}
            _bump(documents[path], key)
            assert differences(numbers_of(documents), {path: pinned[path]}), (path, key)
            count += 1
    assert count == sum(len(n) for n in pinned.values())


def _bump(document: Any, dotted: str) -> None:
    """Add 1 to the number at a path made by `_walk` (ids and codes resolve list entries)."""
    node = document
    parts = _split(dotted)
    for part in parts[:-1]:
        node = _child(node, part)
    last = parts[-1]
    if isinstance(node, list):
        index = _index(node, last)
        node[index] = node[index] + 1
    else:
        node[last] = node[last] + 1


def _split(dotted: str) -> list[str]:
    """`rules[id=a.b].params.x` -> ['rules', '[id=a.b]', 'params', 'x']."""
    return re.findall(r"\[[^\]]*\]|[^.\[\]]+", dotted)


def _index(node: list[Any], part: str) -> int:
    inside = part.strip("[]")
    if "=" in inside:
        name, value = inside.split("=", 1)
        return next(i for i, item in enumerate(node) if item.get(name) == value)
    return int(inside)


def _child(node: Any, part: str) -> Any:
    if part.startswith("["):
        return node[_index(node, part)]
    return node[part]
