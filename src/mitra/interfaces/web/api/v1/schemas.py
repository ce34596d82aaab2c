"""Request bodies of the REST API, derived from the registry's fields. Responses are the domain
dataclasses themselves.

These models only shape and type the JSON (and cap text at the domain's `MAX_*` lengths, so a
huge value is refused before it is read further); every rule (ranges, times, units) is the
domain's, so the API, the pages and the CLI refuse exactly the same things.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from mitra.domain.fields import FieldSpec
from mitra.services.registry import Kind


class SourceOut(BaseModel):
    """A source, the one shape everywhere (knowledge, alerts, interactions, CLI --json):
    `interfaces/knowledge_json.source`."""

    id: str
    title: str
    authors: list[str]
    year: int | None
    kind: str
    link: str
    doi: str | None
    pmid: str | None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def values(self) -> dict[str, Any]:
        """Typed values for `entries.save` (custom units as name/grams pairs)."""
        data = self.model_dump()
        return {k: tuple(v.items()) if isinstance(v, dict) else v for k, v in data.items()}


PLAIN: dict[str, type[Any]] = {
    "int": int,
    "product": int,
    "float": float,
    "datetime": datetime,
    "date": date,
}


def _annotation(spec: FieldSpec) -> tuple[Any, Any]:
    """(type, pydantic Field) for one field: required fields have no default."""
    text = spec.type in ("text", "note")
    if text:
        kind: Any = str
    elif spec.type == "choice":
        kind = Literal[tuple(key for key, _ in spec.choices if key)]
    elif spec.type == "units":
        kind = dict[str, float]
    else:
        kind = PLAIN[spec.type]
    extra: dict[str, Any] = {"max_length": spec.max_length} if spec.max_length else {}
    if spec.help:
        extra["description"] = spec.help
    if spec.required:
        return kind, Field(**extra)
    if text:
        return kind, Field(default="", **extra)
    if spec.type == "units":
        return kind, Field(default_factory=dict, **extra)
    if spec.type == "datetime":
        extra["description"] = "With offset; default now."
    return kind | None, Field(default=None, **extra)


@cache
def body_for(kind: Kind[Any]) -> type[Body]:
    """The request body of a kind: one property per field (and `tz` for a timed kind)."""
    fields: dict[str, Any] = {spec.name: _annotation(spec) for spec in kind.fields}
    if kind.time_field is not None:
        fields["tz"] = (
            str | None,
            Field(default=None, description="IANA zone; default the journal's zone."),
        )
    if kind.offline:
        fields["client_id"] = (
            str | None,
            Field(
                default=None,
                min_length=8,
                max_length=64,
                pattern=r"^[A-Za-z0-9_-]+$",
                description="An id the client made (e.g. a UUID) for an entry queued offline: a "
                "repeat with the same id answers with the entry already stored, never a second "
                "copy.",
            ),
        )
    name = f"{kind.model.__name__}In"
    model: type[Body] = create_model(name, __base__=Body, **fields)
    return model
