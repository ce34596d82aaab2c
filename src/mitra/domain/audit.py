"""A record of every look at a person's journal by someone else (issue #21), hash-chained.

Modelled on the IHE ITI Basic Audit Log Patterns (BALP) profile of FHIR `AuditEvent`: each event
names the agent (who), the time (recorded), the entity (whose journal; which kinds and period),
the action (R = read, C = create/request) and the source network address. Each event stores the
hash of the event before it and its own hash over its fields and that previous hash (SHA-256 of
a canonical JSON text), so an event removed from the middle breaks the next one's link, and an
altered event no longer matches its own hash. The newest events can be removed without a trace
only together with every copy of the chain's head; `verify` reports the count and last hash so
they can be kept elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

GENESIS = "0" * 64


@dataclass(frozen=True)
class Event:
    """One look (or act) by `actor_name` at `subject_name`'s journal."""

    id: int
    recorded_at: datetime
    actor_account_id: int
    actor_name: str
    actor_role: str
    subject_account_id: int
    subject_name: str
    action: str  # BALP/FHIR AuditEvent.action: "R" read, "C" create (a request)
    what: str  # the page or export seen, e.g. "dashboard", "patient", "fhir"
    kinds: str  # space-separated shared kinds read
    period: str  # the period read, in words
    source: str  # the network address the request came from
    previous_hash: str
    hash: str

    def fields(self) -> dict[str, object]:
        return {
            "id": self.id,
            "recorded_at": self.recorded_at.isoformat(),
            "actor_account_id": self.actor_account_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "subject_account_id": self.subject_account_id,
            "subject_name": self.subject_name,
            "action": self.action,
            "what": self.what,
            "kinds": self.kinds,
            "period": self.period,
            "source": self.source,
        }


def chain_hash(previous_hash: str, fields: dict[str, object]) -> str:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"{previous_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    head: str  # the last event's hash (GENESIS when there is none)
    broken_at: int | None  # the id of the first event whose link or hash fails
    reason: str


def verify(events: list[Event]) -> Verdict:
    """Check the chain in id order: each event's previous hash is the one before's hash, and its
    own hash matches its fields. The first break is named."""
    previous = GENESIS
    for event in events:
        if event.previous_hash != previous:
            return Verdict(
                False,
                len(events),
                previous,
                event.id,
                f"event {event.id} does not follow the event before it: an event before it "
                "was removed or altered",
            )
        if chain_hash(previous, event.fields()) != event.hash:
            return Verdict(
                False,
                len(events),
                previous,
                event.id,
                f"event {event.id} was altered after it was recorded (its hash does not match)",
            )
        previous = event.hash
    return Verdict(True, len(events), previous, None, f"{len(events)} events, chain intact")


ACTION_WORDS = {"R": "looked at", "C": "asked for"}


def describe(event: Event, tz_name: str = "UTC") -> str:
    """The event in plain words for the person's disclosure log."""
    when = event.recorded_at.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M")
    kinds = event.kinds.replace(" ", ", ") or "no data"
    verb = ACTION_WORDS.get(event.action, event.action)
    return f"{when}: {event.actor_name} {verb} your {kinds} ({event.period}) via {event.what}"
