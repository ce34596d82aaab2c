"""Known answers for the pure help-line model: number forms, the ways to reach a line, ordering."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.domain.help_lines import (
    CrisisLine,
    EmergencyNumber,
    LineKind,
    PhoneNumber,
    crisis_first,
    phone_problem,
    spoken,
)
from mitra.errors import InvalidInputError

CHECKED = date(2026, 12, 7)
SAMARITANS = PhoneNumber("116 123", "116123")


def make_line(name: str, kind: LineKind, *, open_24h: bool = True) -> CrisisLine:
    return CrisisLine(
        "US", name, kind, "purpose", "24/7", ("src",), CHECKED, open_24h, (PhoneNumber("1", "1"),)
    )


def test_line_kind_codes_parse_and_unknown_ones_are_refused_with_the_allowed_list() -> None:
    assert [k.value for k in LineKind] == ["crisis", "substance_use", "poison", "directory"]
    assert LineKind.from_code("substance_use") is LineKind.SUBSTANCE_USE
    expected = "kind: 'hotline' is not one of: crisis, substance_use, poison, directory"
    with pytest.raises(InvalidInputError, match=expected):
        LineKind.from_code("hotline")


def test_crisis_first_moves_crisis_lines_forward_and_keeps_the_rest_in_order() -> None:
    poison = make_line("Poison", LineKind.POISON)
    referral = make_line("Referral", LineKind.SUBSTANCE_USE)
    first_crisis = make_line("Crisis A", LineKind.CRISIS)
    directory = make_line("Directory", LineKind.DIRECTORY)
    second_crisis = make_line("Crisis B", LineKind.CRISIS)
    ordered = crisis_first([poison, referral, first_crisis, directory, second_crisis])
    assert [line.name for line in ordered] == [
        "Crisis A",
        "Crisis B",
        "Poison",
        "Referral",
        "Directory",
    ]
    assert crisis_first([]) == []


def test_a_24_hour_crisis_line_comes_before_one_that_closes_at_night() -> None:
    daytime = make_line("Daytime", LineKind.CRISIS, open_24h=False)
    always = make_line("Always", LineKind.CRISIS)
    assert [line.name for line in crisis_first([daytime, always])] == ["Always", "Daytime"]


@pytest.mark.parametrize(
    ("display", "dial", "problem"),
    [
        ("116 123", "116123", None),
        ("1-800-662-4357", "18006624357", None),
        ("+65 9151 1767", "+6591511767", None),
        ("(02) 2327 2327", "0223272327", None),
        ("0800.111.0111", "08001110111", None),
        ("1-800-662-HELP", "18006624357", "display '1-800-662-HELP' may hold only digits"),
        ("116 123", "116 123", "dial '116 123' must be 2 to 15 digits"),
        ("116 123", "+", "dial '+' must be 2 to 15 digits"),
        ("1", "1", "dial '1' must be 2 to 15 digits"),
        ("1234567890123456", "1234567890123456", "dial '1234567890123456' must be 2 to 15"),
        ("116 123", "116124", "display '116 123' and dial '116124' are different numbers"),
    ],
)
def test_a_number_pair_is_refused_unless_both_forms_hold_the_same_digits(
    display: str, dial: str, problem: str | None
) -> None:
    found = phone_problem(display, dial)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_numbers_are_spoken_with_their_labels_joined_by_or() -> None:
    swedish = PhoneNumber("09 2525 0112", "0925250112", "Swedish")
    assert swedish.spoken == "09 2525 0112 (Swedish)"
    assert spoken([SAMARITANS, swedish]) == "116 123 or 09 2525 0112 (Swedish)"
    assert spoken([]) == ""


def test_an_emergency_entry_with_two_numbers_reads_as_one_phrase() -> None:
    ireland = EmergencyNumber(
        "IE", (PhoneNumber("112", "112"), PhoneNumber("999", "999")), "same switch", ("s",), CHECKED
    )
    assert ireland.number == "112 or 999"
    assert [n.dial for n in ireland.numbers] == ["112", "999"]


def test_every_way_to_reach_a_line_is_its_own_phrase_calls_first() -> None:
    samhsa = CrisisLine(
        "US",
        "SAMHSA National Helpline",
        LineKind.SUBSTANCE_USE,
        "referral",
        "24/7",
        ("src",),
        CHECKED,
        True,
        phones=(PhoneNumber("1-800-662-4357", "18006624357"),),
        vanity="1-800-662-HELP",
        tty=(PhoneNumber("1-800-487-4889", "18004874889"),),
        sms=(PhoneNumber("435748", "435748", "send your ZIP code"),),
        whatsapp=(PhoneNumber("+65 9151 1767", "+6591511767"),),
        chat="https://example.org/chat",
        url="https://example.org",
    )
    assert samhsa.ways == (
        "call 1-800-662-4357 (1-800-662-HELP)",
        "TTY 1-800-487-4889",
        "text 435748 (send your ZIP code)",
        "WhatsApp +65 9151 1767",
        "chat https://example.org/chat",
        "https://example.org",
    )
    assert samhsa.phone == "1-800-662-4357"
    assert samhsa.text == "435748 (send your ZIP code); WhatsApp +65 9151 1767"
    assert samhsa.reachable


def test_a_line_with_only_a_site_has_one_way_and_no_phone() -> None:
    site = CrisisLine("MY", "Site only", LineKind.CRISIS, "p", "24/7", ("s",), CHECKED, True)
    assert not site.reachable
    with_url = CrisisLine(
        "MY", "Site", LineKind.CRISIS, "p", "24/7", ("s",), CHECKED, True, url="https://a.my"
    )
    assert with_url.ways == ("https://a.my",)
    assert with_url.phone == "" and with_url.text == ""
    assert with_url.reachable


def test_a_phone_only_line_is_called_and_nothing_else() -> None:
    line = CrisisLine(
        "GB", "Samaritans", LineKind.CRISIS, "p", "24/7", ("s",), CHECKED, True, (SAMARITANS,)
    )
    assert line.ways == ("call 116 123",)
    assert line.text == ""
