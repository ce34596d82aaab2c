"""Per local day: doses, grams of leaf, mg mitragynine and 7-OH, first dose, gaps between doses;
days of use per week; the daily check-in series; the summary every page shows.

- A day on or after the first logged use with nothing logged counts as a day without use (0 g);
  days before the first logged use are unknown, never 0.
- A dose is a dose whatever its unit: every use counts in doses and days of use.
- Grams of leaf add up the doses of leaf products (powder, capsules); a leaf dose whose weight is
  not known makes that day's grams unknown (a partial sum would understate). Extracts, shots and
  7-OH products are never grams of leaf: mitragynine (mg) is its own figure where every non-7-OH
  dose had a labelled content, and 7-OH products their own line (doses and mg 7-OH).
- Only whole days are summarised: the caller passes the last day that has ended in the person's
  zone; today is shown apart ("so far today").
The identity grams per day = leaf doses per day x grams per dose holds for the days with known
grams.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from mitra.domain.journal import CHECKIN_SCALES, CheckIn, UseEvent
from mitra.domain.products import Product, is_seven_oh
from mitra.domain.units import LEAF_FORMS


class DoseKind(StrEnum):
    """What a dose is counted as: leaf (powder, capsules), a 7-OH product, or other (extracts,
    shots: mitragynine from their label, never grams of leaf)."""

    LEAF = "leaf"
    SEVEN_OH = "seven_oh"
    OTHER = "other"


@dataclass(frozen=True)
class DayUse:
    day: date
    doses: int
    grams_leaf: float | None
    mg_mitragynine: float | None
    first_dose_hour: float | None
    gaps_hours: tuple[float, ...] = ()
    leaf_doses: int | None = None  # None: every dose was leaf
    doses_7oh: int = 0
    mg_7oh: float | None = 0.0
    doses_unknown: int = 0  # doses with no standard amount (no grams of leaf, no label mg)
    units_7oh: tuple[str, ...] = ()

    @property
    def observed(self) -> bool:
        """On or after the first logged use (days before it are unknown)."""
        return self.doses > 0 or self.grams_leaf is not None

    @property
    def doses_of_leaf(self) -> int:
        return self.doses if self.leaf_doses is None else self.leaf_doses

    @property
    def grams_per_dose(self) -> float | None:
        if self.grams_leaf is None or self.doses_of_leaf == 0:
            return None
        return self.grams_leaf / self.doses_of_leaf

    @property
    def grams_if_only_leaf(self) -> float | None:
        """Grams of leaf when every dose that day was leaf (a day with an extract or a 7-OH
        product has an exposure grams cannot describe): the n-of-1 analysis uses this."""
        return self.grams_leaf if self.doses_of_leaf == self.doses else None


@dataclass(frozen=True)
class WeekUse:
    week_start: date
    days_known: int
    days_of_use: int


@dataclass(frozen=True)
class CheckinDay:
    day: date
    ratings: dict[str, float | None]


def days_between(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _hour(at: datetime) -> float:
    return at.hour + at.minute / 60 + at.second / 3600


def _sum_or_none(values: Sequence[float | None]) -> float | None:
    if any(v is None for v in values):
        return None
    return round(sum(v for v in values if v is not None), 4)


def dose_kinds(products: Iterable[Product]) -> dict[int, DoseKind]:
    """What each product's doses count as: a 7-OH product (by form, or a labelled 7-OH content),
    leaf (powder, capsules), or other."""
    kinds = {}
    for product in products:
        if product.id is None:
            continue
        if is_seven_oh(product):
            kinds[product.id] = DoseKind.SEVEN_OH
        elif product.form in LEAF_FORMS:
            kinds[product.id] = DoseKind.LEAF
        else:
            kinds[product.id] = DoseKind.OTHER
    return kinds


def dose_kind(event: UseEvent, kinds: Mapping[int, DoseKind]) -> DoseKind:
    """The kind of a dose by its product; without a product map, by what its conversion gave."""
    if event.product_id in kinds:
        return kinds[event.product_id]
    if event.grams_leaf is not None:
        return DoseKind.LEAF
    return DoseKind.SEVEN_OH if event.mg_7oh is not None else DoseKind.OTHER


def _unknown_amount(event: UseEvent) -> bool:
    return event.grams_leaf is None and event.mg_mitragynine is None and event.mg_7oh is None


def _one_day(
    day: date, times: list[datetime], events: list[UseEvent], kinds: Mapping[int, DoseKind]
) -> DayUse:
    if not events:
        return DayUse(day, 0, 0.0, 0.0, None, leaf_doses=0)
    gaps = tuple(
        round((b - a).total_seconds() / 3600, 4) for a, b in zip(times, times[1:], strict=False)
    )
    kind = [dose_kind(e, kinds) for e in events]
    leaf = [e for e, k in zip(events, kind, strict=True) if k is DoseKind.LEAF]
    seven_oh = [e for e, k in zip(events, kind, strict=True) if k is DoseKind.SEVEN_OH]
    not_7oh = [e for e, k in zip(events, kind, strict=True) if k is not DoseKind.SEVEN_OH]
    return DayUse(
        day,
        len(events),
        _sum_or_none([e.grams_leaf for e in leaf]),
        _sum_or_none([e.mg_mitragynine for e in not_7oh]),
        round(_hour(times[0]), 4),
        gaps,
        leaf_doses=len(leaf),
        doses_7oh=len(seven_oh),
        mg_7oh=_sum_or_none([e.mg_7oh for e in seven_oh]),
        doses_unknown=sum(1 for e in events if _unknown_amount(e)),
        units_7oh=tuple(e.unit for e in seven_oh),
    )


def daily_use(
    uses: Iterable[UseEvent],
    tz: str,
    start: date,
    end: date,
    *,
    used_before: bool = False,
    kinds: Mapping[int, DoseKind] | None = None,
) -> list[DayUse]:
    """One `DayUse` per local day from `start` to `end`; unknown (None) before the first use,
    unless `used_before` says uses were logged before `start`. `kinds` maps product ids to what
    their doses count as (see `DoseKind`)."""
    kinds = kinds or {}
    zone = ZoneInfo(tz)
    by_day: dict[date, list[tuple[datetime, UseEvent]]] = defaultdict(list)
    for event in uses:
        local = event.taken_at.astimezone(zone)
        by_day[local.date()].append((local, event))
    first = start if used_before else min(by_day, default=None)
    out = []
    for day in days_between(start, end):
        if first is None or day < first:
            out.append(DayUse(day, 0, None, None, None))
            continue
        pairs = sorted(by_day.get(day, []), key=lambda p: p[0])
        out.append(_one_day(day, [p[0] for p in pairs], [p[1] for p in pairs], kinds))
    return out


def weekly_use(days: Sequence[DayUse]) -> list[WeekUse]:
    """Days of use per 7-day block, counted back from the last day (the last block is full)."""
    weeks = []
    for stop in range(len(days), 0, -7):
        block = days[max(0, stop - 7) : stop]
        known = [d for d in block if d.observed]
        weeks.append(WeekUse(block[0].day, len(known), sum(1 for d in known if d.doses > 0)))
    return weeks[::-1]


def checkin_days(checkins: Iterable[CheckIn], tz: str, start: date, end: date) -> list[CheckinDay]:
    """One row per day; several check-ins on one day are averaged per scale."""
    zone = ZoneInfo(tz)
    sums: dict[date, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for checkin in checkins:
        day = checkin.recorded_at.astimezone(zone).date()
        for name, value in checkin.ratings().items():
            if value is not None:
                sums[day][name].append(value)
    return [
        CheckinDay(
            day,
            {
                name: (sum(v) / len(v) if (v := sums[day][name]) else None) if day in sums else None
                for name in CHECKIN_SCALES
            },
        )
        for day in days_between(start, end)
    ]


@dataclass(frozen=True)
class UseSummary:
    """Use over a run of whole days. Doses per day and days of use count every dose over the
    days observed (`days_known`: on or after the first logged use). Grams of leaf are averaged
    over the `grams_days` whose grams are known, and there `grams_per_day` =
    `leaf_doses_per_day` x `grams_per_dose` exactly. Mitragynine and 7-OH are their own figures
    over the days their labels allow."""

    days_known: int
    days_of_use: int
    grams_per_day: float | None
    doses_per_day: float | None
    grams_per_dose: float | None
    mg_mitragynine_per_day: float | None
    mg_days: int
    first_dose_hour: float | None
    median_gap_hours: float | None
    grams_days: int = 0
    leaf_doses_per_day: float | None = None
    doses: int = 0
    leaf_doses: int = 0
    doses_unknown: int = 0
    doses_7oh: int = 0
    doses_7oh_per_day: float | None = None
    mg_7oh_per_day: float | None = None
    mg_7oh_days: int = 0
    unit_7oh: str | None = None

    @property
    def first_dose_clock(self) -> str | None:
        """The median first-dose time as HH:MM."""
        if self.first_dose_hour is None:
            return None
        minutes = round(self.first_dose_hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _per_day(total: float, days: int) -> float | None:
    return total / days if days else None


def summarise_use(days: Sequence[DayUse]) -> UseSummary:
    """The one summary of a run of whole days that every page, the report and the API show."""
    observed = [d for d in days if d.observed]
    known = [d for d in observed if d.grams_leaf is not None]
    grams = sum(d.grams_leaf or 0.0 for d in known)
    leaf_doses_known = sum(d.doses_of_leaf for d in known)
    mg_days = [d.mg_mitragynine for d in observed if d.mg_mitragynine is not None]
    mg_7oh_days = [d.mg_7oh for d in observed if d.mg_7oh is not None]
    doses = sum(d.doses for d in observed)
    doses_7oh = sum(d.doses_7oh for d in observed)
    units = Counter(u for d in observed for u in d.units_7oh)
    leaf_doses = sum(d.doses_of_leaf for d in observed)
    if leaf_doses == 0 and doses > 0:
        known = []  # no leaf product at all: grams of leaf do not describe this use
    if doses and doses_7oh == doses:
        mg_days = []  # only 7-OH products: their mitragynine is not on the label
    return UseSummary(
        days_known=len(observed),
        days_of_use=sum(1 for d in observed if d.doses > 0),
        grams_per_day=_per_day(grams, len(known)),
        doses_per_day=_per_day(doses, len(observed)),
        grams_per_dose=grams / leaf_doses_known if leaf_doses_known else None,
        mg_mitragynine_per_day=_per_day(sum(mg_days), len(mg_days)),
        mg_days=len(mg_days),
        first_dose_hour=_median([d.first_dose_hour for d in days if d.first_dose_hour is not None]),
        median_gap_hours=_median([gap for d in days for gap in d.gaps_hours]),
        grams_days=len(known),
        leaf_doses_per_day=_per_day(leaf_doses_known, len(known)),
        doses=doses,
        leaf_doses=leaf_doses,
        doses_unknown=sum(d.doses_unknown for d in observed),
        doses_7oh=doses_7oh,
        doses_7oh_per_day=_per_day(doses_7oh, len(observed)) if doses_7oh else None,
        mg_7oh_per_day=_per_day(sum(mg_7oh_days), len(mg_7oh_days)) if doses_7oh else None,
        mg_7oh_days=len(mg_7oh_days) if doses_7oh else 0,
        unit_7oh=units.most_common(1)[0][0] if units else None,
    )


def describe_decomposition(earlier: UseSummary, later: UseSummary) -> str | None:
    """'Daily amount = doses per day x amount per dose', earlier half against later half."""
    parts = (earlier.grams_per_day, later.grams_per_day, earlier.grams_per_dose)
    if any(p is None for p in parts) or later.grams_per_dose is None:
        return None
    assert earlier.leaf_doses_per_day is not None and later.leaf_doses_per_day is not None
    return (
        f"Daily amount went from {earlier.grams_per_day:.1f} g to {later.grams_per_day:.1f} g "
        f"(first half of the period against the second): doses per day "
        f"{earlier.leaf_doses_per_day:.1f} to {later.leaf_doses_per_day:.1f}, amount per dose "
        f"{earlier.grams_per_dose:.1f} g to {later.grams_per_dose:.1f} g. "
        "Daily amount = doses per day x amount per dose."
    )


def _on_days(count: int, what: str) -> str:
    return f"{count} day{'' if count == 1 else 's'} {what}"


def _plural(count: float, unit: str) -> str:
    return unit if count == 1 or unit in {"g", "mg", "ml"} else f"{unit}s"


def describe_use(s: UseSummary) -> tuple[tuple[str, str], ...]:
    """The summary as (label, value) rows, in the words Home, insights, the CLI and the report
    all print, so they cannot disagree."""
    if s.days_known == 0:
        return (("Days with any use", "no use logged in this period"),)
    rows = [
        ("Days with any use", f"{s.days_of_use} of {s.days_known}"),
        ("Doses per day", f"{s.doses_per_day or 0:.1f} (every dose, any unit)"),
    ]
    if s.leaf_doses == 0 and s.doses > 0:
        rows.append(("Grams of leaf per day", "no leaf products in this period"))
    elif s.grams_per_day is None:
        rows.append(("Grams of leaf per day", "not known (leaf doses without a known weight)"))
    else:
        rows.append(
            (
                "Grams of leaf per day",
                f"{s.grams_per_day:.1f} g ({_on_days(s.grams_days, 'with known grams')})",
            )
        )
        if s.grams_per_dose is not None:
            rows.append(("Grams per leaf dose", f"{s.grams_per_dose:.1f} g"))
    if s.mg_mitragynine_per_day is not None:
        rows.append(
            (
                "Mitragynine per day, from labels",
                f"{s.mg_mitragynine_per_day:.0f} mg "
                f"({_on_days(s.mg_days, 'with every dose labelled')})",
            )
        )
    if s.doses_7oh and s.doses_7oh_per_day is not None:
        unit = _plural(s.doses_7oh_per_day, s.unit_7oh or "dose")
        mg = (
            f", {s.mg_7oh_per_day:.0f} mg 7-OH a day"
            if s.mg_7oh_per_day is not None
            else ", mg 7-OH not known (no labelled content)"
        )
        rows.append(("7-OH products", f"{s.doses_7oh_per_day:.1f} {unit} a day{mg}"))
    if s.doses:
        share = round(100 * s.doses_unknown / s.doses)
        rows.append(("Doses with an unknown amount", f"{s.doses_unknown} of {s.doses} ({share}%)"))
    rows.append(("Usual first dose (median)", s.first_dose_clock or "—"))
    if s.median_gap_hours is not None:
        rows.append(("Usual gap between doses (median)", f"{s.median_gap_hours:.1f} hours"))
    return tuple(rows)
