"""Small builders for safety-engine tests: the shipped rules, a fixed now, journal records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mitra.adapters.knowledge.safety import load_rules
from mitra.domain.instruments import Score, ScoreFlag
from mitra.domain.journal import AdverseEffect, Effect, Medication, UseEvent, Vital
from mitra.domain.products import Product, ProductForm
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.safety import Alert, Rules, Snapshot, evaluate

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TZ = "UTC"
RULES = load_rules()
LEAF = Product("Red Bali", ProductForm.LEAF_POWDER, coa_url="https://lab.example/coa", id=1)


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def use(
    at: datetime, grams: float | None = 2.0, product_id: int = 1, mg: float | None = None
) -> UseEvent:
    return UseEvent(product_id, at, TZ, grams or 1.0, "g", grams, grams, mg, None, "")


def effect(
    kind: Effect, at: datetime, severity: int = 5, other: str = "", note: str = ""
) -> AdverseEffect:
    return AdverseEffect(at, TZ, kind, severity, other, note)


def vital(at: datetime, hr: int | None = None, bp: tuple[int, int] | None = None) -> Vital:
    s, d = bp if bp else (None, None)
    return Vital(at, TZ, hr, s, d)


def med(name: str, stopped: bool = False) -> Medication:
    return Medication(name, stopped_on=(NOW - timedelta(days=3)).date() if stopped else None)


def response(
    instrument: str,
    at: datetime,
    total: float | None = 0,
    flags: tuple[ScoreFlag, ...] = (),
    complete: bool = True,
    band: str | None = None,
) -> QuestionnaireResponse:
    score = Score(instrument, "1", {}, total, None, band, flags=flags, complete=complete)
    return QuestionnaireResponse(at, TZ, score)


ITEM9 = ScoreFlag("crisis.phq9_item9", "Thoughts of death", "raised", "phq9.q9 answered 1")


def snap(**fields: object) -> Snapshot:
    values: dict[str, object] = {"tz": TZ, "products": (LEAF,)}
    values.update(fields)
    return Snapshot(**values)  # type: ignore[arg-type]


def run(snapshot: Snapshot, rules: Rules = RULES) -> list[Alert]:
    return evaluate(snapshot, rules, NOW)


def ids(alerts: list[Alert]) -> list[str]:
    return [a.rule_id for a in alerts]


def daily(
    days: range, per_day: int = 1, grams: float = 2.0, hour: int = 8, gap: float = 4
) -> tuple[UseEvent, ...]:
    """Uses on each of the given days-ago, `per_day` doses `gap` hours apart from `hour`:00."""
    out = []
    for d in days:
        start = (NOW - timedelta(days=d)).replace(hour=hour, minute=0)
        out += [use(start + timedelta(hours=gap * i), grams) for i in range(per_day)]
    return tuple(out)
