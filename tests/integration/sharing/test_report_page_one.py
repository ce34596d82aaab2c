"""Page one of the clinician report, read back from the PDF with pdftotext, for a journal whose
true answer is known: every section with its expected numbers, in the clinician's voice.

The journal (clock fixed at 2026-11-25 12:00 UTC, London): 2 g of leaf powder (15 mg/g) three
times a day and one labelled 10 ml shot (15 mg/ml) a day for 60 days up to yesterday; daily
ratings mood 5 / anxiety 6 / pain 3 for the first 14 days of the period and 7 / 4 / 3 for the last
14; PHQ-9 totals 12, 8 and 5 (question 9 answered 1 on the last); oxycodone on the medication list.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.integration.sharing.pdf import first_page, page_count, page_text

from mitra.domain import journal as j
from mitra.domain.demo import DemoJournal, DemoUse
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.services import entries, questionnaires, reports
from mitra.services.context import Mitra
from mitra.services.demo import ingest_demo

LONDON = ZoneInfo("Europe/London")
START, END = date(2026, 10, 28), date(2026, 11, 24)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def phq9(total_of_first_eight: int, item9: int) -> dict[str, int]:
    answers = {f"phq9.q{i}": 0 for i in range(1, 10)}
    for i in range(total_of_first_eight):
        answers[f"phq9.q{i % 8 + 1}"] += 1
    answers["phq9.q9"] = item9
    return answers


def build(mitra: Mitra) -> None:
    days = [END - timedelta(days=n) for n in range(59, -1, -1)]
    products = [
        Product("Red leaf", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0),
        Product(
            "Extract shot",
            ProductForm.TINCTURE,
            mitragynine_mg_per_unit=15.0,
            serving_unit=ServingUnit.ML,
        ),
    ]
    uses = [DemoUse(0, 2.0, "g", at(d, h)) for d in days for h in (8, 14, 20)]
    uses += [DemoUse(1, 10.0, "ml", at(d, 19)) for d in days]
    checkins = [
        j.CheckIn(at(d, 21), "Europe/London", mood=5, anxiety=6, pain=3)
        if (d - START).days < 14
        else j.CheckIn(at(d, 21), "Europe/London", mood=7, anxiety=4, pain=3)
        for d in days
        if d >= START
    ]
    ingest_demo(mitra, DemoJournal(products=products, uses=uses, checkins=checkins))
    questionnaires.onboard(mitra, conditions="anxiety,depression", country="GB")
    for day, first_eight, item9 in (
        (date(2026, 11, 1), 12, 0),
        (date(2026, 11, 15), 8, 0),
        (date(2026, 11, 23), 4, 1),
    ):
        questionnaires.administer(mitra, "phq9", phq9(first_eight, item9), taken_at=at(day, 10))
    entries.save(mitra, "medications", {"name": "Oxycodone"})


@pytest.fixture
def text(mitra: Mitra, tmp_path: Path) -> str:
    build(mitra)
    return first_page(reports.report_bytes(mitra, START, END, "pdf"), tmp_path)


def test_page_one_has_every_section_with_its_numbers(text: str) -> None:
    assert "Period: 2026-10-28 to 2026-11-24" in text
    assert "Place: GB" in text
    assert "Anxiety, Depression or low mood" in text
    assert "Mitra does not recommend kratom or any dose." in text
    # Scores: latest 5 (mild), previous 8, first 12 on 2026-11-01, change -7, meaningful.
    assert "PHQ-9 5 (Mild) 2026-11-23 8 12 (2026-11-01) -7 (meaningful change) 3" in text
    assert "PHQ-9 question 9" in text and "answered 1 ('Several days') on 2026-11-23" in text
    # Daily ratings: last 14 days, the 14 before, the period, days rated.
    assert "Mood (0 very low – 10 very good) 7 5 6 28" in text
    assert "Anxiety (0 none – 10 worst) 4 6 5 28" in text
    assert "Sleep quality" not in text  # not rated in this period
    # Kratom: whole days, every dose, grams of leaf and mg mitragynine from labels.
    assert "(28 whole days)" in text and re.search(r"Days with any\s+28 of 28", text)
    assert "Doses per day 4.0 (every dose, any unit)" in text
    assert "6.0 g (28 days with known grams)" in text
    assert "240 mg (28 days with every dose labelled)" in text
    assert "Red leaf Leaf powder 84 168 2520 —" in text
    assert "Extract shot Tincture / shot 28 — 4200 —" in text  # its mg, never "0 g"
    assert "about the same (95%" in text and "Daily amount = doses per day x amount" in text
    # Medications with their interaction class; alerts for the clinician; the chart.
    assert "Oxycodone — scheduled — current Opioids" in text
    assert "crisis The person reported" in text and "urgent Opioid medicine with" in text
    assert "Kratom and daily ratings, 2026-10-28 to 2026-11-24" in text
    assert re.search(r"Page 1 of \d+$", text)


def test_the_clinician_sections_speak_of_the_person_not_to_them(text: str) -> None:
    words = set(re.findall(r"[A-Za-z']+", text.lower()))
    assert not words & {"you", "your", "yours", "yourself"}


def test_no_page_is_blank_and_page_two_holds_the_timelines(mitra: Mitra, tmp_path: Path) -> None:
    build(mitra)
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.report_bytes(mitra, START, END, "pdf"))
    texts = [page_text(path, n, layout=False) for n in range(1, page_count(path) + 1)]
    blank = [n for n, found in enumerate(texts, start=1) if len(found.split()) <= 10]
    assert blank == []
    two = texts[1]
    assert two.startswith("Mitra report 2026-10-28 to 2026-11-24 Timelines and n-of-1 findings")
    assert "PHQ-9 total, 2026-10-28 to 2026-11-24" in two  # the report's own period
    assert two.count("not proof of cause") == 1 and "not proof that kratom" not in two
