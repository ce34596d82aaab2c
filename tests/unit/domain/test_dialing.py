"""Phone numbers as written for people, cut into text and dialable `tel:`/`sms:` links."""

from __future__ import annotations

import pytest

from mitra.domain.dialing import (
    Segment,
    dial_string,
    dial_strings,
    numbers,
    segments,
    text_segments,
)


@pytest.mark.parametrize(
    ("written", "links"),
    [
        ("988", ["tel:988"]),
        ("116 123", ["tel:116123"]),
        ("13 11 14", ["tel:131114"]),
        ("112 or 999", ["tel:112", "tel:999"]),
        ("+44 116 123", ["tel:+44116123"]),
        (
            "1-800-662-4357 (1-800-662-HELP); TTY 1-800-487-4889",
            ["tel:18006624357", "tel:18004874889"],
        ),
        ("0800 764 766 (0800 POISON)", ["tel:0800764766"]),
        (
            "0800 456 789 (24-hour Cipla Mental Health Helpline) or 0800 567 567",
            ["tel:0800456789", "tel:0800567567"],
        ),
        (
            "0120-279-338 (0120-279-226 from Iwate, Miyagi and Fukushima)",
            ["tel:0120279338", "tel:0120279226"],
        ),
        (
            "1553, 0919-057-1553 or 0917-899-8727",
            ["tel:1553", "tel:09190571553", "tel:09178998727"],
        ),
        ("0800 111 0 111 / 0800 111 0 222", ["tel:08001110111", "tel:08001110222"]),
        ("09 2525 0111 (Finnish); 09 2525 0112 (Swedish)", ["tel:0925250111", "tel:0925250112"]),
    ],
)
def test_every_alternative_number_becomes_its_own_dialable_link(
    written: str, links: list[str]
) -> None:
    assert [s.href for s in numbers(written)] == links


def test_the_words_around_numbers_are_kept_exactly() -> None:
    written = "1-800-662-4357 (1-800-662-HELP); TTY 1-800-487-4889"
    found = segments(written)
    assert "".join(s.text for s in found) == written
    assert found == [
        Segment("1-800-662-4357", "tel:18006624357"),
        Segment(" (1-800-662-HELP); TTY "),
        Segment("1-800-487-4889", "tel:18004874889"),
    ]


def test_short_or_glued_digits_are_not_numbers() -> None:
    assert numbers("24-hour line, HELP4U, open 10am") == []


def test_only_known_numbers_are_linked_in_free_text() -> None:
    advice = "On 2026-03-04 you answered 2. Samaritans: call 116 123; Emergency number: 999."
    linked = [s for s in segments(advice, only={"116123", "999"}) if s.is_link]
    assert linked == [Segment("116 123", "tel:116123"), Segment("999", "tel:999")]


def test_a_text_option_becomes_an_sms_link() -> None:
    assert text_segments("Send your ZIP code to 435748 (HELP4U)") == [
        Segment("Send your ZIP code to "),
        Segment("435748", "sms:435748"),
        Segment(" (HELP4U)"),
    ]


def test_a_whatsapp_number_is_not_an_sms_link() -> None:
    assert text_segments("WhatsApp 9151 1767 (CareText)") == [
        Segment("WhatsApp 9151 1767 (CareText)")
    ]


def test_dial_string_keeps_digits_and_a_leading_plus() -> None:
    assert dial_string(" +1 (800) 273-8255") == "+18002738255"
    assert dial_string("0800-0113") == "08000113"


def test_dial_strings_collects_every_number_of_many_texts() -> None:
    assert dial_strings(["112 or 999", "116 123"]) == {"112", "999", "116123"}
