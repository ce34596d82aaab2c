"""Give to a study from the web (#22): choose the study file, read what leaves, agree, download
the package; withdraw and download the record. Nothing is recorded without the tick, with a bad
answer, or from another site."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.studies import study_yaml

from mitra.adapters.research import package
from mitra.services import activity, research
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo

STUDY = study_yaml()
ANSWERS = {"study_text": STUDY, "birth_year": "1984", "sex": "female", "state": "us-fl"}


@pytest.fixture
def journal(mitra: Mitra) -> Mitra:
    seed_demo(mitra, days=14, seed=2, pattern="steady", anxiety_effect_per_g=0.0, force=False)
    return mitra


def upload(client: TestClient, text: str = STUDY) -> str:
    files = {"study": ("study.yaml", text.encode(), "application/yaml")}
    answer = client.post("/sharing/research/study", files=files)
    assert answer.status_code == 200, answer.text
    return answer.text


@pytest.mark.usefixtures("journal")
def test_the_study_page_shows_the_study_its_consent_and_every_field_in_plain_words(
    client: TestClient,
) -> None:
    start = client.get("/sharing/research")
    assert start.status_code == 200
    assert "You have not given to any study." in start.text

    page = upload(client)

    assert "<h1>Kratom and mood</h1>" in page
    assert "IRB-2026-0042" in page
    assert "Consent (version 1.0)" in page
    assert "I agree to give the fields listed, in the form shown." in page
    assert "<h3>Each use of kratom</h3>" in page
    assert "<code>day</code>: the date moved by your secret whole-week shift" in page
    assert "<code>grams_leaf</code>: grams of leaf (never from a 7-OH product)" in page
    fields = research.fields_leaving(research.read_study(STUDY))
    # persons 5 + uses 13 + weekly_uses 10 + responses 8 + items 5 + checkins 8 + weekly 9
    assert page.count("<li><code>") == len(fields) == 58


def test_agreeing_downloads_the_package_and_the_journal_remembers_the_donation(
    client: TestClient, journal: Mitra, tmp_path: Path
) -> None:
    answer = client.post("/sharing/research/donate", data={**ANSWERS, "agree": "yes"})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    [donation] = research.donations(journal)
    expected_name = f"kratom-mood-2026-{donation.participant}.zip"
    assert answer.headers["content-disposition"] == f'attachment; filename="{expected_name}"'
    assert answer.headers["x-sha256"] == package.sha256(answer.content)
    (tmp_path / "p.zip").write_bytes(answer.content)
    manifest, tables = package.read_package(tmp_path / "p.zip")
    assert (manifest["participant"], manifest["tier"], manifest["donated_in"]) == (
        donation.participant,
        "registered",
        2026,
    )
    assert tables["persons"][0]["year_of_birth"] == 1984
    assert tables["persons"][0]["sex"] == "female"
    assert tables["persons"][0]["state"] == "US-FL"
    assert (donation.study_id, donation.joined_at, donation.withdrawn_at) == (
        "kratom-mood-2026",
        NOW,
        None,
    )
    listed = client.get("/sharing/research").text
    assert f"participant number <code>{donation.participant}</code>" in listed
    assert "Withdraw from kratom-mood-2026" in listed


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, "agree: tick the box to agree, or leave this page"),
        ({"agree": "yes", "state": "Jane Doe"}, "state: an ISO 3166 code such as US-FL or GB"),
        ({"agree": "yes", "birth_year": "2031"}, "birth_year: must be from 1900 to 2026, got 2031"),
    ],
)
def test_without_the_tick_or_with_a_bad_answer_nothing_is_given(
    client: TestClient, journal: Mitra, changes: dict[str, str], problem: str
) -> None:
    answer = client.post("/sharing/research/donate", data={**ANSWERS, **changes})

    assert answer.status_code == 422
    assert problem in answer.text
    assert "<h1>Kratom and mood</h1>" in answer.text  # the study is shown again, answers kept
    assert research.donations(journal) == []


@pytest.mark.usefixtures("journal")
def test_a_study_file_with_problems_is_refused_listing_every_one(client: TestClient) -> None:
    files = {"study": ("study.yaml", study_yaml(tier="open", k=1).encode(), "application/yaml")}
    answer = client.post("/sharing/research/study", files=files)

    assert answer.status_code == 422
    assert "tier: one of aggregate, registered, controlled" in answer.text
    assert "k: must be a whole number from 2 to 1000, got 1" in answer.text


def test_a_donation_posted_from_another_site_is_refused_and_nothing_is_recorded(
    client: TestClient, journal: Mitra
) -> None:
    answer = client.post(
        "/sharing/research/donate",
        data={**ANSWERS, "agree": "yes"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )

    assert answer.status_code == 403
    assert research.donations(journal) == []


def test_withdrawing_downloads_a_record_naming_only_the_study_and_the_participant(
    client: TestClient, journal: Mitra
) -> None:
    client.post("/sharing/research/donate", data={**ANSWERS, "agree": "yes"})
    [donation] = research.donations(journal)

    answer = client.post("/sharing/research/withdraw", data={"study_id": "kratom-mood-2026"})

    assert answer.status_code == 200
    assert json.loads(answer.content) == {
        "format": "mitra-withdrawal",
        "format_version": 2,
        "study_id": "kratom-mood-2026",
        "participant": donation.participant,
    }
    assert research.donations(journal)[0].withdrawn_at == NOW
    listed = client.get("/sharing/research").text
    assert "Withdrawn on 2026-11-25." in listed
    assert "Download the withdrawal record again" in listed
    actions = [(a.action, a.status.value) for a in activity.recent(journal)]
    assert actions == [("research.withdraw", "ok"), ("research.donate", "ok")]


def test_withdrawing_from_a_study_never_given_to_is_a_404(
    client: TestClient, journal: Mitra
) -> None:
    answer = client.post("/sharing/research/withdraw", data={"study_id": "kratom-mood-2026"})

    assert answer.status_code == 404
    assert [(a.action, a.status.value) for a in activity.recent(journal)] == [
        ("research.withdraw", "failed")
    ]


@pytest.mark.usefixtures("journal")
def test_the_package_holds_no_product_name(client: TestClient) -> None:
    answer = client.post("/sharing/research/donate", data={**ANSWERS, "agree": "yes"})
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist())
    assert b'"leaf_powder"' in text  # the form leaves…
    assert b"Red Bali" not in text  # …the demo journal's product names do not
    assert b"Maeng Da" not in text
