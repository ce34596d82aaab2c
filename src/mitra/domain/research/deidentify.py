"""The three de-identification tiers, applied to one person's journal for one study.

- aggregate (HIPAA Safe Harbor style): no date finer than the year, no free text, ages over 89 as
  "90+", weekly aggregates only (weeks counted from the person's first record, never dated);
- registered: every date moved by one random whole number of weeks per person (so weekdays keep),
  quasi-identifiers generalised to year of birth, sex and state, no free text;
- controlled: exact dates (a limited data set), still without direct identifiers or free text.

No tier carries a name, a note, a product name, vendor or lot, or the date shift itself. Grams of
leaf never include a 7-OH product: those count only as mg of 7-OH.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol, TypeVar

from mitra.domain.research.study import Study, Tier
from mitra.errors import Problems

ALL_TIERS: Final = frozenset(Tier)
DETAILED: Final = frozenset({Tier.REGISTERED, Tier.CONTROLLED})
SHIFT_WEEKS: Final = 26  # a registered shift is drawn from -26..26 weeks, never 0
OLDEST_AGE: Final = 89  # Safe Harbor: ages over 89 leave as "90+"
SEXES: Final = ("female", "male", "other", "unknown")

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # str, int, float, bool, date, timestamp
    form: str  # how the value leaves, in plain words ("{date}" is the tier's date form)
    tiers: frozenset[Tier] = ALL_TIERS


@dataclass(frozen=True)
class Table:
    name: str
    kind: str  # the study kind that brings it ("person" always leaves)
    columns: tuple[Column, ...]
    tiers: frozenset[Tier] = ALL_TIERS


DATE_FORMS: Final = {
    Tier.AGGREGATE: "not included (year and week number only)",
    Tier.REGISTERED: "the date moved by your secret whole-week shift",
    Tier.CONTROLLED: "the exact date",
}
YEAR_FORMS: Final = {
    Tier.AGGREGATE: "the year only",
    Tier.REGISTERED: "the year of the shifted date",
    Tier.CONTROLLED: "the year",
}
_PID = Column("person_id", "str", "a random study number, not linked to you anywhere else")
_WEEK = Column("week", "int", "weeks since your first record in the study period")
_YEAR = Column("year", "int", "{year}")
_DAY = Column("day", "date", "{date}", DETAILED)

TABLES: Final = (
    Table(
        "persons",
        "person",
        (
            _PID,
            Column("year_of_birth", "int", "year of birth (left out if you are over 89)", DETAILED),
            Column("age", "str", "age in whole years; over 89 as 90+"),
            Column("sex", "str", "female, male, other or unknown, as you answer"),
            Column("state", "str", "state or country code (e.g. US-FL), as you answer"),
        ),
    ),
    Table(
        "uses",
        "uses",
        (
            _PID,
            _DAY,
            Column("taken_at", "timestamp", "{date} and clock time", DETAILED),
            _WEEK,
            Column("form", "str", "product form (leaf powder, capsule, ..., 7-OH product)"),
            Column("amount", "float", "amount as entered"),
            Column("unit", "str", "unit as entered (g, capsule, ml, ...)"),
            Column("grams_leaf", "float", "grams of leaf (never from a 7-OH product)"),
            Column("mg_mitragynine", "float", "mg mitragynine where the label allows"),
            Column("mg_7oh", "float", "mg 7-OH where the label allows"),
            Column("labelled_mg_per_g", "float", "the label's mitragynine mg per g"),
            Column("labelled_mg_per_unit", "float", "the label's mitragynine mg per unit"),
            Column("serving_unit", "str", "what the label's 'per unit' means"),
        ),
        DETAILED,
    ),
    Table(
        "weekly_uses",
        "uses",
        (
            _PID,
            _YEAR,
            _WEEK,
            Column("use_days", "int", "days with any use in the week"),
            Column("doses", "int", "uses in the week"),
            Column("grams_leaf", "float", "grams of leaf in the week (7-OH products excluded)"),
            Column("mg_mitragynine", "float", "mg mitragynine in the week, where labels allow"),
            Column("mg_7oh", "float", "mg 7-OH in the week, where labels allow"),
            Column("seven_oh_doses", "int", "uses of 7-OH products in the week"),
            Column("main_form", "str", "the product form used most that week"),
        ),
    ),
    Table(
        "responses",
        "questionnaires",
        (
            _PID,
            Column("response_no", "int", "the response's number among yours"),
            Column("instrument", "str", "questionnaire id (phq9, gad7, sows, ...)"),
            Column("total", "float", "total score"),
            Column("complete", "bool", "whether every item was answered"),
            _YEAR,
            _WEEK,
            _DAY,
        ),
    ),
    Table(
        "response_items",
        "questionnaires",
        (
            _PID,
            Column("response_no", "int", "the response it belongs to"),
            Column("item", "str", "item id (e.g. phq9.q1)"),
            Column("loinc", "str", "the item's LOINC code, where it has one"),
            Column("value", "float", "your answer's value"),
        ),
        DETAILED,
    ),
    Table(
        "checkins",
        "checkins",
        (
            _PID,
            _DAY,
            _WEEK,
            *(Column(s, "int", f"{s} rating 0-10") for s in ("mood", "anxiety", "pain")),
            *(Column(s, "int", f"{s} rating 0-10") for s in ("sleep", "craving")),
        ),
        DETAILED,
    ),
    Table(
        "weekly_checkins",
        "checkins",
        (
            _PID,
            _YEAR,
            _WEEK,
            Column("checkins", "int", "check-ins in the week"),
            *(Column(f"{s}_mean", "float", f"mean {s} rating in the week") for s in ("mood",)),
            *(
                Column(f"{s}_mean", "float", f"mean {s} rating in the week")
                for s in ("anxiety", "pain", "sleep", "craving")
            ),
        ),
    ),
)
TABLES_BY_NAME: Final = {t.name: t for t in TABLES}
TABLE_TITLES: Final = {
    "persons": "About you",
    "uses": "Each use of kratom",
    "weekly_uses": "Your uses, week by week",
    "responses": "Questionnaire totals",
    "response_items": "Questionnaire answers, item by item",
    "checkins": "Each daily check-in",
    "weekly_checkins": "Your check-ins, week by week",
}
RATINGS: Final = ("mood", "anxiety", "pain", "sleep", "craving")


@dataclass(frozen=True)
class FieldLeaving:
    table: str
    field: str
    form: str


def tables_for(study: Study) -> tuple[Table, ...]:
    kinds = {"person", *study.kinds}
    return tuple(t for t in TABLES if study.tier in t.tiers and t.kind in kinds)


def fields_leaving(study: Study) -> list[FieldLeaving]:
    """Exactly which fields leave, and in what form, for this study's kinds and tier."""
    return [
        FieldLeaving(
            t.name, c.name, c.form.format(date=DATE_FORMS[study.tier], year=YEAR_FORMS[study.tier])
        )
        for t in tables_for(study)
        for c in t.columns
        if study.tier in c.tiers
    ]


@dataclass(frozen=True)
class Donor:
    """What the person says about themselves for the study (quasi-identifiers)."""

    birth_year: int | None
    sex: str
    state: str


_REGION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


def donor_from_answers(birth_year: str | int | None, sex: str, state: str, year: int) -> Donor:
    """The person's answers, checked whole: a year of birth from 1900 to `year` (or none; a form's
    text or the CLI's number), one of `SEXES`, and an ISO 3166 code for the state or country (or
    none). A free-text place is refused (it could hold anything, a name included)."""
    problems = Problems()
    born: int | None = birth_year if isinstance(birth_year, int) else None
    if isinstance(birth_year, str) and birth_year.strip():
        try:
            born = int(birth_year.strip())
        except ValueError:
            problems.add("birth_year", f"must be a year such as 1984, got {birth_year!r}")
    if born is not None and not 1900 <= born <= year:
        problems.add("birth_year", f"must be from 1900 to {year}, got {born}")
    chosen = sex.strip().lower() or "unknown"
    if chosen not in SEXES:
        problems.add("sex", f"one of {', '.join(SEXES)}")
    region = state.strip().upper()
    if region and not _REGION.match(region):
        problems.add("state", f"an ISO 3166 code such as US-FL or GB, got {state!r}")
    problems.raise_if_any()
    return Donor(born, chosen, region)


@dataclass(frozen=True)
class SourceUse:
    at: datetime  # local wall-clock time of the use
    form: str
    seven_oh: bool
    amount: float
    unit: str
    grams_leaf: float | None
    mg_mitragynine: float | None
    mg_7oh: float | None
    labelled_mg_per_g: float | None = None
    labelled_mg_per_unit: float | None = None
    serving_unit: str | None = None


@dataclass(frozen=True)
class SourceResponse:
    at: datetime
    instrument: str
    total: float | None
    complete: bool
    items: tuple[tuple[str, str | None, float | None], ...] = ()  # item id, LOINC, value


@dataclass(frozen=True)
class SourceCheckin:
    at: datetime
    ratings: Mapping[str, int | None]


@dataclass(frozen=True)
class SourceJournal:
    uses: Sequence[SourceUse] = ()
    responses: Sequence[SourceResponse] = ()
    checkins: Sequence[SourceCheckin] = ()


def age_text(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    return "90+" if age > OLDEST_AGE else str(age)


def draw_shift(rng_value: float) -> int:
    """A shift in whole weeks from a uniform draw in [0, 1): -26..26, never 0."""
    weeks = int(rng_value * 2 * SHIFT_WEEKS) - SHIFT_WEEKS
    return weeks if weeks < 0 else weeks + 1


def deidentify(
    study: Study,
    journal: SourceJournal,
    donor: Donor,
    *,
    person_id: str,
    shift_weeks: int,
    today: date,
) -> dict[str, list[Row]]:
    """The study's tables for one person: only its kinds, only its period, in its tier's form."""
    tier = study.tier
    shift = timedelta(weeks=shift_weeks if tier is Tier.REGISTERED else 0)
    uses = [u for u in journal.uses if study.covers(u.at.date())] if "uses" in study.kinds else []
    responses = (
        [r for r in journal.responses if study.covers(r.at.date())]
        if "questionnaires" in study.kinds
        else []
    )
    checkins = (
        [c for c in journal.checkins if study.covers(c.at.date())]
        if "checkins" in study.kinds
        else []
    )
    days = [u.at.date() for u in uses] + [r.at.date() for r in responses]
    days += [c.at.date() for c in checkins]
    first = min(days, default=study.period_start)

    def week(moment: datetime) -> int:
        return (moment.date() - first).days // 7

    def year(moment: datetime) -> int:
        return (moment + shift).year

    detailed = tier in DETAILED
    out: dict[str, list[Row]] = {t.name: [] for t in tables_for(study)}
    out["persons"].append(_person(donor, person_id, today, tier))
    for use in sorted(uses, key=lambda u: u.at):
        if detailed:
            out["uses"].append(_use_row(use, person_id, week(use.at), shift))
    if "uses" in study.kinds:
        out["weekly_uses"] = _weekly(uses, person_id, week, year, _uses_in_week)
    for number, response in enumerate(sorted(responses, key=lambda r: r.at), start=1):
        when = response.at + shift
        out["responses"].append(
            {
                "person_id": person_id,
                "response_no": number,
                "instrument": response.instrument,
                "total": response.total,
                "complete": response.complete,
                "year": when.year,
                "week": week(response.at),
                **({"day": when.date()} if detailed else {}),
            }
        )
        if detailed:
            out["response_items"].extend(
                {"person_id": person_id, "response_no": number, "item": i, "loinc": c, "value": v}
                for i, c, v in response.items
            )
    if "checkins" in study.kinds:
        ordered = sorted(checkins, key=lambda c: c.at)
        if detailed:
            out["checkins"] = [
                {
                    "person_id": person_id,
                    "day": (c.at + shift).date(),
                    "week": week(c.at),
                    **{s: c.ratings.get(s) for s in RATINGS},
                }
                for c in ordered
            ]
        out["weekly_checkins"] = _weekly(ordered, person_id, week, year, _checkins_in_week)
    return out


def _person(donor: Donor, person_id: str, today: date, tier: Tier) -> Row:
    age = age_text(donor.birth_year, today.year)
    row: Row = {
        "person_id": person_id,
        "age": age,
        "sex": donor.sex if donor.sex in SEXES else "unknown",
        "state": donor.state or "unknown",
    }
    if tier in DETAILED:
        row["year_of_birth"] = None if age == "90+" else donor.birth_year
    return row


def _use_row(use: SourceUse, person_id: str, week: int, shift: timedelta) -> Row:
    moved = (use.at + shift).replace(tzinfo=None)
    return {
        "person_id": person_id,
        "day": moved.date(),
        "taken_at": moved,
        "week": week,
        "form": use.form,
        "amount": use.amount,
        "unit": use.unit,
        "grams_leaf": None if use.seven_oh else use.grams_leaf,
        "mg_mitragynine": use.mg_mitragynine,
        "mg_7oh": use.mg_7oh,
        "labelled_mg_per_g": use.labelled_mg_per_g,
        "labelled_mg_per_unit": use.labelled_mg_per_unit,
        "serving_unit": use.serving_unit,
    }


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known), 4) if known else None


def _mean(values: Iterable[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


class _Dated(Protocol):
    @property
    def at(self) -> datetime: ...


_Entry = TypeVar("_Entry", bound=_Dated)


def _weekly(
    entries: Iterable[_Entry],
    person_id: str,
    week: Callable[[datetime], int],
    year: Callable[[datetime], int],
    summary: Callable[[list[_Entry]], Row],
) -> list[Row]:
    """One row a week that has entries, in week order: the person, the year of the week's first
    entry (in the tier's form), the week number, then `summary` of the week's entries."""
    by_week: dict[int, list[_Entry]] = defaultdict(list)
    for entry in entries:
        by_week[week(entry.at)].append(entry)
    return [
        {
            "person_id": person_id,
            "year": year(min(e.at for e in by_week[n])),
            "week": n,
            **summary(by_week[n]),
        }
        for n in sorted(by_week)
    ]


def _uses_in_week(group: list[SourceUse]) -> Row:
    forms = Counter(u.form for u in group)
    return {
        "use_days": len({u.at.date() for u in group}),
        "doses": len(group),
        "grams_leaf": _sum(u.grams_leaf for u in group if not u.seven_oh),
        "mg_mitragynine": _sum(u.mg_mitragynine for u in group),
        "mg_7oh": _sum(u.mg_7oh for u in group),
        "seven_oh_doses": sum(1 for u in group if u.seven_oh),
        "main_form": min(forms, key=lambda f: (-forms[f], f)),
    }


def _checkins_in_week(group: list[SourceCheckin]) -> Row:
    return {
        "checkins": len(group),
        **{f"{s}_mean": _mean(c.ratings.get(s) for c in group) for s in RATINGS},
    }
