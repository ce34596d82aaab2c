"""legal.*: the most specific legal entry decides; 7-OH only when a 7-OH product was used."""

from __future__ import annotations

from datetime import date

from mitra.domain.evidence import JurisdictionStatus, LegalStatus
from mitra.domain.products import Product, ProductForm
from mitra.domain.safety import Rules

from .helpers import RULES, ago, ids, run, snap, use

AL = JurisdictionStatus(
    "US-AL",
    "Alabama",
    LegalStatus.BANNED,
    "Schedule I.",
    ("lagniappe-alabama-2016",),
    date(2026, 11, 25),
    seven_oh_status=LegalStatus.BANNED,
)
US = JurisdictionStatus(
    "US",
    "United States",
    LegalStatus.LEGAL,
    "Not scheduled.",
    ("dea-2016-notice",),
    date(2026, 11, 25),
    seven_oh_status=LegalStatus.RESTRICTED,
)
SEVEN = Product("7 Tabs", ProductForm.SEVEN_OH, coa_url="https://x", id=2)


def test_a_banned_state_fires_with_the_states_own_sources() -> None:
    alerts = run(snap(legal=(AL, US)))
    assert ids(alerts) == ["legal.jurisdiction"]
    assert alerts[0].sources == ("lagniappe-alabama-2016",)
    assert "Alabama (US-AL): kratom is banned there (as checked on 2026-11-25)" in alerts[0].because


def test_legal_leaf_raises_nothing_but_used_7oh_where_restricted_does() -> None:
    assert run(snap(legal=(US,))) == []
    found = run(snap(legal=(US,), products=(SEVEN,), uses=(use(ago(1), product_id=2),)))
    assert [a.rule_id for a in found if a.rule_id.startswith("legal")] == ["legal.seven_oh"]
    legal = next(a for a in found if a.rule_id == "legal.seven_oh")
    assert "concentrated 7-OH is restricted in United States (US)" in legal.because


def test_no_legal_data_or_no_rules_raise_nothing() -> None:
    assert run(snap()) == []
    empty = Rules({}, RULES.classes, RULES.lexicon)
    assert run(snap(legal=(AL,), products=(SEVEN,), uses=(use(ago(1), product_id=2),)), empty) == []


MI = JurisdictionStatus(
    "US-MI", "Michigan", LegalStatus.LEGAL, "No law.", ("s",), date(2026, 11, 25)
)


def test_a_state_without_a_7oh_entry_gets_the_federal_7oh_status_and_is_told_so() -> None:
    used = {"products": (SEVEN,), "uses": (use(ago(1), product_id=2),)}
    found = run(snap(legal=(MI, US), jurisdiction="US-MI", **used))
    legal = [a for a in found if a.rule_id.startswith("legal")]
    assert [a.rule_id for a in legal] == ["legal.seven_oh"]
    assert legal[0].because == (
        "You used 7 Tabs (7-OH) and concentrated 7-OH is restricted in United States (US) "
        "(as checked on 2026-11-25). Mitra has no 7-OH entry for US-MI, so the federal status "
        "applies there."
    )
    assert legal[0].sources == ("dea-2016-notice",)


def test_no_entry_stating_a_7oh_status_raises_no_7oh_alert() -> None:
    used = {"products": (SEVEN,), "uses": (use(ago(1), product_id=2),)}
    found = run(snap(legal=(MI,), jurisdiction="US-MI", **used))
    assert [a.rule_id for a in found] == ["product.seven_oh"]
