"""Data tests for the shipped help lines (crisis_lines.yaml + sources/help_lines.yaml).

They dial nothing. Every number is checked against its country's numbering plan: a national number
(after the trunk prefix) or an international one (+country code) must have a national significant
number length the plan allows; a short code must be listed below with what it is.
"""

from __future__ import annotations

import ipaddress
from datetime import date
from urllib.parse import urlparse

import pytest

from mitra.adapters.knowledge import evidence, help_lines
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.evidence import INTERNATIONAL, add_months
from mitra.domain.help_lines import CrisisLine, EmergencyNumber, LineGap, LineKind, PhoneNumber
from mitra.errors import ConfigurationError

CHECKED_ON = date(2026, 12, 7)
SOURCES_FILE = "sources/help_lines.yaml"
PRIMARY_KINDS = {"service_page", "government_page"}
SOURCE_KINDS = PRIMARY_KINDS | {"third_party_page", "news", "directory"}

# Country calling code, trunk prefix and the national significant number lengths the plan allows,
# from the ITU-T E.164 national numbering plans as compiled in Google's libphonenumber metadata
# (phonenumbers 9.0.43, PhoneNumberMetadata.xml, generalDesc/possibleLengths/national).
NUMBERING_PLANS: dict[str, tuple[int, str, tuple[int, ...]]] = {
    "AT": (43, "0", (4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    "AU": (61, "0", (5, 6, 7, 8, 9, 10, 12)),
    "BE": (32, "0", (8, 9)),
    "BG": (359, "0", (6, 7, 8, 9, 12)),
    "BR": (55, "0", (8, 9, 10, 11)),
    "CA": (1, "1", (7, 10)),
    "CH": (41, "0", (9, 12)),
    "CZ": (420, "", (9, 10, 11, 12)),
    "DE": (49, "0", (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)),
    "DK": (45, "", (8,)),
    "EE": (372, "", (7, 8, 10)),
    "ES": (34, "", (9,)),
    "FI": (358, "0", (5, 6, 7, 8, 9, 10, 11, 12)),
    "FR": (33, "0", (9,)),
    "GB": (44, "0", (7, 9, 10)),
    "HK": (852, "", (5, 6, 7, 8, 9, 11)),
    "HU": (36, "06", (8, 9)),
    "ID": (62, "0", (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)),
    "IE": (353, "0", (7, 8, 9, 10)),
    "IN": (91, "0", (8, 9, 10, 11, 12, 13)),
    "IS": (354, "", (7, 9)),
    "IT": (39, "", (6, 7, 8, 9, 10, 11, 12)),
    "JP": (81, "0", (8, 9, 10, 11, 12, 13, 14, 15, 16, 17)),
    "KH": (855, "0", (8, 9, 10)),
    "KR": (82, "0", (5, 6, 8, 9, 10, 11, 12, 13, 14)),
    "KW": (965, "", (7, 8)),
    "LA": (856, "0", (8, 9, 10)),
    "LT": (370, "0", (8,)),
    "LV": (371, "", (8,)),
    "ME": (382, "0", (8, 9)),
    "MM": (95, "0", (6, 7, 8, 9, 10)),
    "MX": (52, "", (10,)),
    "MY": (60, "0", (8, 9, 10)),
    "NL": (31, "0", (5, 6, 7, 8, 9, 10, 11)),
    "NO": (47, "", (5, 8)),
    "NZ": (64, "0", (5, 6, 7, 8, 9, 10)),
    "PH": (63, "0", (6, 8, 9, 10, 11, 12, 13)),
    "PL": (48, "", (6, 7, 8, 9, 10)),
    "PT": (351, "", (9,)),
    "RO": (40, "0", (6, 9)),
    "SE": (46, "0", (6, 7, 8, 9, 10, 12)),
    "SG": (65, "", (8, 10, 11)),
    "SI": (386, "0", (5, 6, 7, 8)),
    "SK": (421, "0", (6, 7, 9)),
    "TH": (66, "0", (8, 9, 10, 13)),
    "TR": (90, "0", (7, 10, 12, 13)),
    "TW": (886, "0", (7, 8, 9, 10, 11)),
    "UA": (380, "0", (9, 10)),
    "US": (1, "1", (10,)),
    "ZA": (27, "0", (5, 6, 7, 8, 9, 10)),
}

# 112 is the single European emergency number (and GSM's emergency code); 116 123 is the EU-wide
# harmonised number for emotional support helplines (Commission Decision 2007/116/EC).
EUROPEAN_SHORT_CODES = {"112", "116123"}
EUROPE = {
    "AT", "BE", "BG", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "HU", "IE", "IS",
    "IT", "LT", "LV", "ME", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "TR", "UA",
}  # fmt: skip
# Every other short code in the data, by country, with what it is.
SHORT_CODES: dict[str, dict[str, str]] = {
    "US": {"911": "emergency", "988": "988 Lifeline", "435748": "SAMHSA SMS short code"},
    "CA": {"911": "emergency", "988": "9-8-8 helpline"},
    "GB": {"999": "emergency", "111": "NHS 111"},
    "IE": {"999": "emergency"},
    "AU": {"000": "Triple Zero"},
    "NZ": {"111": "emergency", "1737": "Need to talk?"},
    "AT": {"144": "ambulance", "142": "TelefonSeelsorge"},
    "CH": {"144": "ambulance", "143": "Die Dargebotene Hand"},
    "IS": {"1717": "Red Cross helpline"},
    "NO": {"113": "medical emergency"},
    "SE": {"90101": "Mind Självmordslinjen"},
    "FR": {"15": "SAMU", "3114": "suicide prevention line"},
    "NL": {"113": "113 Zelfmoordpreventie"},
    "BE": {"1813": "Zelfmoordlijn"},
    "ES": {"024": "suicide line"},
    "PT": {"1411": "suicide prevention line"},
    "ME": {"124": "ambulance"},
    "UA": {"103": "ambulance", "7333": "Lifeline Ukraine"},
    "KW": {"112": "emergency"},
    "MY": {"999": "emergency", "15555": "Talian HEAL"},
    "TH": {"1669": "ambulance", "191": "police", "1323": "mental health hotline"},
    "ID": {"112": "emergency", "119": "Ministry of Health emergency line"},
    "SG": {"995": "ambulance", "999": "police", "1767": "Samaritans of Singapore"},
    "PH": {"911": "emergency", "1553": "NCMH crisis hotline"},
    "IN": {"112": "emergency", "14416": "Tele-MANAS"},
    "JP": {"119": "ambulance", "110": "police"},
    "KR": {"119": "ambulance", "112": "police", "109": "suicide prevention line"},
    "HK": {"999": "emergency"},
    "TW": {"119": "ambulance", "110": "police", "1925": "安心專線"},
    "KH": {"119": "ambulance", "117": "police"},
    "LA": {"1195": "ambulance", "1191": "police"},
    "MM": {"192": "ambulance", "199": "police"},
    "BR": {"192": "SAMU", "190": "police", "188": "CVV"},
    "MX": {"911": "emergency"},
    "ZA": {
        "112": "emergency from mobiles",
        "10177": "ambulance",
        "10111": "police",
        "31393": "SADAG SMS",
        "32312": "substance line SMS",
    },
}
LEGAL_COUNTRY_FILE = "legal/countries.yaml"


def every_number() -> list[tuple[str, str, PhoneNumber]]:
    """(country, entry name, number) for every number in the file, the INTL fallback excepted."""
    found = [
        (e.country, f"emergency {e.country}", n)
        for e in help_lines.load_emergency_numbers().values()
        for n in e.numbers
    ]
    for line in help_lines.load_crisis_lines():
        for number in (*line.phones, *line.tty, *line.sms, *line.whatsapp):
            found.append((line.country, line.name, number))
    return [item for item in found if item[0] != INTERNATIONAL]


def plan_problem(country: str, dial: str) -> str | None:
    code, trunk, lengths = NUMBERING_PLANS[country]
    if dial in SHORT_CODES.get(country, {}):
        return None
    if dial in EUROPEAN_SHORT_CODES and country in EUROPE:
        return None
    if dial.startswith("+"):
        if not dial.startswith(f"+{code}"):
            return f"{dial} does not start with +{code}"
        national = dial[1 + len(str(code)) :]
    else:
        national = dial[len(trunk) :] if trunk and dial.startswith(trunk) else dial
    if len(national) not in lengths:
        return f"{dial}: national number {national} has {len(national)} digits, plan {lengths}"
    return None


def test_every_number_fits_its_country_numbering_plan_or_is_a_listed_short_code() -> None:
    checked = every_number()
    assert len(checked) >= 120
    problems = [f"{name}: {p}" for c, name, n in checked if (p := plan_problem(c, n.dial))]
    assert problems == []


@pytest.mark.parametrize(
    ("country", "dial", "problem"),
    [
        ("GB", "116123", None),
        ("GB", "080011101", "080011101: national number 80011101 has 8 digits"),
        ("US", "18006624357", None),
        ("US", "1800662435", "1800662435: national number 800662435 has 9 digits"),
        ("SG", "+6591511767", None),
        ("SG", "+6691511767", "+6691511767 does not start with +65"),
        ("MX", "8009112000", None),
        ("TH", "1669", None),
        ("TH", "1670", "1670: national number 1670 has 4 digits"),
        ("DK", "112", None),
        ("KW", "112", None),
        ("US", "112", "112: national number 12 has 2 digits"),
    ],
)
def test_the_plan_check_knows_right_from_wrong(
    country: str, dial: str, problem: str | None
) -> None:
    found = plan_problem(country, dial)
    assert found == problem if problem is None else found is not None and found.startswith(problem)


def test_every_country_with_legal_data_has_an_emergency_number_and_a_24_hour_line_or_a_note() -> (
    None
):
    legal = {entry["code"] for entry in read_yaml(LEGAL_COUNTRY_FILE)["jurisdictions"]} | {"US"}
    assert len(legal) == 45
    emergency = set(help_lines.load_emergency_numbers())
    gaps = set(help_lines.load_line_gaps())
    day_and_night = {
        line.country
        for line in help_lines.load_crisis_lines()
        if line.kind is LineKind.CRISIS and line.open_24h
    }
    assert legal - emergency == set()
    assert legal - day_and_night - gaps == set()
    assert {"IT", "DK", "FI", "EE", "ID", "RO", "BG", "TR", "ME", "KW", "MM", "LA", "KH"} == gaps


@pytest.mark.parametrize(
    ("country", "numbers"),
    [
        ("GB", ["999", "112"]),
        ("IE", ["112", "999"]),
        ("US", ["911"]),
        ("ZA", ["112", "10177", "10111"]),
        ("JP", ["119", "110"]),
        ("KR", ["119", "112"]),
        ("BR", ["192", "190"]),
        ("MY", ["999"]),
        ("AU", ["000"]),
    ],
)
def test_emergency_numbers_are_lists_of_dialable_numbers(country: str, numbers: list[str]) -> None:
    entry = help_lines.load_emergency_numbers()[country]
    assert [n.dial for n in entry.numbers] == numbers
    assert entry.number == " or ".join(n.spoken for n in entry.numbers)


def lines_of(country: str) -> list[CrisisLine]:
    return [line for line in help_lines.crisis_lines_for(country) if line.country == country]


def test_gb_offers_samaritans_free_on_116_123_first() -> None:
    first = lines_of("GB")[0]
    assert (first.name, first.phones[0].display, first.phones[0].dial) == (
        "Samaritans",
        "116 123",
        "116123",
    )
    assert first.open_24h


def test_us_lines_keep_the_vanity_tty_and_text_forms_apart_from_the_number() -> None:
    lifeline, samhsa, poison = lines_of("US")
    assert ([n.dial for n in lifeline.phones], [n.dial for n in lifeline.sms]) == (["988"], ["988"])
    assert samhsa.phones == (PhoneNumber("1-800-662-4357", "18006624357"),)
    assert samhsa.vanity == "1-800-662-HELP"
    assert samhsa.tty == (PhoneNumber("1-800-487-4889", "18004874889"),)
    assert samhsa.sms == (PhoneNumber("435748", "435748", "send your ZIP code (HELP4U)"),)
    assert poison.kind is LineKind.POISON


def test_malaysia_puts_the_24_hour_befrienders_before_heal_which_closes_at_midnight() -> None:
    befrienders, heal = lines_of("MY")
    assert (befrienders.name, befrienders.open_24h) == ("Befrienders Kuala Lumpur", True)
    assert (heal.phones[0].dial, heal.open_24h) == ("15555", False)


def test_south_africa_has_a_24_hour_substance_line_and_canada_a_national_poison_line() -> None:
    substance = [line for line in lines_of("ZA") if line.kind is LineKind.SUBSTANCE_USE]
    assert [(line.phones[0].dial, line.open_24h) for line in substance] == [("0800121314", True)]
    poison = [line for line in lines_of("CA") if line.kind is LineKind.POISON][0]
    assert (poison.phones[0].dial, poison.vanity, poison.open_24h) == (
        "18447647669",
        "1-844-POISON-X",
        True,
    )


def test_the_international_fallback_names_and_cites_no_country() -> None:
    names = {entry["name"] for entry in read_yaml(LEGAL_COUNTRY_FILE)["jurisdictions"]}
    names |= {"United States", "America", "Australia"}
    sources = evidence.load_sources()
    fallback = [line for line in help_lines.load_crisis_lines() if line.country == INTERNATIONAL]
    assert [line.kind for line in fallback] == [LineKind.DIRECTORY]
    for line in fallback:
        cited = [f"{sources[s].title} {sources[s].link}" for s in line.sources]
        text = " ".join([line.name, line.purpose, line.hours, line.url, *cited])
        assert [name for name in names if name in text] == []
        assert all(not urlparse(sources[s].link).path.rstrip("/").isupper() for s in line.sources)


def test_every_entry_has_hours_sources_from_the_help_line_file_and_a_recent_as_of_date() -> None:
    own = {source["id"] for source in read_yaml(SOURCES_FILE)["sources"]}
    oldest = add_months(CHECKED_ON, -12)
    entries: list[CrisisLine | EmergencyNumber | LineGap] = [
        *help_lines.load_crisis_lines(),
        *help_lines.load_emergency_numbers().values(),
        *help_lines.load_line_gaps().values(),
    ]
    for entry in entries:
        assert set(entry.sources) <= own, entry
        assert oldest <= entry.as_of <= CHECKED_ON, entry
    assert all(line.hours.strip() for line in help_lines.load_crisis_lines())


def test_help_line_sources_have_a_known_kind_and_https_addresses_without_proxies_or_ips() -> None:
    for source in read_yaml(SOURCES_FILE)["sources"]:
        assert source["kind"] in SOURCE_KINDS, source["id"]
        address = urlparse(source["url"])
        assert address.scheme == "https", source["id"]
        assert "proxy" not in source["url"].lower(), source["id"]
        with pytest.raises(ValueError):
            ipaddress.ip_address(address.hostname or "")


def test_an_entry_resting_only_on_secondary_sources_says_so() -> None:
    kinds = {source["id"]: source["kind"] for source in read_yaml(SOURCES_FILE)["sources"]}
    for line in help_lines.load_crisis_lines():
        if not any(kinds[s] in PRIMARY_KINDS for s in line.sources):
            assert "only" in line.notes.lower(), line.name
    for entry in help_lines.load_emergency_numbers().values():
        if not any(kinds[s] in PRIMARY_KINDS for s in entry.sources):
            assert "only" in entry.notes.lower(), entry.country
        assert "android" not in entry.note.lower(), entry.country


def test_the_primary_share_of_help_line_sources_is_measured_and_may_only_rise() -> None:
    used = {s for e in help_lines.load_crisis_lines() for s in e.sources}
    used |= {s for e in help_lines.load_emergency_numbers().values() for s in e.sources}
    used |= {s for e in help_lines.load_line_gaps().values() for s in e.sources}
    kinds = {source["id"]: source["kind"] for source in read_yaml(SOURCES_FILE)["sources"]}
    assert set(kinds) == used
    primary = sum(kinds[s] in PRIMARY_KINDS for s in used) / len(used)
    # Target 0.90 (issue #13); the floor pins today's share so it cannot silently fall.
    assert primary >= 0.69


# --- the loader refuses what it cannot use -----------------------------------------------------


def line_entry(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "country": "XY",
        "name": "Line",
        "kind": "crisis",
        "purpose": "p",
        "hours": "24/7",
        "open_24h": True,
        "phones": ["988"],
        "sources": ["s"],
        "as_of": CHECKED_ON,
    }
    entry.update(fields)
    return entry


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "988"}, r"lines\[0\].phone is not a known field"),
        ({"phones": ["1-800-662-HELP"]}, r"lines\[0\].phones\[0\] dial '1-800-662-HELP' must be"),
        (
            {"phones": [{"display": "116 123", "dial": "116124"}]},
            r"lines\[0\].phones\[0\] display '116 123' and dial '116124' are different",
        ),
        (
            {"phones": [{"display": "1", "dial": "11", "tel": "1"}]},
            r"lines\[0\].phones\[0\].tel is not a",
        ),
        ({"phones": []}, r"lines\[0\].phones must be a non-empty list of numbers"),
        ({"phones": None}, r"lines\[0\].phones or sms, whatsapp, chat or url is required"),
        ({"url": "http://example.org"}, r"lines\[0\].url 'http://example.org' must be an https://"),
        ({"open_24h": "yes"}, r"lines\[0\].open_24h must be true or false"),
        ({"kind": "hotline"}, r"lines\[0\].kind 'hotline' is not one of: crisis, substance_use"),
    ],
)
def test_a_malformed_line_is_refused_naming_its_field(
    monkeypatch: pytest.MonkeyPatch, fields: dict[str, object], message: str
) -> None:
    monkeypatch.setattr(evidence, "read_yaml", lambda path: {"lines": [line_entry(**fields)]})
    with pytest.raises(ConfigurationError, match="crisis_lines.yaml: " + message):
        help_lines.load_crisis_lines()


def test_an_emergency_entry_needs_a_list_of_numbers_and_no_other_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = {"country": "XY", "number": "112", "note": "n", "sources": ["s"], "as_of": CHECKED_ON}
    monkeypatch.setattr(evidence, "read_yaml", lambda path: {"emergency_numbers": [entry]})
    with pytest.raises(ConfigurationError, match=r"emergency_numbers\[0\].number is not a known"):
        help_lines.load_emergency_numbers()
    entry.pop("number")
    with pytest.raises(ConfigurationError, match=r"numbers must be a non-empty list of numbers"):
        help_lines.load_emergency_numbers()


def test_a_country_listed_twice_or_with_both_a_24_hour_line_and_a_gap_note_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gap = {"country": "XY", "note": "none", "sources": ["s"], "as_of": CHECKED_ON}
    document = {"lines": [line_entry()], "no_24h_line": [gap]}
    monkeypatch.setattr(evidence, "read_yaml", lambda path: document)
    with pytest.raises(ConfigurationError, match="XY has a 24-hour crisis line and a no_24h_line"):
        help_lines.load_line_gaps()
    document = {"lines": [], "no_24h_line": [gap, gap]}
    with pytest.raises(ConfigurationError, match="id 'XY' appears twice"):
        help_lines.load_line_gaps()


def test_crisis_kind_and_24_hour_lines_come_first_then_the_country_before_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = {
        "lines": [
            line_entry(country="INTL", name="Directory", kind="directory", open_24h=False),
            line_entry(country="INTL", name="World crisis"),
            line_entry(name="Poison", kind="poison"),
            line_entry(name="Referral", kind="substance_use"),
            line_entry(name="Evening crisis", open_24h=False),
            line_entry(name="Crisis"),
        ]
    }
    monkeypatch.setattr(evidence, "read_yaml", lambda path: document)
    names = [line.name for line in help_lines.crisis_lines_for(" xy ")]
    assert names == ["Crisis", "World crisis", "Evening crisis", "Poison", "Referral", "Directory"]
    assert [line.country for line in help_lines.crisis_lines_for("ZZ")] == ["INTL", "INTL"]
