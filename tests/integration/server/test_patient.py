"""Issue #21, one patient seen by their clinician (services): the patient page, the live report
and the FHIR bundle limited to the consented kinds and period, the questionnaire request from
the clinician's ask to the person's Home and back, and one audit event per look."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from tests.integration.server.clinic_people import People, people, share
from tests.integration.server.test_clinician import journal_of, phq9

from mitra.domain.journal import CheckIn, Medication
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import audit, clinician, entries, patient, questionnaires, registry
from mitra.services.context import Mitra

FROM = "203.0.113.9"


@pytest.fixture
def who(mitra: Mitra) -> Iterator[People]:
    with people(mitra) as found:
        yield found


def events(who: People) -> int:
    return audit.verify(who.base).events


def test_the_patient_page_shows_the_scope_only_and_records_the_look(who: People) -> None:
    ana = journal_of(who, who.ana)
    questionnaires.administer(
        ana, "phq9", phq9([3] * 8 + [0]), taken_at=who.base.now() - timedelta(days=40)
    )
    questionnaires.administer(ana, "gad7", {f"gad7.q{n}": 1 for n in range(1, 8)})
    granted = share(who.base, who.ana, who.lee, ["questionnaires"], period="rolling", days=30)
    lee = clinician.actor(who.lee, "lee")
    shown = patient.page(who.base, lee, granted.id, FROM)
    assert set(shown.row.scores) == {"gad7"}  # the PHQ-9 of 40 days ago is outside the period
    assert shown.row.scores["gad7"].total == 7.0
    assert (shown.row.kratom, shown.row.taper, shown.taper) == (None, None, None)
    assert events(who) == 1
    told = audit.disclosures(who.base, who.ana)[0].words
    assert told.endswith(
        "lee looked at your questionnaires (the last 30 days (a window that "
        "moves with each day)) via patient page"
    )
    with pytest.raises(NotFoundError):
        patient.page(who.base, clinician.actor(who.max, "max"), granted.id, FROM)


def test_the_live_report_holds_only_the_consented_sections(who: People) -> None:
    ana = journal_of(who, who.ana)
    questionnaires.administer(ana, "gad7", {f"gad7.q{n}": 2 for n in range(1, 8)})
    entries.add(ana, registry.kind_named("medications"), Medication("sertraline"))
    granted = share(who.base, who.ana, who.lee, ["questionnaires"])
    text = patient.report_html(who.base, clinician.actor(who.lee, "lee"), granted.id, FROM, 30)
    assert "<h2>Questionnaire scores</h2>" in text and "GAD-7" in text
    for hidden in (
        "Medications and other substances",
        "Kratom use pattern",
        "Taper plan",
        "Conditions being managed",
        "Appendix: full tables",
        "sertraline",
    ):
        assert hidden not in text, hidden
    assert "2026-10-27 to 2026-11-25" in text  # the last 30 days, ending today
    assert events(who) == 1
    # shared alerts carry their reasons, which can name a medication (the plain words say so)
    alerts = share(who.base, who.ana, who.lee, ["alerts"])
    text = patient.report_html(who.base, clinician.actor(who.lee, "lee"), alerts.id, FROM, 30)
    assert "<h2>Open safety alerts</h2>" in text and "&#39;sertraline&#39; is on their" in text
    with pytest.raises(InvalidInputError):
        patient.report_html(who.base, clinician.actor(who.lee, "lee"), granted.id, FROM, 7)


def test_the_fhir_bundle_is_limited_to_the_consent_and_labelled_eth(who: People) -> None:
    ana = journal_of(who, who.ana)
    questionnaires.administer(
        ana, "phq9", phq9([1] * 8 + [0]), taken_at=who.base.now() - timedelta(days=40)
    )
    questionnaires.administer(ana, "phq9", phq9([2] * 8 + [0]))
    entries.add(ana, registry.kind_named("medications"), Medication("sertraline"))
    entries.add(
        ana,
        registry.kind_named("checkins"),
        CheckIn(who.base.now(), "UTC", mood=4, note="a private word"),
    )
    granted = share(
        who.base, who.ana, who.lee, ["questionnaires", "checkins"], period="rolling", days=30
    )
    document = patient.fhir_bundle(who.base, clinician.actor(who.lee, "lee"), granted.id, FROM)
    model: Any = get_fhir_model_class("Bundle").model_validate(document)
    kinds = {e.resource.get_resource_type() for e in model.entry}
    assert kinds == {"Patient", "Questionnaire", "QuestionnaireResponse", "Observation"}
    responses = [
        e for e in model.entry if e.resource.get_resource_type() == "QuestionnaireResponse"
    ]
    assert len(responses) == 1  # the one of 40 days ago is outside the consented period
    assert "a private word" not in str(document) and "sertraline" not in str(document)
    assert [c.code for c in model.meta.security] == ["ETH"]
    assert all("ETH" in [c.code for c in e.resource.meta.security] for e in model.entry)
    assert events(who) == 1


def test_a_requested_phq9_is_due_on_the_persons_home_until_answered_and_the_clinician_sees_it(
    who: People,
) -> None:
    ana = journal_of(who, who.ana)
    earlier = who.base.now() - timedelta(hours=3)
    questionnaires.administer(ana, "phq9", phq9([0] * 9), taken_at=earlier)  # not due by schedule
    assert not next(d for d in questionnaires.due(ana) if d.instrument_id == "phq9").is_due
    granted = share(who.base, who.ana, who.lee, ["questionnaires"])
    lee = clinician.actor(who.lee, "lee")
    later = who.base.now() - timedelta(hours=1)
    asking = Mitra(who.base.store, who.base.settings, lambda: later)
    patient.request_questionnaire(asking, lee, granted.id, "phq9", FROM)
    due = next(d for d in questionnaires.due(ana) if d.instrument_id == "phq9")
    assert due.is_due and due.because.startswith("lee (your clinician) asked for it on 2026-11-25")
    assert patient.page(asking, lee, granted.id, FROM).requests[0].answer is None
    questionnaires.administer(ana, "phq9", phq9([1, 1, 1, 1, 1, 0, 0, 0, 0]))
    assert not next(d for d in questionnaires.due(ana) if d.instrument_id == "phq9").is_due
    answer = patient.page(asking, lee, granted.id, FROM).requests[0].answer
    assert answer is not None and answer.score.total == 5
    with pytest.raises(InvalidInputError):
        patient.request_questionnaire(asking, lee, granted.id, "audit_c", FROM)
    scoped = share(who.base, who.ben, who.lee, ["uses"])
    with pytest.raises(NotFoundError):  # questionnaires are not shared: no asking either
        patient.request_questionnaire(asking, lee, scoped.id, "phq9", FROM)


def test_kratom_shared_but_never_logged_reads_no_use_logged_not_zero_grams(who: People) -> None:
    granted = share(who.base, who.ben, who.lee, ["uses"])
    shown = patient.page(who.base, clinician.actor(who.lee, "lee"), granted.id, FROM)
    assert (shown.row.kratom, shown.row.kratom_change) == ("no use logged (last 28 days)", None)
