"""One seeded generator of realistic synthetic journals, for demos, tests and benchmarks.

Pure: a `random.Random(seed)` and the start time are passed in, so the same seed always gives the
same journal. Knobs: length, dosing pattern, product mix, a planted effect of daily grams on
anxiety that analytics must be able to recover, and (opt-in, `planted_scores`) questionnaire totals
whose expected values are stated functions of the recalled days' use (see `PLANTED`), so a
cohort's true cell means are known exactly.

Given the instruments, it also answers questionnaires on their schedules (PHQ-9 and GAD-7 every
14 days, SOWS and the kratom-use checklist every 30 days while use is regular), loosely following
the days they recall, and scores them with the same `score()` as real answers. Crisis questions
(PHQ-9 question 9) are always answered 0, so a demo never raises a crisis alert. The answers come
from a random stream of their own, so adding them left the rest of a seed's journal unchanged.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mitra.domain.instruments import Instrument, score
from mitra.domain.instruments.model import Number
from mitra.domain.journal import (
    AdverseEffect,
    CheckIn,
    Effect,
    Medication,
    Schedule,
    UseEvent,
    Vital,
    make_use_event,
)
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.responses import CRISIS_PREFIX, QuestionnaireResponse

PATTERNS = ("steady", "escalating", "tapering")
DEMO_PRODUCTS = (
    Product(
        "Red Bali",
        ProductForm.LEAF_POWDER,
        vendor="Demo Botanicals",
        mitragynine_mg_per_g=15,
        custom_units=(("scoop", 2.5),),
        lot="RB-0425",
    ),
    Product(
        "Green Maeng Da capsules",
        ProductForm.CAPSULE,
        vendor="Demo Botanicals",
        custom_units=(("capsule", 0.5),),
    ),
    Product("White Borneo", ProductForm.LEAF_POWDER, vendor="Leafy Demo Co"),
    Product(
        "Extract shot",
        ProductForm.TINCTURE,
        vendor="Shot Demo Inc",
        mitragynine_mg_per_unit=5,
        serving_unit=ServingUnit.ML,
    ),
)


@dataclass(frozen=True)
class DemoUse:
    product_index: int
    amount: float
    unit: str
    taken_at: datetime


@dataclass(frozen=True)
class DemoKnobs:
    days: int = 90
    seed: int = 1
    pattern: str = "steady"
    anxiety_effect_per_g: float = 0.0
    tz: str = "UTC"
    # how often each of DEMO_PRODUCTS is chosen for a dose (Red Bali, capsules, White Borneo, shot)
    product_weights: tuple[int, int, int, int] = (6, 3, 2, 1)
    planted_scores: bool = False  # PHQ-9, SOWS, checklist totals planted (PLANTED), else as usual


@dataclass
class DemoJournal:
    products: list[Product] = field(default_factory=list)
    uses: list[DemoUse] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    effects: list[AdverseEffect] = field(default_factory=list)
    vitals: list[Vital] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)
    responses: list[QuestionnaireResponse] = field(default_factory=list)
    # planted_scores only: (instrument id, taken at) -> the response's expected total
    expected_totals: dict[tuple[str, datetime], int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoDay:
    """One generated day: its local midnight, grams taken, the check-in (if any), the uses."""

    start: datetime
    grams: float
    checkin: CheckIn | None
    uses: tuple[DemoUse, ...] = ()


def _daily_grams(pattern: str, day: int, days: int, rng: random.Random) -> float:
    progress = day / max(days - 1, 1)
    base = {"steady": 4.0, "escalating": 2.0 + 8.0 * progress, "tapering": 8.0 - 6.5 * progress}
    return max(0.0, base[pattern] + rng.gauss(0, 1.2))


def _day_uses(
    grams: float, day_start: datetime, rng: random.Random, weights: Sequence[int]
) -> list[DemoUse]:
    doses = 1 + min(3, int(grams // 3)) if grams > 0.5 else 0
    uses = []
    hour = rng.uniform(6.5, 10)
    for _ in range(doses):
        index = rng.choices((0, 1, 2, 3), weights=weights)[0]
        per_dose = grams / doses
        if index == 1:
            amount, unit = float(max(1, round(per_dose / 0.5))), "capsule"
        elif index == 3:
            amount, unit = round(max(1.0, per_dose), 1), "ml"
        else:
            amount, unit = round(max(0.5, per_dose), 1), "g"
        uses.append(DemoUse(index, amount, unit, day_start + timedelta(hours=hour)))
        hour = min(hour + rng.uniform(3, 6), 23.5)
    return uses


def generate(
    knobs: DemoKnobs, now: datetime, instruments: Mapping[str, Instrument] | None = None
) -> DemoJournal:
    """A journal of `knobs.days` days ending today (in knobs.tz), with nothing later than `now`;
    with `instruments`, questionnaire responses too (see the module's docstring)."""
    rng = random.Random(knobs.seed)
    zone = ZoneInfo(knobs.tz)
    today = now.astimezone(zone).date()
    journal = DemoJournal(products=list(DEMO_PRODUCTS))
    journal.medications.append(
        Medication(
            "Sertraline",
            dose_text="50 mg daily",
            schedule=Schedule.SCHEDULED,
            started_on=today - timedelta(days=knobs.days + 200),
        )
    )
    noise = 0.0
    days: list[DemoDay] = []
    for offset in range(knobs.days):
        day = today - timedelta(days=knobs.days - 1 - offset)
        start = datetime(day.year, day.month, day.day, tzinfo=zone)
        grams = _daily_grams(knobs.pattern, offset, knobs.days, rng)
        uses = _day_uses(grams, start, rng, knobs.product_weights)
        journal.uses.extend(uses)
        noise = 0.5 * noise + rng.gauss(0, 1.0)
        checkin = _checkin(knobs, grams, noise, start, rng) if rng.random() < 0.9 else None
        if checkin is not None:
            journal.checkins.append(checkin)
        days.append(DemoDay(start, grams, checkin, tuple(uses)))
        if rng.random() < 0.06:
            effect = rng.choice(
                [Effect.NAUSEA, Effect.CONSTIPATION, Effect.ITCHING, Effect.INSOMNIA]
            )
            journal.effects.append(
                AdverseEffect(start + timedelta(hours=14), knobs.tz, effect, rng.randint(2, 6))
            )
        if offset % 7 == 3:
            journal.vitals.append(
                Vital(
                    start + timedelta(hours=9),
                    knobs.tz,
                    heart_rate=rng.randint(62, 96),
                    systolic=rng.randint(112, 138),
                    diastolic=rng.randint(70, 88),
                )
            )
    answered = scored_responses(days, instruments or {}, knobs)
    journal.responses = [response for response, _ in answered]
    journal.expected_totals = {
        (r.instrument_id, r.taken_at): expected for r, expected in answered if expected is not None
    }
    return _until(journal, now)


def _until(journal: DemoJournal, now: datetime) -> DemoJournal:
    journal.uses = [u for u in journal.uses if u.taken_at <= now]
    journal.checkins = [c for c in journal.checkins if c.recorded_at <= now]
    journal.effects = [e for e in journal.effects if e.occurred_at <= now]
    journal.vitals = [v for v in journal.vitals if v.measured_at <= now]
    journal.responses = [r for r in journal.responses if r.taken_at <= now]
    return journal


# Every how many days each instrument is answered; the answers recall that many days.
QUESTIONNAIRE_DAYS: Mapping[str, int] = {"phq9": 14, "gad7": 14, "sows": 30, "kud_dsm5": 30}
REGULAR_USE_ONLY = frozenset({"sows", "kud_dsm5"})
ANSWER_HOUR = 20  # answered in the evening, before that day's check-in
ANSWER_NOISE = 0.45  # standard deviation of an answer around its expected value, in points


@dataclass(frozen=True)
class Recall:
    """What the recalled days were like: mean ratings (5.5 / 2 when no check-in), use days."""

    mood: float
    anxiety: float
    craving: float
    grams: float
    use_days: int

    @classmethod
    def of(cls, days: Sequence[DemoDay]) -> Recall:
        checkins = [d.checkin for d in days if d.checkin is not None]

        def mean(name: str, default: float) -> float:
            values = [v for c in checkins if (v := getattr(c, name)) is not None]
            return sum(values) / len(values) if values else default

        return cls(
            mood=mean("mood", 5.5),
            anxiety=mean("anxiety", 5.5),
            craving=mean("craving", 2.0),
            grams=sum(d.grams for d in days) / len(days),
            use_days=sum(1 for d in days if d.grams > 0.5),
        )


def _fraction(value: float) -> float:
    return max(0.0, min(1.0, value))


# How far up its answer scale each instrument's items are expected to be, for a recalled period.
LEVELS: Mapping[str, Callable[[Recall], float]] = {
    "phq9": lambda r: _fraction(0.3 + 0.2 * (5.5 - r.mood)),  # mood 5.5: PHQ-9 about 7 (mild)
    "gad7": lambda r: _fraction(0.3 + 0.2 * (r.anxiety - 5.5)),  # anxiety 5.5: GAD-7 about 6
    "sows": lambda r: _fraction(r.craving / 30),
    "kud_dsm5": lambda r: _fraction(0.03 * r.grams + 0.02 * r.craving),
}


def _is_regular(recall: Recall, days: int) -> bool:
    """Regular use, for the demo: kratom on at least half of the recalled days."""
    return 2 * recall.use_days >= days


def demo_responses(
    days: Sequence[DemoDay], instruments: Mapping[str, Instrument], knobs: DemoKnobs
) -> list[QuestionnaireResponse]:
    """Scored responses on the demo schedule, each answered at the end of its recall window."""
    return [response for response, _ in scored_responses(days, instruments, knobs)]


def scored_responses(
    days: Sequence[DemoDay], instruments: Mapping[str, Instrument], knobs: DemoKnobs
) -> list[tuple[QuestionnaireResponse, int | None]]:
    """Each response with its expected total when that total was planted (else None)."""
    rng = random.Random(f"mitra-demo-questionnaires-{knobs.seed}")
    found: list[tuple[QuestionnaireResponse, int | None]] = []
    for offset, day in enumerate(days):
        for instrument_id, every in QUESTIONNAIRE_DAYS.items():
            instrument = instruments.get(instrument_id)
            if instrument is None or (offset + 1) % every:
                continue
            window = days[offset + 1 - every : offset + 1]
            recall = Recall.of(window)
            if instrument_id in REGULAR_USE_ONLY and not _is_regular(recall, every):
                continue
            expected = None
            if knobs.planted_scores and instrument_id in PLANTED:
                expected = planted_total(instrument, PLANTED[instrument_id](window))
                noise = rng.randint(-PLANTED_NOISE, PLANTED_NOISE)
                answers = planted_answers(instrument, expected + noise, rng)
            else:
                answers = demo_answers(instrument, LEVELS[instrument_id](recall), rng)
            taken_at = day.start + timedelta(hours=ANSWER_HOUR)
            response = QuestionnaireResponse(taken_at, knobs.tz, score(instrument, answers))
            found.append((response, expected))
    return found


def demo_answers(
    instrument: Instrument, level: float, rng: random.Random
) -> dict[str, Number | None]:
    """Each item answered near `level` of its scale (0 = lowest option, 1 = highest); crisis
    questions and unscored items get their lowest option."""
    lowest_only = {f.item for f in instrument.flags if f.code.startswith(CRISIS_PREFIX)}
    answers: dict[str, Number | None] = {}
    for item in instrument.items:
        allowed = item.allowed_values
        low, high = min(allowed), max(allowed)
        if item.id in lowest_only or not item.scored:
            answers[item.id] = low
            continue
        target = low + level * (high - low) + rng.gauss(0, ANSWER_NOISE)
        answers[item.id] = min(allowed, key=lambda v: (abs(v - target), v))
    return answers


# Planted totals (DemoKnobs.planted_scores). A planted response's total is its expected value (the
# stated function below of the recalled days, rounded, kept PLANTED_NOISE inside the totals the
# answerable items can reach) plus a whole number drawn evenly from -PLANTED_NOISE..PLANTED_NOISE.
# The noise is symmetric and never pushed back by a bound, so the expectation is exact.
PLANTED_NOISE = 2
FORM_CHECKLIST: Mapping[str, float] = {"leaf_powder": 2, "capsule": 4, "tincture": 6}
OTHER_FORM_CHECKLIST = 3.0


def grams_per_use_day(days: Sequence[DemoDay]) -> float:
    """Mean planned grams on the days with any use (0 with none)."""
    used = [d.grams for d in days if d.uses]
    return sum(used) / len(used) if used else 0.0


def doses_per_use_day(days: Sequence[DemoDay]) -> float:
    """Mean number of uses on the days with any use (0 with none)."""
    used = [len(d.uses) for d in days if d.uses]
    return sum(used) / len(used) if used else 0.0


def main_form(days: Sequence[DemoDay]) -> str | None:
    """The product form of most uses (ties to the first name), None without uses."""
    forms = Counter(DEMO_PRODUCTS[u.product_index].form.value for d in days for u in d.uses)
    return min(forms, key=lambda f: (-forms[f], f)) if forms else None


def _checklist_level(days: Sequence[DemoDay]) -> float:
    form = main_form(days)
    return FORM_CHECKLIST.get(form, OTHER_FORM_CHECKLIST) if form else OTHER_FORM_CHECKLIST


# The expected total of each planted instrument, from the days its answers recall.
PLANTED: Mapping[str, Callable[[Sequence[DemoDay]], float]] = {
    "phq9": lambda days: 4 + grams_per_use_day(days),  # one point per gram a use day
    "sows": lambda days: 2 + 4 * doses_per_use_day(days),  # four points per dose a use day
    "kud_dsm5": _checklist_level,  # by main form: leaf 2, capsule 4, tincture 6, other 3
}


def _open_items(instrument: Instrument) -> dict[str, tuple[Number, int]]:
    """Scored items a planted answer may raise (not crisis questions): lowest value, steps up."""
    crisis = {f.item for f in instrument.flags if f.code.startswith(CRISIS_PREFIX)}
    return {
        i.id: (min(i.allowed_values), int(max(i.allowed_values) - min(i.allowed_values)))
        for i in instrument.items
        if i.scored and i.id not in crisis
    }


def planted_total(instrument: Instrument, value: float) -> int:
    """`value` rounded and kept PLANTED_NOISE inside the totals the open items can reach."""
    reachable = sum(steps for _, steps in _open_items(instrument).values())
    return max(PLANTED_NOISE, min(reachable - PLANTED_NOISE, round(value)))


def planted_answers(
    instrument: Instrument, total: int, rng: random.Random
) -> dict[str, Number | None]:
    """Answers `total` steps above the lowest options: one step at a time, each to a random open
    item among those raised least so far (so a count of items answered above their lowest equals
    the sum); crisis questions and unscored items get their lowest option. For scales in steps of
    one, such as PHQ-9, SOWS and the checklist."""
    open_items = _open_items(instrument)
    raised = dict.fromkeys(open_items, 0)
    for _ in range(total):
        free = [item for item, (_, steps) in open_items.items() if raised[item] < steps]
        least = min(raised[item] for item in free)
        raised[rng.choice([item for item in free if raised[item] == least])] += 1
    answers: dict[str, Number | None] = {i.id: min(i.allowed_values) for i in instrument.items}
    for item, (lowest, _) in open_items.items():
        answers[item] = lowest + raised[item]
    return answers


def _checkin(
    knobs: DemoKnobs, grams: float, noise: float, start: datetime, rng: random.Random
) -> CheckIn:
    def rating(value: float) -> int:
        return max(0, min(10, round(value)))

    anxiety = 5.5 + knobs.anxiety_effect_per_g * grams + noise
    return CheckIn(
        recorded_at=start + timedelta(hours=21),
        tz=knobs.tz,
        mood=rating(5.5 - 0.5 * noise + rng.gauss(0, 1)),
        anxiety=rating(anxiety),
        pain=rating(4 + rng.gauss(0, 1.5)),
        sleep=rating(6 + rng.gauss(0, 1.5)),
        craving=rating(2 + 0.4 * grams + rng.gauss(0, 1)),
    )


def demo_use_events(
    journal: DemoJournal,
    now: datetime,
    tz: str = "UTC",
    products: Sequence[Product] | None = None,
) -> list[UseEvent]:
    """The journal's uses converted with their products' labels (checked like any use).

    `products` are the journal's products as stored (with their ids); without them, products are
    numbered by position, for analytics tests and benchmarks that skip the store.
    """
    stored = products or [replace(p, id=i) for i, p in enumerate(journal.products)]
    return [
        make_use_event(
            stored[u.product_index],
            amount=u.amount,
            unit=u.unit,
            taken_at=u.taken_at,
            tz=tz,
            now=now,
        )
        for u in journal.uses
    ]
