"""Read the safety engine's data (knowledge/safety/): rules, interaction classes and the lexicon.

Shapes are checked here; a malformed file raises ConfigurationError naming the file and entry, so a
broken rule fails the test suite and the app start, never a user's page. Unknown fields are refused
(a misspelt field would otherwise be silently ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.evidence import is_jurisdiction_code
from mitra.domain.safety import InteractionClass, InteractionLevel, Rules, RuleSpec, Severity
from mitra.domain.safety.lexicon import normalise
from mitra.domain.safety.model import NaloxoneAccess, NaloxoneAdvice
from mitra.errors import ConfigurationError, InvalidInputError

RULES_FILE = "safety/rules.yaml"
INTERACTIONS_FILE = "safety/interactions.yaml"
LEXICON_FILE = "safety/lexicon.yaml"
NALOXONE_FILE = "safety/naloxone.yaml"
NALOXONE_FIELDS = frozenset({"what", "sources", "elsewhere", "rules", "countries"})
ACCESS_FIELDS = frozenset({"country", "how", "sources", "as_of"})
INTERACTION_PREFIX = "interaction."
RULE_FIELDS = frozenset(
    {"id", "severity", "title", "logic", "what_to_do", "sources", "params", "terms", "classes"}
)
CLASS_FIELDS = frozenset({"id", "name", "level", "mechanism", "sources"})


def _fail(path: str, where: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"knowledge file {path}: {where} {reason}")


def _list(path: str, key: str) -> list[Mapping[str, Any]]:
    document = read_yaml(path)
    if not isinstance(document, Mapping) or not isinstance(document.get(key), list):
        raise ConfigurationError(f"knowledge file {path}: top level must have a list {key!r}")
    entries = document[key]
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise _fail(path, f"{key}[{index}]", "must be a mapping")
    return list(entries)


def _only(path: str, entry: Mapping[str, Any], known: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in entry if k not in known)
    if unknown:
        raise _fail(path, f"{entry.get('id')}.{unknown[0]}", "is not a known field (misspelt?)")


def _text(path: str, entry: Mapping[str, Any], field: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{entry.get('id')}.{field}", "must be non-empty text")
    return value.strip()


def _strings(path: str, entry: Mapping[str, Any], field: str) -> tuple[str, ...]:
    value = entry.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, f"{entry.get('id')}.{field}", "must be a list of text")
    return tuple(value)


def _params(path: str, entry: Mapping[str, Any]) -> dict[str, float]:
    value = entry.get("params") or {}
    if not isinstance(value, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    ):
        raise _fail(path, f"{entry.get('id')}.params", "must map names to numbers")
    return {str(k): float(v) for k, v in value.items()}


def _choice(path: str, entry: Mapping[str, Any], field: str, parse: Any) -> Any:
    try:
        return parse(_text(path, entry, field))
    except InvalidInputError as exc:
        raise _fail(path, f"{entry.get('id')}.{field}", exc.message) from None


def load_classes() -> dict[str, InteractionClass]:
    classes: dict[str, InteractionClass] = {}
    for entry in _list(INTERACTIONS_FILE, "classes"):
        _only(INTERACTIONS_FILE, entry, CLASS_FIELDS)
        klass = InteractionClass(
            id=_text(INTERACTIONS_FILE, entry, "id"),
            name=_text(INTERACTIONS_FILE, entry, "name"),
            level=_choice(INTERACTIONS_FILE, entry, "level", InteractionLevel.from_code),
            mechanism=" ".join(_text(INTERACTIONS_FILE, entry, "mechanism").split()),
            sources=_strings(INTERACTIONS_FILE, entry, "sources"),
        )
        if not klass.sources:
            raise _fail(INTERACTIONS_FILE, klass.id, "needs sources")
        if klass.id in classes:
            raise _fail(INTERACTIONS_FILE, klass.id, "appears twice")
        classes[klass.id] = klass
    return classes


def load_lexicon(classes: Mapping[str, InteractionClass]) -> dict[str, tuple[str, ...]]:
    document = read_yaml(LEXICON_FILE)
    names = document.get("names") if isinstance(document, Mapping) else None
    if not isinstance(names, Mapping):
        raise ConfigurationError(f"knowledge file {LEXICON_FILE}: top level must map 'names'")
    lexicon: dict[str, tuple[str, ...]] = {}
    for name, found in names.items():
        key = normalise(str(name))
        if key != str(name):
            raise _fail(LEXICON_FILE, str(name), f"must be written normalised, as {key!r}")
        if not isinstance(found, list) or not found or not set(found) <= set(classes):
            raise _fail(LEXICON_FILE, str(name), "must list known interaction classes")
        lexicon[key] = tuple(found)
    return lexicon


def load_specs(classes: Mapping[str, InteractionClass]) -> dict[str, RuleSpec]:
    specs: dict[str, RuleSpec] = {}
    for entry in _list(RULES_FILE, "rules"):
        _only(RULES_FILE, entry, RULE_FIELDS)
        rule_id = _text(RULES_FILE, entry, "id")
        sources = _strings(RULES_FILE, entry, "sources")
        if rule_id.startswith(INTERACTION_PREFIX) and not sources:
            klass = classes.get(rule_id.removeprefix(INTERACTION_PREFIX))
            sources = klass.sources if klass else ()
        if not sources:
            raise _fail(RULES_FILE, rule_id, "needs sources")
        spec = RuleSpec(
            id=rule_id,
            severity=_choice(RULES_FILE, entry, "severity", Severity.from_code),
            title=_text(RULES_FILE, entry, "title"),
            what_to_do=_text(RULES_FILE, entry, "what_to_do"),
            sources=sources,
            logic=_text(RULES_FILE, entry, "logic"),
            params=_params(RULES_FILE, entry),
            terms=_strings(RULES_FILE, entry, "terms"),
            classes=_strings(RULES_FILE, entry, "classes"),
        )
        if rule_id in specs:
            raise _fail(RULES_FILE, rule_id, "appears twice")
        specs[rule_id] = spec
    return specs


def _access(entry: Mapping[str, Any]) -> NaloxoneAccess:
    _only(NALOXONE_FILE, entry, ACCESS_FIELDS)
    country = _text(NALOXONE_FILE, entry, "country")
    as_of = entry.get("as_of")
    if not is_jurisdiction_code(country) or "-" in country:
        raise _fail(NALOXONE_FILE, f"{country}.country", "must be an ISO 3166 country code")
    if not isinstance(as_of, date):
        raise _fail(NALOXONE_FILE, f"{country}.as_of", "must be a date (YYYY-MM-DD)")
    sources = _strings(NALOXONE_FILE, entry, "sources")
    if not sources:
        raise _fail(NALOXONE_FILE, country, "needs sources")
    how = " ".join(_text(NALOXONE_FILE, entry, "how").split())
    return NaloxoneAccess(country, how, sources, as_of)


def load_naloxone(specs: Mapping[str, RuleSpec]) -> NaloxoneAdvice:
    """The naloxone advice and the rules whose alerts carry it (each must be a known rule)."""
    document = read_yaml(NALOXONE_FILE)
    if not isinstance(document, Mapping):
        raise ConfigurationError(f"knowledge file {NALOXONE_FILE}: top level must be a mapping")
    _only(NALOXONE_FILE, document, NALOXONE_FIELDS)
    rules = _strings(NALOXONE_FILE, document, "rules")
    unknown = sorted(set(rules) - set(specs))
    if unknown:
        raise _fail(NALOXONE_FILE, f"rules.{unknown[0]}", "is not a rule in rules.yaml")
    countries = document.get("countries") or []
    if not isinstance(countries, list) or not all(isinstance(c, Mapping) for c in countries):
        raise _fail(NALOXONE_FILE, "countries", "must be a list of mappings")
    access = [_access(c) for c in countries]
    sources = _strings(NALOXONE_FILE, document, "sources")
    if not sources:
        raise _fail(NALOXONE_FILE, "naloxone", "needs sources")
    return NaloxoneAdvice(
        what=" ".join(_text(NALOXONE_FILE, document, "what").split()),
        sources=sources,
        rules=frozenset(rules),
        access={a.country: a for a in access},
        elsewhere=" ".join(_text(NALOXONE_FILE, document, "elsewhere").split()),
    )


@cache
def load_rules() -> Rules:
    """Every rule, interaction class, lexicon name and the naloxone advice (read once)."""
    classes = load_classes()
    specs = load_specs(classes)
    return Rules(specs, classes, load_lexicon(classes), load_naloxone(specs))
