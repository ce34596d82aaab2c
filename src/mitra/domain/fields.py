"""What a field of an entry is, as people fill it in: name, label, type, limits, unit.

Pure data. The registry of entry kinds (`services/registry.py`) lists each kind's fields once; the
web forms, `mitra add|edit --set` and the API's request schemas are all derived from that list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# text | note | int | float | datetime | date | choice | units | product
FIELD_TYPES = frozenset(
    {"text", "note", "int", "float", "datetime", "date", "choice", "units", "product"}
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    low: float | None = None
    high: float | None = None
    max_length: int | None = None  # for text: the domain's MAX_* limit
    unit: str = ""  # shown after the value, e.g. "beats/min"


def enum_choices(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    """Each member as (value, label): 'as_needed' -> 'As needed'."""
    return tuple((str(m.value), str(m.value).replace("_", " ").capitalize()) for m in enum)
