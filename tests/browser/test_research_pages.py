"""Give to a study in a real phone-sized browser (#22): choose the study file, agree, the package
downloads and passes its checksums; withdraw, and the record downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.studies import study_yaml

from mitra.adapters.research import package

pytestmark = pytest.mark.browser


def test_a_person_gives_to_a_study_and_withdraws_on_a_phone(page: Page, tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(study_yaml(), encoding="utf-8")
    page.goto("/more")
    page.get_by_role("link", name="Give to a research study").click()
    page.get_by_label("The study's file").set_input_files(study_file)
    page.get_by_role("button", name="Show me the study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kratom and mood")
    page.get_by_label("Year of birth").fill("1984")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("State or country code").fill("US-FL")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    page.get_by_label("I have read the consent text").check()
    with page.expect_download() as caught:
        page.get_by_role("button", name="Agree and download my package").click()
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    manifest, tables = package.read_package(saved)
    assert saved.name == f"kratom-mood-2026-{manifest['participant']}.zip"
    assert tables["persons"][0]["year_of_birth"] == 1984

    page.goto("/sharing/research")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Withdraw from kratom-mood-2026").click()
    record = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert record["participant"] == manifest["participant"]
    page.goto("/sharing/research")
    expect(page.get_by_text("Withdrawn on")).to_be_visible()
