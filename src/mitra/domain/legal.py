"""7-OH law as thresholds and dated events, and a product's label compared with them.

The enums' values are the codes the knowledge files use (the loader parses them with
`mitra.domain.checks.parse_enum`, naming the field and the choices on a bad code).

Pure: no I/O and no clock (`today` is passed in). A jurisdiction's legal entry carries `events`
(a notice of intent, an emergency rule, a statute, an expiry...), each with its date, sources and
any thresholds it sets: *what* is restricted (substance) and *how it is measured* (measure,
operator, value, product scope). The thresholds in force are those of the latest event that set
any, unless a later repeal or expiry ended them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from mitra.domain.evidence import JurisdictionStatus, LegalStatus
from mitra.domain.products import Product, ProductForm

DECIMALS = 6


class Substance(Enum):
    """What a threshold restricts."""

    MITRAGYNINE = "mitragynine"
    SEVEN_OH = "seven_oh"
    DERIVATIVES = "derivatives"


class Measure(Enum):
    """How a threshold is measured."""

    PERCENT_DRY_WEIGHT = "percent_dry_weight"
    PERCENT_TOTAL_WEIGHT = "percent_total_weight"
    PERCENT_ALKALOIDS = "percent_alkaloids"
    MG_PER_ITEM = "mg_per_item"


class Scope(Enum):
    """Which products a threshold applies to."""

    PLANT_MATERIAL = "plant_material"
    EXTRACTS = "extracts"
    ALL = "all"


class Operator(Enum):
    """Restricted when the amount is above (`>`) or at or above (`>=`) the value."""

    ABOVE = ">"
    AT_OR_ABOVE = ">="


class EventType(Enum):
    """What kind of legal change an event is; only `notice_of_intent` is not (yet) law."""

    NOTICE_OF_INTENT = "notice_of_intent"
    TEMPORARY_ORDER = "temporary_order"
    EMERGENCY_RULE = "emergency_rule"
    PERMANENT_RULE = "permanent_rule"
    STATUTE = "statute"
    GUIDANCE = "guidance"
    REPEAL = "repeal"
    EXPIRY = "expiry"


class Outcome(Enum):
    """A label against one threshold (or a set of them)."""

    ABOVE = "above"
    WITHIN = "within"
    UNKNOWN = "unknown"


SUBSTANCE_NAMES = {
    Substance.MITRAGYNINE: "mitragynine",
    Substance.SEVEN_OH: "7-OH",
    Substance.DERIVATIVES: "7-OH derivatives",
}
MEASURE_NAMES = {
    Measure.PERCENT_DRY_WEIGHT: "% of dry weight",
    Measure.PERCENT_TOTAL_WEIGHT: "% of total weight",
    Measure.PERCENT_ALKALOIDS: "% of the alkaloid fraction",
    Measure.MG_PER_ITEM: "mg per item or serving",
}
SCOPE_NAMES = {
    Scope.PLANT_MATERIAL: "plant material",
    Scope.EXTRACTS: "extracts, edibles and other processed products",
    Scope.ALL: "all products",
}
EVENT_NAMES = {
    EventType.NOTICE_OF_INTENT: "notice of intent (not final)",
    EventType.TEMPORARY_ORDER: "temporary order",
    EventType.EMERGENCY_RULE: "emergency rule",
    EventType.PERMANENT_RULE: "permanent rule",
    EventType.STATUTE: "statute",
    EventType.GUIDANCE: "agency statement",
    EventType.REPEAL: "repeal",
    EventType.EXPIRY: "expiry",
}
ENDING = (EventType.REPEAL, EventType.EXPIRY)
PLANT_FORMS = (ProductForm.LEAF_POWDER, ProductForm.CAPSULE)
EXTRACT_FORMS = (ProductForm.EXTRACT, ProductForm.TINCTURE, ProductForm.SEVEN_OH)


@dataclass(frozen=True)
class Threshold:
    """Restricted when the `substance` measured as `measure` is `operator` `value`, for products
    in `scope` (for example 7-OH > 1.00 mg per item in extracts)."""

    substance: Substance
    measure: Measure
    operator: Operator
    value: float
    scope: Scope
    note: str = ""

    def exceeded_by(self, amount: float) -> bool:
        amount = round(amount, DECIMALS)
        if self.operator is Operator.ABOVE:
            return amount > self.value
        return amount >= self.value

    @property
    def text(self) -> str:
        """'7-OH > 1 mg per item or serving (extracts, edibles and other processed products)';
        a limit of more than 0 reads 'in any amount'."""
        name, scope = SUBSTANCE_NAMES[self.substance], SCOPE_NAMES[self.scope]
        if self.value == 0 and self.operator is Operator.ABOVE:
            return f"{name} in any amount ({scope})"
        return (
            f"{name} {self.operator.value} {self.value:g} {MEASURE_NAMES[self.measure]} ({scope})"
        )


@dataclass(frozen=True)
class LegalEvent:
    """One dated change in the law of a place, with its sources and the thresholds it sets.

    `thresholds` is None when the event leaves earlier thresholds as they were (an age limit, an
    agency statement without numbers), and an empty tuple when it replaces them with terms that
    were not seen.
    """

    day: date
    type: EventType
    summary: str
    sources: tuple[str, ...]
    thresholds: tuple[Threshold, ...] | None = None
    seven_oh_status: LegalStatus | None = None

    @property
    def final(self) -> bool:
        """False for a notice of intent: it announces an order that may never come."""
        return self.type is not EventType.NOTICE_OF_INTENT

    @property
    def type_name(self) -> str:
        return EVENT_NAMES[self.type]


def history(events: Iterable[LegalEvent], today: date) -> list[LegalEvent]:
    """Events up to `today`, oldest first (the file's order breaks ties)."""
    return sorted((e for e in events if e.day <= today), key=lambda e: e.day)


def thresholds_event(events: Iterable[LegalEvent], today: date) -> LegalEvent | None:
    """The event whose thresholds are in force on `today`: the latest that set them, unless a
    later repeal or expiry ended it."""
    current: LegalEvent | None = None
    for event in history(events, today):
        if event.thresholds is not None:
            current = event
        elif event.type in ENDING:
            current = None
    return current


def derived_seven_oh_status(events: Iterable[LegalEvent], today: date) -> LegalStatus | None:
    """The 7-OH status set by the latest event (up to `today`) that states one."""
    stated = [e.seven_oh_status for e in history(events, today) if e.seven_oh_status is not None]
    return stated[-1] if stated else None


@dataclass(frozen=True)
class Label:
    """What a product's label says about its 7-OH, and which kind of product it is."""

    scope: Scope
    mg_per_item: float | None = None
    percent_total_weight: float | None = None
    percent_alkaloids: float | None = None
    percent_dry_weight: float | None = None

    def amount(self, measure: Measure) -> float | None:
        return {
            Measure.MG_PER_ITEM: self.mg_per_item,
            Measure.PERCENT_TOTAL_WEIGHT: self.percent_total_weight,
            Measure.PERCENT_ALKALOIDS: self.percent_alkaloids,
            Measure.PERCENT_DRY_WEIGHT: self.percent_dry_weight,
        }[measure]


def label_of(product: Product) -> Label:
    """The 7-OH a product's label states: mg per unit, and % of total weight when the unit's
    weight is known (a custom unit named like the serving unit, e.g. 'tablet' = 0.5 g).
    Leaf powder and capsules count as plant material, extracts, shots and 7-OH products as
    processed; 'other' is compared with both."""
    scope = (
        Scope.PLANT_MATERIAL
        if product.form in PLANT_FORMS
        else Scope.EXTRACTS
        if product.form in EXTRACT_FORMS
        else Scope.ALL
    )
    mg = product.seven_oh_mg_per_unit
    grams = product.unit_grams(product.serving_unit.value) if product.serving_unit else None
    percent = round(mg / (grams * 1000) * 100, DECIMALS) if mg is not None and grams else None
    return Label(scope, mg_per_item=mg, percent_total_weight=percent)


@dataclass(frozen=True)
class Comparison:
    """One threshold against a label, and why the outcome is what it is."""

    threshold: Threshold
    outcome: Outcome
    labelled: float | None
    reason: str


def applies(threshold: Threshold, scope: Scope) -> bool:
    """A threshold for `all` applies to everything; an unknown product kind meets both."""
    return Scope.ALL in (threshold.scope, scope) or threshold.scope is scope


def compare(label: Label, thresholds: Sequence[Threshold]) -> list[Comparison]:
    """Each 7-OH threshold that applies to the product's kind, against the label's amount in
    the threshold's own measure (never converted between measures that need data the label
    lacks)."""
    found = []
    for threshold in thresholds:
        if threshold.substance is not Substance.SEVEN_OH or not applies(threshold, label.scope):
            continue
        amount = label.amount(threshold.measure)
        unit = MEASURE_NAMES[threshold.measure]
        limit = f"{threshold.operator.value} {threshold.value:g}"
        if amount is None:
            reason = f"the label does not give 7-OH as {unit}"
            found.append(Comparison(threshold, Outcome.UNKNOWN, None, reason))
        elif threshold.exceeded_by(amount):
            reason = f"from the label, {amount:g} {unit}, which is {limit}"
            found.append(Comparison(threshold, Outcome.ABOVE, amount, reason))
        else:
            reason = f"from the label, {amount:g} {unit}, which is not {limit}"
            found.append(Comparison(threshold, Outcome.WITHIN, amount, reason))
    return found


def overall(comparisons: Sequence[Comparison]) -> Outcome:
    """Above if any threshold is exceeded; within only if every threshold could be checked."""
    outcomes = {c.outcome for c in comparisons}
    if Outcome.ABOVE in outcomes:
        return Outcome.ABOVE
    if outcomes == {Outcome.WITHIN}:
        return Outcome.WITHIN
    return Outcome.UNKNOWN


@dataclass(frozen=True)
class PlaceVerdict:
    """A product against one place's 7-OH law: the event in force, each comparison, the
    place's 7-OH status, and why this place's law applies (`because`)."""

    code: str
    name: str
    because: str
    status: LegalStatus | None
    event: LegalEvent | None
    comparisons: tuple[Comparison, ...]

    @property
    def outcome(self) -> Outcome:
        return overall(self.comparisons)

    @property
    def sources(self) -> tuple[str, ...]:
        return self.event.sources if self.event is not None else ()


def has_seven_oh_law(entry: JurisdictionStatus) -> bool:
    """An entry says something about 7-OH: a status or events."""
    return entry.seven_oh_status is not None or bool(entry.events)


def verdicts(
    product: Product, places: Sequence[JurisdictionStatus], asked: str, today: date
) -> list[PlaceVerdict]:
    """The product against each place's 7-OH law: `places` is the person's own entry first
    (a state), then its country's (federal). A state without a 7-OH entry gets no verdict of
    its own, and the federal verdict says that the federal status applies for that reason."""
    label = label_of(product)
    own = next((p for p in places if p.code == asked), None)
    found: list[PlaceVerdict] = []
    for place in places:
        if not has_seven_oh_law(place):
            continue
        event = thresholds_event(place.events, today)
        thresholds = event.thresholds or () if event is not None else ()
        comparisons = tuple(compare(label, thresholds))
        because = _because(place, asked, own)
        found.append(
            PlaceVerdict(place.code, place.name, because, place.seven_oh_status, event, comparisons)
        )
    return found


def _because(place: JurisdictionStatus, asked: str, own: JurisdictionStatus | None) -> str:
    if place.code == asked:
        return f"{place.name} is where you live."
    if own is None:
        return f"Mitra has no entry for {asked}, so the federal status applies there."
    if not has_seven_oh_law(own):
        return f"Mitra has no 7-OH entry for {own.name}, so the federal status applies there."
    return f"Federal law applies in {own.name} as well."
