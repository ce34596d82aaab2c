"""Incremental safety evaluation gives the same alerts as a full evaluation (issue 16).

A single write evaluates only the rule families that read the journal part it changed, from a
snapshot holding only the parts those families read, and reconciles only their alerts. Over random
journals built one entry at a time (with acknowledgements in between), the stored alerts after
each write must equal, entry by entry, those a full evaluation of every rule on the whole journal
leaves, and so must the alerts each write raises. Changing the profile (country, pregnancy answer)
evaluates every rule, so the journals start from that. The clock is fixed: what only the passing of
time changes is the full evaluation's to do (services/safety.py says when it runs).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.domain.safety.helpers import ITEM9, NOW, RULES, effect, response, use, vital

from mitra.domain.instruments import ScoreFlag
from mitra.domain.journal import Effect, Medication
from mitra.domain.products import Product, ProductForm
from mitra.domain.safety import (
    FAMILIES,
    JOURNAL_PARTS,
    Pregnancy,
    Snapshot,
    StoredAlert,
    evaluate,
    families_reading,
    owned_by,
    reconcile,
)

PRODUCTS = (
    Product("Red Bali", ProductForm.LEAF_POWDER, coa_url="https://lab.example/coa", id=1),
    Product("Seven Tabs", ProductForm.SEVEN_OH, id=2),
    Product("Gold Shot", ProductForm.EXTRACT, coa_url="https://lab.example/coa", id=3),
)
MEDICINES = ("Oxycodone 5 mg", "Sertraline", "Alprazolam", "Grapefruit juice", "Zzyzxil", "Kava")
SIGNS = (
    "slow breathing",
    "blue lips",
    "seizure",
    "passed out",
    "chest pain",
    "dark urine",
    "a headache",
)
AUDITC = ScoreFlag("screen.auditc_positive", "AUDIT-C positive", "raised", "score 6")

# Hours before now: clustered near now (so uses, effects and answers fall in each other's windows)
# and spread over the 90-day window (so the windows' edges are crossed too).
hours = st.sampled_from(
    (1, 2, 3, 5, 8, 12, 20, 26, 30, 50, 100, 200, 340, 500, 700, 1000, 2100, 2200)
)


def _at(hours_ago: float) -> Any:
    return NOW - timedelta(hours=hours_ago)


@st.composite
def writes(draw: st.DrawFn) -> tuple[str, Any]:
    """One write: the journal part it changes and the entry it adds."""
    timed = ["uses", "uses", "effects", "effects", "responses", "vitals"]
    part = draw(st.sampled_from([*sorted(JOURNAL_PARTS), *timed, "ack"]))
    when = _at(draw(hours))
    if part == "uses":
        grams = draw(st.sampled_from((1.0, 3.0, 3.0, 12.0)))
        product_id = draw(st.sampled_from((1, 1, 2, 3)))
        return part, use(when, grams, product_id, mg=grams * 15)
    if part == "products":
        return part, draw(st.sampled_from(PRODUCTS))
    if part == "medications":
        return part, Medication(draw(st.sampled_from(MEDICINES)))
    if part == "effects":
        kind = draw(st.sampled_from([*Effect, Effect.OTHER, Effect.OTHER]))
        text = draw(st.sampled_from(SIGNS)) if kind is Effect.OTHER else ""
        return part, effect(kind, when, draw(st.integers(0, 10)), text)
    if part == "vitals":
        return part, vital(when, draw(st.sampled_from((70, 120))), (185, 95))
    if part == "responses":
        pick = draw(st.sampled_from(("phq9", "auditc", "sows", "kud_dsm5")))
        total = draw(st.integers(0, 11))
        flags = {"phq9": (ITEM9,), "auditc": (AUDITC,)}.get(pick, ())
        return part, response(pick, when, total, flags if draw(st.booleans()) else ())
    return part, None  # a daily check-in (no rule reads it) or an acknowledgement of every alert


def _snapshot(journal: dict[str, list[Any]], parts: frozenset[str], **context: Any) -> Snapshot:
    loaded: dict[str, Any] = {p: tuple(journal[p]) for p in parts}
    return Snapshot(tz="UTC", **loaded, **context)


def _apply(stored: list[StoredAlert], changes: Any) -> list[StoredAlert]:
    by_key = {s.alert.key: s for s in stored}
    for s in [*changes.added, *changes.updated]:
        by_key[s.alert.key] = s
    return sorted(by_key.values(), key=lambda s: s.alert.key)


def _acknowledged(stored: list[StoredAlert]) -> list[StoredAlert]:
    return [
        dataclasses.replace(s, acknowledged_at=NOW) if s.status == "open" else s for s in stored
    ]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(writes(), min_size=4, max_size=40),
    st.sampled_from([None, *Pregnancy]),
    st.sampled_from([None, "US", "GB"]),
)
def test_incremental_evaluation_leaves_the_alerts_a_full_one_does(
    steps: list[tuple[str, Any]], pregnancy: Pregnancy | None, country: str | None
) -> None:
    context: dict[str, Any] = {"pregnancy": pregnancy, "jurisdiction": country}
    journal: dict[str, list[Any]] = {p: [] for p in JOURNAL_PARTS}
    # Saving the profile (country, pregnancy answer) evaluates every rule, as the service does.
    start = evaluate(_snapshot(journal, JOURNAL_PARTS, **context), RULES, NOW)
    full = incremental = _apply([], reconcile([], start, NOW))
    for part, entry in steps:
        if part == "ack":
            full, incremental = _acknowledged(full), _acknowledged(incremental)
            continue
        journal[part].append(entry)
        whole = evaluate(_snapshot(journal, JOURNAL_PARTS, **context), RULES, NOW)
        full_changes = reconcile(full, whole, NOW)
        families = families_reading({part})
        reads = frozenset().union(*(f.reads for f in families))
        some = evaluate(_snapshot(journal, reads, **context), RULES, NOW, families)
        inc_changes = reconcile(incremental, some, NOW, owned_by(families))
        assert sorted(inc_changes.raised) == sorted(full_changes.raised), part
        full, incremental = _apply(full, full_changes), _apply(incremental, inc_changes)
        assert incremental == full, part


def test_the_property_reaches_every_family() -> None:
    """The random journals can raise an alert of every family (so the property can fail)."""
    journal: dict[str, list[Any]] = {
        "products": list(PRODUCTS),
        "uses": [use(_at(24 * d + h), 3.0, 1 + d % 3, mg=45.0) for d in range(40) for h in (2, 8)]
        + [use(_at(1.5), 12.0, 1, mg=180.0)],
        "medications": [Medication(m) for m in MEDICINES],
        "effects": [effect(Effect.OTHER, _at(1), 5, s) for s in SIGNS]
        + [effect(Effect.SWEATING, _at(1), 5)],
        "vitals": [vital(_at(2), 120, (185, 95))],
        "responses": [
            response("phq9", _at(3), 3, (ITEM9,)),
            response("auditc", _at(3), 6, (AUDITC,)),
            response("sows", _at(30), 1),
            response("sows", _at(3), 9),
            response("kud_dsm5", _at(3), 4),
        ],
        "checkins": [],
    }
    snapshot = _snapshot(journal, JOURNAL_PARTS, pregnancy=Pregnancy.PREGNANT, jurisdiction="US")
    raised = {a.rule_id.partition(".")[0] for a in evaluate(snapshot, RULES, NOW)}
    assert raised == {f.name for f in FAMILIES} - {"legal"}  # legal needs the legal data
