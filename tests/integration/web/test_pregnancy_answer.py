"""The optional pregnancy and breastfeeding answer: the onboarding form, the settings page, the
API, `mitra onboard --pregnancy` and the service all store it as a preference and raise or resolve
its alert at once."""

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


def test_settings_change_the_answer_on_their_own_form(client: TestClient, mitra: Mitra) -> None:
    page = client.get("/settings").text
    assert 'action="/settings/pregnancy"' in page
    assert "checked> Prefer not to say" in page
    posted = client.post(
        "/settings/pregnancy", data={"pregnancy": "breastfeeding"}, follow_redirects=False
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/settings?saved=pregnancy#pregnancy"
    assert safety.read_pregnancy(mitra) is Pregnancy.BREASTFEEDING
    assert "pregnancy.kratom" in open_rules(mitra)
    shown = client.get("/settings?saved=pregnancy").text
    assert 'value="breastfeeding" checked' in shown
    assert '<p class="notice" role="status">Saved.</p>' in shown
    refused = client.post("/settings/pregnancy", data={"pregnancy": "sometimes"})
    assert refused.status_code == 422
    assert "&#39;sometimes&#39; is not one of" in refused.text
    assert safety.read_pregnancy(mitra) is Pregnancy.BREASTFEEDING
    client.post("/settings/pregnancy", data={"pregnancy": ""})
    assert safety.read_pregnancy(mitra) is None
    assert "pregnancy.kratom" not in open_rules(mitra)


def test_the_api_reads_sets_and_clears_the_answer(client: TestClient, mitra: Mitra) -> None:
    assert client.get("/api/v1/pregnancy").json() == {"answer": None}
    put = client.put("/api/v1/pregnancy", json={"answer": "pregnant"})
    assert put.status_code == 200 and put.json() == {"answer": "pregnant"}
    assert client.get("/api/v1/pregnancy").json() == {"answer": "pregnant"}
    alerts = client.get("/api/v1/alerts").json()
    assert [a["rule_id"] for a in alerts].count("pregnancy.kratom") == 1
    refused = client.put("/api/v1/pregnancy", json={"answer": "maybe"})
    assert refused.status_code == 422
    assert safety.read_pregnancy(mitra) is Pregnancy.PREGNANT
    assert client.put("/api/v1/pregnancy", json={"answer": None}).json() == {"answer": None}
    assert safety.read_pregnancy(mitra) is None
    assert "pregnancy.kratom" not in open_rules(mitra)


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
