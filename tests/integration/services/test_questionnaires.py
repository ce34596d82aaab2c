"""Administering questionnaires end to end on a real store (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from mitra.adapters.store.migrate import pending_changes
from mitra.domain.instruments import InvalidAnswerError
from mitra.domain.products import Product, ProductForm
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import journal
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MODERATE = [0, 1, 2, 3, 0, 1, 2, 3, 0]  # PHQ-9 total 12: moderate (10-14)


def phq9(values: Sequence[int | None]) -> dict[str, int | float | None]:
    return {f"phq9.q{n}": v for n, v in enumerate(values, start=1)}


def test_the_migrated_schema_matches_the_tables_module(mitra: Mitra) -> None:
    assert pending_changes(mitra.store.engine) == []


def test_administer_scores_and_stores_a_complete_phq9(mitra: Mitra) -> None:
    saved = q.administer(mitra, "phq9", phq9(MODERATE)).entry
    fetched = q.get_response(mitra, saved.id or 0)
    assert fetched == saved
    assert (fetched.score.total, fetched.score.band_code, fetched.score.complete) == (
        12,
        "moderate",
        True,
    )
    assert fetched.taken_at == NOW
    assert fetched.tz == "Europe/London"
    assert fetched.sex is None
    assert fetched.score.reasons[1] == "Band 'Moderate' because total 12 is within 10–14."


def test_an_incomplete_response_is_stored_as_incomplete_with_its_missing_items(
    mitra: Mitra,
) -> None:
    saved = q.administer(mitra, "phq9", phq9([0, 1, None, 3, 0, 1, 2, 3, None])).entry
    fetched = q.get_response(mitra, saved.id or 0)
    assert (fetched.score.total, fetched.score.band_code, fetched.score.complete) == (
        None,
        None,
        False,
    )
    assert fetched.score.missing_items == ("phq9.q3", "phq9.q9")
    assert [(f.code, f.status) for f in fetched.score.flags] == [("crisis.phq9_item9", "unknown")]


def test_item9_above_zero_is_stored_with_a_raised_crisis_flag_and_its_reason(mitra: Mitra) -> None:
    saved = q.administer(mitra, "phq9", phq9([0, 0, 0, 0, 0, 0, 0, 0, 2])).entry
    result = q.get_result(mitra, saved.id or 0)
    assert result.response.score.total == 2
    assert [f.code for f in result.crisis] == ["crisis.phq9_item9"]
    assert result.crisis[0].because.startswith("phq9.q9 answered 2")


def test_an_invalid_answer_names_the_item_and_writes_nothing(mitra: Mitra) -> None:
    with pytest.raises(InvalidAnswerError) as caught:
        q.administer(mitra, "phq9", phq9([0, 1, 4, 0, 0, 0, 0, 0, 0]))
    assert (caught.value.item, caught.value.value) == ("phq9.q3", 4)
    assert q.list_responses(mitra) == []


def test_a_future_time_and_an_unknown_instrument_are_refused(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="taken_at"):
        q.administer(mitra, "phq9", phq9(MODERATE), taken_at=NOW + timedelta(hours=1))
    with pytest.raises(NotFoundError, match="unknown instrument 'phq10'"):
        q.administer(mitra, "phq10", {})


def test_change_since_last_compares_with_the_previous_complete_response(mitra: Mitra) -> None:
    first = q.administer(
        mitra, "phq9", phq9([3] * 6 + [2, 2, 0]), taken_at=NOW - timedelta(14)
    ).entry
    q.administer(mitra, "phq9", phq9([1] * 8 + [None]), taken_at=NOW - timedelta(7))
    last = q.administer(mitra, "phq9", phq9(MODERATE)).entry
    result = q.get_result(mitra, last.id or 0)
    assert result.previous == first
    assert result.change is not None
    assert (result.change.earlier_total, result.change.later_total) == (22, 12)
    assert (result.change.difference, result.change.meaningful) == (-10, True)
    assert q.get_result(mitra, first.id or 0).change is None
    latest = q.latest(mitra, "phq9")
    assert latest is not None and latest.response == last


def test_list_responses_newest_first_and_by_instrument(mitra: Mitra) -> None:
    a = q.administer(mitra, "phq9", phq9(MODERATE), taken_at=NOW - timedelta(days=1)).entry
    b = q.administer(mitra, "peg", {"peg.p": 5, "peg.e": 6, "peg.g": 7}).entry
    assert [r.id for r in q.list_responses(mitra)] == [b.id, a.id]
    assert [r.id for r in q.list_responses(mitra, "phq9")] == [a.id]
    assert b.score.total == 6
    assert q.latest(mitra, "gad7") is None


def test_auditc_uses_the_sex_saved_at_onboarding(mitra: Mitra) -> None:
    q.onboard(mitra, conditions="", country="GB", sex="female")
    saved = q.administer(mitra, "auditc", {"auditc.q1": 1, "auditc.q2": 1, "auditc.q3": 1}).entry
    assert saved.sex == "female"
    assert saved.score.has_flag("screen.auditc_positive")
    assert q.administer(mitra, "phq9", phq9(MODERATE)).entry.sex is None  # not asked, not stored


def test_onboarding_saves_conditions_and_country_and_turns_instruments_on(mitra: Mitra) -> None:
    assert not q.read_profile(mitra).onboarded
    profile = q.onboard(mitra, conditions="anxiety, PTSD", country="gb")
    assert (profile.conditions, profile.country, profile.sex) == (("anxiety", "ptsd"), "GB", None)
    assert profile.onboarded
    plans = q.plans(mitra)
    assert [(p.instrument_id, p.interval_days) for p in plans] == [
        ("phq9", 14),
        ("gad7", 14),
        ("pcl5", 30),
    ]


def test_onboarding_reports_every_problem_at_once(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError) as caught:
        q.onboard(mitra, conditions="anxiety,boredom", country="XX", sex="other")
    assert [p.field for p in caught.value.problems] == ["country", "sex", "conditions"]


def test_logged_use_turns_on_the_dependence_and_withdrawal_measures(mitra: Mitra) -> None:
    assert [p.instrument_id for p in q.plans(mitra)] == ["phq9"]
    product = journal.add_product(mitra, Product(name="Red Bali", form=ProductForm.LEAF_POWDER))
    journal.log_use(mitra, product_id=product.id or 0, amount=2, unit="g")
    assert [p.instrument_id for p in q.plans(mitra)] == ["phq9", "sows", "sds", "kud_dsm5"]
    q.onboard(mitra, conditions="", country="GB", regular_use=False)
    assert [p.instrument_id for p in q.plans(mitra)] == ["phq9"]


def test_due_list_follows_the_schedule_and_user_changes(mitra: Mitra) -> None:
    q.onboard(mitra, conditions="chronic_pain", country="GB")
    q.administer(mitra, "phq9", phq9(MODERATE), taken_at=NOW - timedelta(days=3))
    q.set_schedule(mitra, "phq9", "7")
    q.set_schedule(mitra, "auditc", "90")
    due = {d.instrument_id: d for d in q.due(mitra)}
    assert (due["peg"].is_due, due["auditc"].is_due) == (True, True)
    assert (due["phq9"].is_due, str(due["phq9"].due_on)) == (False, "2026-11-29")
    assert due["phq9"].because.endswith("(you set it to every 7 days), so due 2026-11-29")
    q.set_schedule(mitra, "peg", "off")
    assert "peg" not in {d.instrument_id for d in q.due(mitra)}
    with pytest.raises(InvalidInputError, match="PHQ-9 stays on"):
        q.set_schedule(mitra, "phq9", "off")


def test_an_incomplete_response_leaves_the_instrument_due(mitra: Mitra) -> None:
    q.administer(mitra, "phq9", phq9([0] * 8 + [None]))
    assert q.due(mitra)[0].is_due


def test_calendar_exports_the_schedule_as_icalendar(mitra: Mitra) -> None:
    q.onboard(mitra, conditions="anxiety", country="GB")
    text = q.calendar(mitra)
    assert text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Mitra: take the GAD-7\r\n" in text
    assert "DTSTART;VALUE=DATE:20261125\r\nRRULE:FREQ=DAILY;INTERVAL=14\r\n" in text
    assert "DTSTAMP:20261125T120000Z" in text


def test_crisis_lines_are_the_users_country_then_international(mitra: Mitra) -> None:
    international = q.crisis_lines(mitra)
    assert international and {line.country for line in international} == {"INTL"}
    q.onboard(mitra, conditions="", country="GB")
    lines = q.crisis_lines(mitra)
    assert lines[0].country == "GB" and lines[0].name == "Samaritans"
    assert lines[-1].country == "INTL"
    number = q.emergency_number(mitra)
    assert number is not None and [n.dial for n in number.numbers] == ["999", "112"]
