"""legal.*: kratom, or concentrated 7-OH, restricted where the person lives (from the legal data
in the knowledge base; the most specific entry — a US state before the US — is used)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from mitra.domain.evidence import LegalStatus
from mitra.domain.safety.model import Alert, Rules, Snapshot, make_alert
from mitra.domain.safety.rules.product import is_seven_oh

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
    status = place.seven_oh_status
    if spec is not None and status is not None and status in RESTRICTIVE:
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
                f"{status.value} in {place.title} (as checked on "
                f"{place.as_of:%Y-%m-%d})."
            )
            alert = make_alert(spec, snapshot, because, place.code)
            alerts.append(dataclasses.replace(alert, sources=place.sources))
    return alerts
