"""Schedules: who takes what and when, what is due, and the iCalendar export (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from mitra.domain.schedule import (
    Due,
    Plan,
    check_override,
    due_list,
    escape_text,
    fold,
    parse_conditions,
    parse_override,
    plan,
    to_ical,
    with_taper,
)
from mitra.errors import InvalidInputError

DEFAULTS: dict[str, int | None] = {
    "phq9": 14,
    "gad7": 14,
    "pcl5": 30,
    "peg": 7,
    "sows": None,
    "sds": 30,
    "auditc": 90,
    "kud_dsm5": 30,
}
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def ids(plans: list[Plan]) -> list[str]:
    return [p.instrument_id for p in plans]


def test_parse_conditions_normalises_names_and_drops_blanks_and_repeats() -> None:
    assert parse_conditions("Anxiety, chronic pain,,PTSD,anxiety") == (
        "anxiety",
        "chronic_pain",
        "ptsd",
    )
    assert parse_conditions(["chronic-pain", "other"]) == ("chronic_pain", "other")
    assert parse_conditions("") == ()


def test_parse_conditions_refuses_an_unknown_condition_naming_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_conditions("anxiety,insomnia")
    assert caught.value.problems[0].field == "conditions"
    assert "'insomnia'" in caught.value.problems[0].reason


@pytest.mark.parametrize(
    ("text", "expected"), [("7", 7), (" 1 ", 1), ("366", 366), ("OFF", "off"), ("demand", "demand")]
)
def test_parse_override_accepts_days_off_and_demand(text: str, expected: int | str) -> None:
    assert parse_override(text) == expected


@pytest.mark.parametrize("text", ["0", "367", "-3", "weekly", ""])
def test_parse_override_refuses_anything_else(text: str) -> None:
    with pytest.raises(InvalidInputError, match="schedule"):
        parse_override(text)


def test_phq9_cannot_be_switched_off_but_others_can() -> None:
    with pytest.raises(InvalidInputError, match="PHQ-9 stays on"):
        check_override("phq9", "off")
    check_override("phq9", 7)
    check_override("gad7", "off")


def test_phq9_is_on_for_everyone_even_with_no_conditions() -> None:
    plans = plan(DEFAULTS, (), regular_use=False, overrides={})
    assert plans == [
        Plan("phq9", 14, "on for everyone: its question 9 is the safety question"),
    ]


def test_each_condition_turns_on_its_instrument_in_instrument_order() -> None:
    conditions = ("chronic_pain", "ptsd", "anxiety", "depression", "other")
    plans = plan(DEFAULTS, conditions, regular_use=False, overrides={})
    assert ids(plans) == ["phq9", "gad7", "pcl5", "peg"]
    assert plans[1] == Plan("gad7", 14, "you are managing anxiety")
    assert plans[3] == Plan("peg", 7, "you are managing chronic pain")
    assert plans[0].because.startswith("on for everyone")  # depression does not replace it


def test_regular_use_turns_on_sows_sds_and_the_kratom_use_checklist() -> None:
    plans = plan(DEFAULTS, (), regular_use=True, overrides={})
    assert ids(plans) == ["phq9", "sows", "sds", "kud_dsm5"]
    assert plans[1] == Plan("sows", None, "you log regular kratom use")


def test_overrides_change_intervals_switch_on_switch_off_and_set_on_demand() -> None:
    overrides: dict[str, int | str] = {"phq9": 7, "gad7": "off", "auditc": 90, "pcl5": "demand"}
    plans = plan(DEFAULTS, ("anxiety",), regular_use=False, overrides=overrides)
    assert plans == [
        Plan("phq9", 7, "you set it to every 7 days"),
        Plan("pcl5", None, "you set it to on demand"),
        Plan("auditc", 90, "you set it to every 90 days"),
    ]


def test_never_taken_is_due_today_and_on_demand_is_never_due() -> None:
    plans = [Plan("sows", None, "you log regular kratom use"), Plan("phq9", 14, "always")]
    dues = due_list(plans, {}, TODAY)
    assert dues == [
        Due("phq9", 14, None, TODAY, True, "not taken yet; every 14 days (always)"),
        Due(
            "sows",
            None,
            None,
            None,
            False,
            "on demand (you log regular kratom use); take it when you need it, e.g. daily "
            "during a taper",
        ),
    ]


def test_due_on_the_interval_day_exactly_and_not_the_day_before() -> None:
    plans = [Plan("phq9", 14, "always"), Plan("gad7", 14, "anxiety")]
    last = {"phq9": TODAY - timedelta(days=14), "gad7": TODAY - timedelta(days=13)}
    phq9, gad7 = due_list(plans, last, TODAY)
    assert (phq9.instrument_id, phq9.is_due, phq9.due_on) == ("phq9", True, TODAY)
    assert phq9.because == (
        "last complete response 2026-11-11, every 14 days (always), so due 2026-11-25"
    )
    assert (gad7.instrument_id, gad7.is_due, gad7.due_on) == ("gad7", False, date(2026, 11, 26))


def test_due_items_come_first_then_the_soonest() -> None:
    plans = [Plan("a", 30, "x"), Plan("b", 7, "x"), Plan("c", None, "x"), Plan("d", 14, "x")]
    last = {"a": TODAY - timedelta(days=1), "b": TODAY - timedelta(days=1), "d": TODAY}
    assert [d.instrument_id for d in due_list(plans, last, TODAY)] == ["b", "d", "a", "c"]
    assert [d.instrument_id for d in due_list([*plans, Plan("e", 1, "x")], last, TODAY)][0] == "e"


def test_escape_text_escapes_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_fold_keeps_short_lines_and_folds_long_ones_at_75_octets() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    line = "DESCRIPTION:" + "x" * 200
    parts = fold(line).split("\r\n")
    assert [len(p.encode()) for p in parts] == [75, 75, 64]  # 212 octets + 2 folding spaces
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_fold_never_splits_a_multibyte_character() -> None:
    line = "SUMMARY:" + "é" * 60  # 8 + 120 octets
    parts = fold(line).split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert len(parts[0].encode()) == 74  # 8 + 33*2; one more é would make 76
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_calendar_has_one_repeating_all_day_event_per_scheduled_instrument() -> None:
    dues = [
        Due("phq9", 14, date(2026, 11, 1), date(2026, 11, 15), True, "x"),
        Due("peg", 7, date(2026, 11, 24), date(2026, 12, 1), False, "x"),
        Due("sows", None, None, None, False, "on demand"),
    ]
    text = to_ical(dues, {"phq9": "PHQ-9"}, TODAY, NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mitra//Measures")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 2
    assert "UID:phq9.schedule@mitra.local\r\nDTSTAMP:20261125T120000Z\r\n" in text
    assert "DTSTART;VALUE=DATE:20261125\r\nRRULE:FREQ=DAILY;INTERVAL=14\r\n" in text  # overdue
    assert "DTSTART;VALUE=DATE:20261201\r\nRRULE:FREQ=DAILY;INTERVAL=7\r\n" in text
    assert "SUMMARY:Mitra: take the PHQ-9\r\n" in text
    assert "SUMMARY:Mitra: take the peg\r\n" in text  # no title given: the id
    assert "sows" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_calendar_stamp_is_utc_whatever_zone_now_is_in() -> None:
    later = NOW.astimezone(timezone(timedelta(hours=-5)))
    due = Due("phq9", 14, None, TODAY, True, "x")
    assert "DTSTAMP:20261125T120000Z" in to_ical([due], {}, TODAY, later)


def test_a_taper_plan_asks_for_the_sows_daily_and_mood_weekly_for_the_conditions() -> None:
    mine = plan(DEFAULTS, ["depression", "anxiety"], True, {})
    taking = {p.instrument_id: (p.interval_days, p.because) for p in mine}
    assert taking["sows"] == (None, "you log regular kratom use")
    found = with_taper(
        mine, ["depression", "anxiety"], sows_every_days=1, mood_every_days=7, because="T"
    )
    during = {p.instrument_id: (p.interval_days, p.because) for p in found}
    assert during["sows"] == (1, "T")
    assert during["phq9"] == (7, "T")
    assert during["gad7"] == (7, "T")
    assert during["sds"] == (30, "you log regular kratom use")  # nothing else changes
    assert [p.instrument_id for p in found] == [p.instrument_id for p in mine]


def test_a_taper_plan_adds_the_sows_and_keeps_a_shorter_interval_the_person_chose() -> None:
    mine = plan(DEFAULTS, ["chronic_pain"], False, {"phq9": 3})
    found = with_taper(mine, ["chronic_pain"], sows_every_days=1, mood_every_days=7, because="T")
    during = {p.instrument_id: (p.interval_days, p.because) for p in found}
    assert during == {
        "phq9": (3, "you set it to every 3 days"),  # depression is not managed, and 3 < 7
        "peg": (7, "you are managing chronic pain"),
        "sows": (1, "T"),
    }


def test_a_clinicians_request_makes_an_instrument_due_until_a_complete_response_after_it() -> None:
    from mitra.domain.schedule import Due, Requested, with_requests

    asked_at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    scheduled = [
        Due("phq9", 14, date(2026, 11, 19), date(2026, 12, 3), False, "every 14 days"),
        Due("gad7", 14, None, date(2026, 11, 25), True, "not taken yet"),
    ]
    asks = [
        Requested("phq9", "lee", asked_at, date(2026, 11, 20)),
        Requested("phq9", "lee", asked_at + timedelta(days=1), date(2026, 11, 21)),
        Requested("pcl5", "lee", asked_at, date(2026, 11, 20)),
        Requested("gad7", "lee", asked_at, date(2026, 11, 20)),
    ]
    last = {"phq9": asked_at - timedelta(days=1), "gad7": asked_at + timedelta(hours=1)}
    found = with_requests(scheduled, asks, last)
    assert [(d.instrument_id, d.is_due, d.due_on) for d in found] == [
        ("phq9", True, date(2026, 11, 20)),
        ("pcl5", True, date(2026, 11, 20)),
        ("gad7", True, date(2026, 11, 25)),  # answered after the ask: due by schedule only
    ]
    assert found[0].because == (
        "lee (your clinician) asked for it on 2026-11-20; otherwise every 14 days"
    )
    assert found[1].because == "lee (your clinician) asked for it on 2026-11-20"
