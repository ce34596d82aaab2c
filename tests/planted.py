"""Small instruments shaped like PHQ-9, SOWS and the kratom-use checklist, for tests of planted
demo scores that must not read the knowledge files (domain tests do no I/O)."""

from __future__ import annotations

from mitra.domain.instruments import Instrument
from mitra.domain.instruments.model import Flag, Item, Option, Scoring, ScoringMethod


def scale_instrument(
    instrument_id: str,
    items: int,
    top: int,
    method: ScoringMethod = "sum",
    crisis: bool = False,
) -> Instrument:
    """`items` items scored 0..top (plus a crisis question and an unscored item when asked)."""
    scale = tuple(Option(str(v), v) for v in range(top + 1))
    found = [Item(f"{instrument_id}.q{i}", f"Q{i}", scale) for i in range(1, items + 1)]
    flags: tuple[Flag, ...] = ()
    if crisis:
        found.append(Item(f"{instrument_id}.harm", "Harm", scale))
        found.append(Item(f"{instrument_id}.context", "Context", scale, scored=False))
        flags = (Flag(f"crisis.{instrument_id}", f"{instrument_id}.harm", 1, "Harm"),)
    extra = top if crisis else 0
    return Instrument(
        id=instrument_id,
        title=instrument_id,
        items=tuple(found),
        scoring=Scoring(method, 0, items * top + extra),
        flags=flags,
    )


PLANTED_INSTRUMENTS = {
    "phq9": scale_instrument("phq9", 8, 3, crisis=True),  # open items reach 24, like PHQ-9's
    "sows": scale_instrument("sows", 16, 4),
    "kud_dsm5": scale_instrument("kud_dsm5", 11, 1, method="count"),
}
