"""Study declarations (YAML), donation packages (.zip) and withdrawal records (.json).

A package holds `manifest.json`, one `tables/<name>.json` per table and `SHA256SUMS` (the SHA-256
of every other member); reading one checks every checksum and refuses a package that fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from mitra.adapters.files import write_private, write_private_text
from mitra.domain.research.deidentify import TABLES_BY_NAME, Row
from mitra.domain.research.study import Study, study_from_mapping
from mitra.errors import InvalidInputError

PACKAGE_FORMAT = "mitra-donation"
WITHDRAWAL_FORMAT = "mitra-withdrawal"
FORMAT_VERSION = 1
WITHDRAWAL_VERSION = 2  # version 1 also held the day; still read, the day ignored


def load_study(path: Path) -> Study:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError.one("study", f"cannot read {path.name}: {exc}") from None
    return study_from_yaml(text, path.name)


def study_from_yaml(text: str, name: str = "study.yaml") -> Study:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInputError.one("study", f"cannot read {name}: {exc}") from None
    if not isinstance(raw, dict):
        raise InvalidInputError.one("study", f"{name} is not a study declaration")
    return study_from_mapping(raw)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "timestamp":
        return datetime.fromisoformat(value)
    return value


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_bytes(manifest: dict[str, Any], tables: dict[str, list[Row]]) -> bytes:
    members = {"manifest.json": json.dumps(manifest, indent=2, sort_keys=True).encode()}
    for name, rows in tables.items():
        text = json.dumps([{k: _encode(v) for k, v in r.items()} for r in rows], sort_keys=True)
        members[f"tables/{name}.json"] = text.encode()
    sums = "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(members.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", (2026, 1, 1, 0, 0, 0)), sums)
    return buffer.getvalue()


def write_package(path: Path, data: bytes) -> str:
    """Write the package (mode 0600) and `<path>.sha256` beside it; returns the SHA-256."""
    digest = sha256(data)
    write_private(path, data)
    write_private_text(path.with_name(path.name + ".sha256"), f"{digest}  {path.name}\n")
    return digest


def read_package(path: Path) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    """A package's manifest and typed tables, after every checksum is checked."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError.one("package", f"{path.name} is not a package: {exc}") from None
    return read_package_bytes(data, path.name)


def read_package_bytes(data: bytes, name: str) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    """`read_package` of a package held in memory (a server-mode donation, #22)."""
    path = Path(name)  # for the messages only
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidInputError.one("package", f"{path.name} is not a package: {exc}") from None
    sums = members.pop("SHA256SUMS", b"").decode().splitlines()
    expected = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sums if "  " in line}
    if set(expected) != set(members) or any(sha256(members[n]) != h for n, h in expected.items()):
        raise InvalidInputError.one("package", f"{path.name} fails its SHA-256 checksums")
    manifest = json.loads(members.pop("manifest.json"))
    if manifest.get("format") != PACKAGE_FORMAT:
        raise InvalidInputError.one("package", f"{path.name} is not a Mitra donation package")
    tables: dict[str, list[Row]] = {}
    for member, data in members.items():
        name = member.removeprefix("tables/").removesuffix(".json")
        if name not in TABLES_BY_NAME:
            raise InvalidInputError.one("package", f"{path.name} holds an unknown table {name!r}")
        types = {c.name: c.type for c in TABLES_BY_NAME[name].columns}
        rows = json.loads(data)
        if any(set(row) - set(types) for row in rows):
            raise InvalidInputError.one("package", f"{path.name}: unknown columns in {name}")
        tables[name] = [{k: _decode(types[k], v) for k, v in row.items()} for row in rows]
    return manifest, tables


def withdrawal_bytes(study_id: str, participant: str) -> bytes:
    """The record a study needs to leave the person out: which study, which participant. No date:
    any freeze made after the study holds the record leaves the person out (docs/research.md)."""
    record = {
        "format": WITHDRAWAL_FORMAT,
        "format_version": WITHDRAWAL_VERSION,
        "study_id": study_id,
        "participant": participant,
    }
    return (json.dumps(record, indent=2) + "\n").encode()


def write_withdrawal(path: Path, data: bytes) -> None:
    write_private(path, data)


def read_withdrawal(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError.one("withdrawal", f"cannot read {path.name}: {exc}") from None
    if not isinstance(record, dict) or record.get("format") != WITHDRAWAL_FORMAT:
        raise InvalidInputError.one("withdrawal", f"{path.name} is not a withdrawal record")
    return record
