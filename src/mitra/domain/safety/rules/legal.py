"""legal.*: kratom, or concentrated 7-OH, restricted where the person lives (from the legal data
in the knowledge base; the most specific entry — a US state before the US — is used). For 7-OH,
the most specific entry that states a 7-OH status is used: where a state has none, the federal
status applies and the alert says so."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from mitra.domain.evidence import JurisdictionStatus, LegalStatus
from mitra.domain.products import is_seven_oh
from mitra.domain.safety.model import Alert, Rules, Snapshot, make_alert

READS = frozenset({"products", "uses"})  # journal parts read (test_inputs.py)

RESTRICTIVE = (LegalStatus.RESTRICTED, LegalStatus.BANNED)


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    if not snapshot.legal:
        return []
    place = snapshot.legal[0]
    alerts = []
    spec = rules.spec("legal.jurisdiction")
    if spec is not None and place.status in RESTRICTIVE:
        because = (
            f"Your country or state is {place.title}: kratom is {place.status.value} there "
            f"(as checked on {place.as_of:%Y-%m-%d}). {place.summary}"
        )
        alert = make_alert(spec, snapshot, because, f"{place.code}:{place.status.value}")
        alerts.append(dataclasses.replace(alert, sources=place.sources))
    spec = rules.spec("legal.seven_oh")
    found = _seven_oh_place(snapshot.legal)
    if spec is not None and found is not None and found[1] in RESTRICTIVE:
        seven, status = found
        since = now - timedelta(days=spec.param("window_days"))
        used = sorted(
            {
                p.name
                for u in snapshot.uses
                if u.taken_at >= since
                and (p := snapshot.product(u.product_id)) is not None
                and is_seven_oh(p)
            }
        )
        if used:
            because = (
                f"You used {', '.join(used)} (7-OH) and concentrated 7-OH is "
                f"{status.value} in {seven.title} (as checked on "
                f"{seven.as_of:%Y-%m-%d}).{_fallback(snapshot, seven.code)}"
            )
            alert = make_alert(spec, snapshot, because, seven.code)
            alerts.append(dataclasses.replace(alert, sources=seven.sources))
    return alerts


def _seven_oh_place(
    legal: tuple[JurisdictionStatus, ...],
) -> tuple[JurisdictionStatus, LegalStatus] | None:
    """The most specific entry that states a 7-OH status, with that status."""
    for place in legal:
        if place.seven_oh_status is not None:
            return place, place.seven_oh_status
    return None


def _fallback(snapshot: Snapshot, used_code: str) -> str:
    """Why a country's entry speaks for the person's state: the state has no 7-OH entry."""
    asked = snapshot.jurisdiction
    if asked is None or asked == used_code:
        return ""
    return f" Mitra has no 7-OH entry for {asked}, so the federal status applies there."
