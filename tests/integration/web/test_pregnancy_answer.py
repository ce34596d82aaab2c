"""The optional pregnancy and breastfeeding answer: the onboarding form, `mitra onboard
--pregnancy` and the service all store it as a preference and raise or resolve its alert at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mitra.domain.safety import Pregnancy
from mitra.errors import InvalidInputError
from mitra.services import safety
from mitra.services.context import Mitra

FORM = {"conditions": ["anxiety"], "country": "GB", "regular_use": "", "sex": ""}


def open_rules(mitra: Mitra) -> list[str]:
    return [s.alert.rule_id for s in safety.list_alerts(mitra)]


def test_the_onboarding_form_offers_the_answer_and_saves_it(
    client: TestClient, mitra: Mitra
) -> None:
    page = client.get("/onboarding").text
    assert "Are you pregnant or breastfeeding? (optional)" in page
    assert 'name="pregnancy" value=""' in page and "checked> Prefer not to say" in page
    posted = client.post("/onboarding", data={**FORM, "pregnancy": "pregnant"})
    assert posted.status_code == 200
    assert safety.read_pregnancy(mitra) is Pregnancy.PREGNANT
    assert "pregnancy.kratom" in open_rules(mitra)
    assert 'value="pregnant" checked' in client.get("/onboarding").text
    client.post("/onboarding", data={**FORM, "pregnancy": ""})
    assert safety.read_pregnancy(mitra) is None
    assert "pregnancy.kratom" not in open_rules(mitra)


def test_a_form_without_the_field_leaves_the_answer_alone(client: TestClient, mitra: Mitra) -> None:
    safety.set_pregnancy(mitra, "breastfeeding")
    client.post("/onboarding", data=FORM)
    assert safety.read_pregnancy(mitra) is Pregnancy.BREASTFEEDING


def test_settings_link_to_the_answer(client: TestClient) -> None:
    assert 'href="/onboarding#pregnancy"' in client.get("/settings").text


def test_the_cli_sets_and_clears_it(cli: Callable[..., Any], mitra: Mitra) -> None:
    done = cli("onboard", "--country", "GB", "--pregnancy", "Breastfeeding")
    assert done.exit_code == 0, done.output
    assert safety.read_pregnancy(mitra) is Pregnancy.BREASTFEEDING
    assert cli("onboard", "--country", "GB", "--pregnancy", "").exit_code == 0
    assert safety.read_pregnancy(mitra) is None
    bad = cli("onboard", "--country", "GB", "--pregnancy", "maybe")
    assert bad.exit_code == 2 and "'maybe' is not one of: pregnant, breastfeeding" in bad.output


def test_an_unknown_answer_is_refused_and_nothing_is_stored(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="pregnancy"):
        safety.set_pregnancy(mitra, "sometimes")
    assert safety.read_pregnancy(mitra) is None
