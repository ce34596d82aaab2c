"""Questionnaire use cases: administer (score and store), read results with the change since last
time, the onboarding profile, schedules, what is due, the iCalendar export and the crisis lines.

The CLI, the web pages and the REST API call these; none of them scores or stores by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.knowledge.help_lines import crisis_lines_for, load_emergency_numbers
from mitra.adapters.knowledge.standard_drinks import load_standard_drinks
from mitra.adapters.store import clinic
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import (
    last_complete_times,
    of_instrument,
    previous_complete,
    responses,
)
from mitra.domain import schedule
from mitra.domain.checks import check_time
from mitra.domain.clock import local_day
from mitra.domain.evidence import INTERNATIONAL, CrisisLine, EmergencyNumber
from mitra.domain.instruments import Change, Instrument, Score, ScoreFlag, compare, score
from mitra.domain.instruments.model import Number
from mitra.domain.instruments.scoring import SEXES
from mitra.domain.responses import QuestionnaireResponse, crisis_flags
from mitra.domain.standard_drinks import DrinkNote
from mitra.errors import InvalidInputError, Problems
from mitra.services import places, safety, taper
from mitra.services.context import Mitra
from mitra.services.entries import Saved

ORDER = ("phq9", "gad7", "pcl5", "peg", "sows", "sds", "auditc", "kud_dsm5")
REGULAR_USE_WINDOW = timedelta(days=30)
SCHEDULE_PREFIX = "schedule."


@dataclass(frozen=True)
class Profile:
    """What onboarding asked: conditions managed, country, and optionally sex and regular use."""

    conditions: tuple[str, ...] = ()
    country: str | None = None
    sex: str | None = None
    regular_use: bool | None = None

    @property
    def onboarded(self) -> bool:
        return self.country is not None or bool(self.conditions)


@dataclass(frozen=True)
class Result:
    """One stored response, its instrument, and how it compares with the last complete one."""

    response: QuestionnaireResponse
    instrument: Instrument
    previous: QuestionnaireResponse | None
    change: Change | None

    @property
    def crisis(self) -> tuple[ScoreFlag, ...]:
        return crisis_flags(self.response.score)


def list_instruments() -> list[Instrument]:
    """Every shipped instrument, in the order people meet them."""
    found = knowledge.load_instruments()
    ordered = [found[i] for i in ORDER if i in found]
    return ordered + [found[i] for i in found if i not in ORDER]


def instrument_titles() -> dict[str, str]:
    """Each instrument's display title by id, for lists of what is due or taken."""
    return {i.id: i.display_title for i in list_instruments()}


def get_instrument(instrument_id: str) -> Instrument:
    return knowledge.get_instrument(instrument_id)


def drink_note(mitra: Mitra, instrument_id: str, place: str | None = None) -> DrinkNote | None:
    """What one "drink" holds where the person lives, for an instrument that counts drinks
    (None for any other). `place` (a typed name or code, as `--country` takes it) overrides the
    saved place; with neither, the note says that countries differ."""
    chosen = places.resolve(place) if place else places.my_place(mitra)
    country = None if chosen is None else chosen.country
    return load_standard_drinks().note(get_instrument(instrument_id).id, country)


def administer(
    mitra: Mitra,
    instrument_id: str,
    answers: Mapping[str, Number | None],
    *,
    taken_at: datetime | None = None,
    sex: str | None = None,
) -> Saved[QuestionnaireResponse]:
    """Score `answers` and store the response in one transaction; incomplete ones are stored
    as incomplete. `sex` (AUDIT-C's cut-point) defaults to the one saved at onboarding. Returns
    the stored response and the alerts it raised."""
    instrument = get_instrument(instrument_id)
    now = mitra.now()
    when = taken_at or now
    problems = Problems()
    check_time(when, now, problems, "taken_at")
    problems.raise_if_any()
    with mitra.store.write() as conn:
        tz = mitra.timezone_in(conn)
        uses_sex = any(cut.sex for cut in instrument.cut_points)
        given = (sex or repo.get_preference(conn, "sex")) if uses_sex else None
        scored = score(instrument, answers, sex=given)
        stored = responses.add(conn, QuestionnaireResponse(when, tz, scored, given), now)
        alerts = tuple(safety.evaluate_and_store(mitra, conn, changed={"responses"}))
        taper.hold_if_due(mitra, conn)  # a SOWS/PHQ-9/GAD-7 rise holds a taper plan at once
        return Saved(stored, alerts)


def list_responses(
    mitra: Mitra, instrument_id: str | None = None, *, limit: int = 100, offset: int = 0
) -> list[QuestionnaireResponse]:
    """Stored responses, newest first, optionally for one instrument."""
    where = [] if instrument_id is None else [of_instrument(get_instrument(instrument_id).id)]
    with mitra.store.read() as conn:
        return responses.list(conn, limit=limit, offset=offset, where=where)


def get_response(mitra: Mitra, response_id: int) -> QuestionnaireResponse:
    with mitra.store.read() as conn:
        return responses.get(conn, response_id)


def get_result(mitra: Mitra, response_id: int) -> Result:
    """A response with its instrument and the change since the last complete response."""
    with mitra.store.read() as conn:
        response = responses.get(conn, response_id)
        assert response.id is not None
        before = previous_complete(conn, response.instrument_id, response.taken_at, response.id)
    instrument = get_instrument(response.instrument_id)
    change = None if before is None else compare(instrument, before.score, response.score)
    return Result(response, instrument, before, change)


def latest(mitra: Mitra, instrument_id: str) -> Result | None:
    found = list_responses(mitra, instrument_id, limit=1)
    if not found or found[0].id is None:
        return None
    return get_result(mitra, found[0].id)


def read_profile(mitra: Mitra) -> Profile:
    with mitra.store.read() as conn:
        conditions = repo.get_preference(conn, "conditions") or ""
        regular = repo.get_preference(conn, "regular_use")
        return Profile(
            conditions=schedule.parse_conditions(conditions),
            country=repo.get_preference(conn, "country"),
            sex=repo.get_preference(conn, "sex"),
            regular_use=None if regular is None else regular == "yes",
        )


def onboard(
    mitra: Mitra,
    *,
    conditions: str | list[str],
    country: str,
    sex: str | None = None,
    regular_use: bool | None = None,
) -> Profile:
    """Save the onboarding answers (editable later); they decide which instruments are on."""
    profile = _checked_profile(conditions, country, sex, regular_use)
    with mitra.store.write() as conn:
        repo.set_preference(conn, "conditions", ",".join(profile.conditions))
        repo.set_preference(conn, "country", profile.country or INTERNATIONAL)
        if profile.sex is not None:
            repo.set_preference(conn, "sex", profile.sex)
        if profile.regular_use is not None:
            repo.set_preference(conn, "regular_use", "yes" if profile.regular_use else "no")
        safety.evaluate_and_store(mitra, conn)
    return read_profile(mitra)


def _checked_profile(
    conditions: str | list[str], country: str, sex: str | None, regular_use: bool | None
) -> Profile:
    problems = Problems()
    code = None
    try:
        code = places.resolve(country).code
    except InvalidInputError as exc:
        problems.items.extend(exc.problems)
    if sex and sex not in SEXES:
        problems.add("sex", f"{sex!r} is not one of {', '.join(SEXES)} (or leave it empty)")
    try:
        parsed = schedule.parse_conditions(conditions)
    except InvalidInputError as exc:
        problems.items.extend(exc.problems)
        parsed = ()
    problems.raise_if_any()
    return Profile(parsed, code, sex or None, regular_use)


def set_schedule(mitra: Mitra, instrument_id: str, setting: str) -> schedule.Override:
    """Change one instrument's schedule: a number of days, 'off' or 'demand'."""
    instrument = get_instrument(instrument_id)
    override = schedule.parse_override(setting)
    schedule.check_override(instrument.id, override)
    with mitra.store.write() as conn:
        repo.set_preference(conn, SCHEDULE_PREFIX + instrument.id, str(override))
    return override


def plans(mitra: Mitra) -> list[schedule.Plan]:
    """The instruments this person takes, each with its interval and the reason it is on."""
    profile = read_profile(mitra)
    defaults = {i.id: i.default_interval_days for i in list_instruments()}
    with mitra.store.read() as conn:
        overrides = {
            i: schedule.parse_override(value)
            for i in defaults
            if (value := repo.get_preference(conn, SCHEDULE_PREFIX + i)) is not None
        }
        since = mitra.now() - REGULAR_USE_WINDOW
        recent_uses = repo.uses.list(conn, since=since, limit=1)
        taper_reason = taper.measures_reason(conn, mitra.now())
    regular = profile.regular_use if profile.regular_use is not None else bool(recent_uses)
    found = schedule.plan(defaults, profile.conditions, regular, overrides)
    if taper_reason is None:
        return found
    every = taper.knowledge().measures
    return schedule.with_taper(
        found,
        profile.conditions,
        sows_every_days=every.sows_every_days,
        mood_every_days=every.mood_every_days,
        because=taper_reason,
    )


def due(mitra: Mitra) -> list[schedule.Due]:
    """What is due today (in the user's zone), due items first, each with its reason."""
    tz = mitra.timezone()
    today = local_day(mitra.now(), tz)
    with mitra.store.read() as conn:
        times = last_complete_times(conn)
        asked = clinic.requests_of_journal(conn, mitra.store.journal_id)
    last = {i: local_day(at, tz) for i, at in times.items()}
    requested = [
        schedule.Requested(
            r["instrument_id"], r["by"], r["requested_at"], local_day(r["requested_at"], tz)
        )
        for r in asked
        if r["until"] >= today
    ]
    return schedule.with_requests(schedule.due_list(plans(mitra), last, today), requested, times)


def calendar(mitra: Mitra) -> str:
    """The schedule as an iCalendar (RFC 5545) file's text, CRLF line endings."""
    from mitra.services.appearance import read_appearance

    titles = instrument_titles()
    today = local_day(mitra.now(), mitra.timezone())
    discreet = read_appearance(mitra).discreet
    return schedule.to_ical(due(mitra), titles, today, mitra.now(), discreet=discreet)


def crisis_lines(mitra: Mitra) -> list[CrisisLine]:
    """The user's country's lines (crisis lines first), then the international fallback."""
    country = read_profile(mitra).country or INTERNATIONAL
    unique: list[CrisisLine] = []
    for line in crisis_lines_for(country):
        if line not in unique:
            unique.append(line)
    return unique


def emergency_number(mitra: Mitra) -> EmergencyNumber | None:
    country = (read_profile(mitra).country or INTERNATIONAL).split("-", 1)[0]
    return load_emergency_numbers().get(country)


def score_answers(
    mitra: Mitra,
    instrument_id: str,
    answers: Mapping[str, Number | None],
    *,
    sex: str | None = None,
) -> Score:
    """Score without storing (scripts and checks); `sex` defaults to the saved one."""
    instrument = get_instrument(instrument_id)
    uses_sex = any(cut.sex for cut in instrument.cut_points)
    given = (sex or read_profile(mitra).sex) if uses_sex else None
    return score(instrument, answers, sex=given)
