"""Issue #21 through the services: roles, consent (scope, versions, revocation, expiry, FHIR
Consent), the audit chain, and the clinician's dashboard rows on synthetic data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fhir.resources.R4B import get_fhir_model_class
from tests.integration.server.clinic_people import People, people, share

from mitra.adapters.store import tables as t
from mitra.domain.consent import Shared
from mitra.errors import ForbiddenError, InvalidInputError, NotFoundError
from mitra.services import audit, clinician, consent, questionnaires, safety
from mitra.services.context import Mitra


@pytest.fixture
def who(mitra: Mitra) -> Iterator[People]:
    with people(mitra) as found:
        yield found


def phq9(values: list[int]) -> dict[str, int | float | None]:
    return {f"phq9.q{n}": v for n, v in enumerate(values, start=1)}


def journal_of(who: People, account_id: int) -> Mitra:
    with who.base.store.engine.connect() as conn:
        query = sa.select(t.accounts.c.journal_id).where(t.accounts.c.id == account_id)
        return who.base.for_journal(int(conn.execute(query).scalar_one()))


def test_a_clinic_admin_manages_clinicians_but_sees_no_patients(who: People) -> None:
    consent.set_clinician(who.base, who.kim, "ben", on=True)
    assert consent.clinicians(who.base, who.kim) == ["ben", "lee", "max"]
    with pytest.raises(ForbiddenError, match="only a clinician"):
        consent.patients(who.base, who.kim)
    with pytest.raises(ForbiddenError, match="only a clinic admin"):
        consent.set_clinician(who.base, who.ana, "ana", on=True)


def test_a_scope_is_checked_and_described_in_plain_words(who: People) -> None:
    with pytest.raises(InvalidInputError) as refused:
        consent.preview(who.base, [], "rolling", None, 0, date(2020, 1, 1))
    assert [p.field for p in refused.value.problems] == ["kinds", "days", "until"]
    shown = consent.preview(
        who.base, ["questionnaires", "uses"], "rolling", None, 90, date(2027, 1, 31)
    )
    assert shown.words[0] == (
        "the clinician who enters the code will be able to see: questionnaire scores "
        "(PHQ-9, GAD-7, PCL-5, PEG, SOWS and others); kratom use (times, amounts, products)."
    )
    assert shown.words[1] == "Period: the last 90 days (a window that moves with each day)."
    assert "Your written notes are not shared." in shown.words


def test_revocation_expiry_and_scope_each_refuse_the_very_next_read(who: People) -> None:
    granted = share(who.base, who.ana, who.lee, ["questionnaires"], until=date(2026, 11, 30))
    assert consent.granted(who.base, who.lee, granted.id, Shared.QUESTIONNAIRES)[0].id == granted.id
    with pytest.raises(NotFoundError):
        consent.granted(who.base, who.lee, granted.id, Shared.USES)  # out of scope
    with pytest.raises(NotFoundError):
        consent.granted(who.base, who.max, granted.id)  # another clinician
    later = replace(who.base, clock=lambda: who.base.now() + timedelta(days=6))
    with pytest.raises(NotFoundError):
        consent.granted(later, who.lee, granted.id)  # expired after 30 November
    consent.revoke(who.base, who.ana, granted.id)
    with pytest.raises(NotFoundError):
        consent.granted(who.base, who.lee, granted.id)
    versions = consent.versions(who.base, who.ana, granted.id)
    assert [(v["version"], v["state"], v["change"]) for v in versions] == [
        (1, "pending", "offered"),
        (2, "active", "accepted"),
        (3, "revoked", "revoked"),
    ]
    with pytest.raises(NotFoundError):
        consent.revoke(who.base, who.ben, granted.id)  # not ben's


def test_the_consent_exports_as_a_valid_fhir_r4_consent_labelled_eth(who: People) -> None:
    granted = share(
        who.base, who.ana, who.lee, ["questionnaires", "taper"], period="rolling", days=30
    )
    document = consent.fhir_consent(who.base, who.ana, granted.id)
    model: Any = get_fhir_model_class("Consent").model_validate(document)
    assert model.status == "active"
    assert [c.code for c in model.meta.security] == ["ETH"]
    assert [c.code for c in model.provision.securityLabel] == ["ETH"]
    assert [c.code for c in model.provision.class_fhir] == [
        "CarePlan",
        "Observation",
        "QuestionnaireResponse",
    ]
    assert model.provision.actor[0].reference.display == "lee"
    assert str(model.provision.dataPeriod.start) == "2026-10-27"


def test_each_dashboard_look_is_recorded_and_a_removed_event_breaks_the_chain(
    who: People,
) -> None:
    share(who.base, who.ana, who.lee, ["questionnaires", "alerts"])
    share(who.base, who.ben, who.lee, ["uses"])
    lee = clinician.actor(who.lee, "lee")
    for _ in range(3):
        clinician.dashboard(who.base, lee, "203.0.113.9")
    assert audit.verify(who.base).ok and audit.verify(who.base).events == 6
    told = [d.words for d in audit.disclosures(who.base, who.ana)]
    assert len(told) == 3
    assert told[0].endswith(
        "lee looked at your questionnaires, alerts (everything, from your first entry) "
        "via dashboard"
    )
    with who.base.store.engine.begin() as conn:  # ids are never reused: PostgreSQL's go on
        ids = list(conn.execute(sa.select(t.audit_events.c.id).order_by(t.audit_events.c.id)))
        conn.execute(t.audit_events.delete().where(t.audit_events.c.id == ids[2][0]))
    broken = audit.verify(who.base)
    assert (broken.ok, broken.broken_at) == (False, ids[3][0])
    assert f"event {ids[3][0]} does not follow" in broken.reason


def test_an_altered_event_is_detected(who: People) -> None:
    share(who.base, who.ana, who.lee, ["questionnaires"])
    clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "203.0.113.9")
    with who.base.store.engine.begin() as conn:
        conn.execute(t.audit_events.update().values(actor_name="nobody"))
        first = conn.execute(sa.select(sa.func.min(t.audit_events.c.id))).scalar_one()
    broken = audit.verify(who.base)
    assert (broken.ok, broken.broken_at) == (False, first)
    assert "altered" in broken.reason


def test_dashboard_rows_show_only_the_scope_and_item9_flags_sort_first(who: People) -> None:
    ana, ben = journal_of(who, who.ana), journal_of(who, who.ben)
    earlier = who.base.now() - timedelta(days=20)
    questionnaires.administer(ana, "phq9", phq9([2, 2, 2, 2, 2, 2, 1, 1, 0]), taken_at=earlier)
    questionnaires.administer(ana, "phq9", phq9([1, 1, 1, 1, 0, 0, 0, 0, 0]))
    questionnaires.administer(ben, "phq9", phq9([1, 1, 1, 1, 1, 1, 1, 1, 1]))
    share(who.base, who.ana, who.lee, ["questionnaires"])
    share(who.base, who.ben, who.lee, ["questionnaires", "alerts"], period="rolling", days=7)
    rows = clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "203.0.113.9").rows
    assert [r.name for r in rows] == ["ben", "ana"]  # ben's item 9 is above 0
    ben_row, ana_row = rows
    assert ben_row.item9 and ben_row.scores["phq9"].total == 9.0
    assert ben_row.crisis_alerts == 1  # crisis.phq9_item9
    assert [a.alert.rule_id for a in safety.open_alerts(ben)][0] == "crisis.phq9_item9"
    assert ana_row.crisis_alerts is None and ana_row.kratom is None and ana_row.taper is None
    assert (ana_row.scores["phq9"].total, ana_row.scores["phq9"].change) == (4.0, "improved")
    assert ana_row.scores["phq9"].band == "None-minimal"
    by_name = clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "x", sort="name")
    assert [r.name for r in by_name.rows] == ["ana", "ben"]
    by_phq9 = clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "x", sort="phq9")
    assert [r.name for r in by_phq9.rows] == ["ben", "ana"]  # 9 before 4


def test_mitra_audit_verify_names_a_deleted_event_and_role_gives_a_role(
    who: People, cli: Callable[..., Any]
) -> None:
    assert cli("role", "ben", "clinician").stdout.strip() == "ben: clinician, person"
    share(who.base, who.ana, who.lee, ["alerts"])
    for _ in range(3):
        clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "203.0.113.9")
    intact = cli("audit", "verify")
    assert intact.exit_code == 0 and "Audit chain intact: 3 events" in intact.stdout
    with who.base.store.engine.begin() as conn:
        ids = [row[0] for row in conn.execute(sa.select(t.audit_events.c.id))]
        conn.execute(t.audit_events.delete().where(t.audit_events.c.id == min(ids)))
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert f"event {sorted(ids)[1]} does not follow" in broken.stdout


def test_the_dashboard_pages_by_priority_and_records_only_the_rows_shown(who: People) -> None:
    ben = journal_of(who, who.ben)
    questionnaires.administer(ben, "phq9", phq9([1, 1, 1, 1, 1, 1, 1, 1, 1]))  # item 9 above 0
    share(who.base, who.ana, who.lee, ["questionnaires", "alerts"])
    share(who.base, who.ben, who.lee, ["questionnaires", "alerts"])
    share(who.base, who.max, who.lee, ["uses"])  # max is a person here too
    lee = clinician.actor(who.lee, "lee")
    first = clinician.dashboard(who.base, lee, "x", page=1, page_size=2)
    assert ([r.name for r in first.rows], first.pages, first.total) == (["ben", "ana"], 2, 3)
    assert audit.verify(who.base).events == 2
    second = clinician.dashboard(who.base, lee, "x", page=2, page_size=2)
    assert [r.name for r in second.rows] == ["max"]
    assert [d.words.split(" via ")[1] for d in audit.disclosures(who.base, who.max)] == [
        "dashboard"
    ]
    beyond = clinician.dashboard(who.base, lee, "x", page=99, page_size=2)
    assert beyond.page == 2


@pytest.mark.parametrize(
    ("earlier", "later", "words"),
    [
        ([2, 2, 2, 2, 2, 2, 1, 1, 0], [2, 2, 2, 1, 1, 1, 0, 0, 0], "improved"),  # 14 -> 9
        ([2, 2, 2, 2, 2, 2, 1, 1, 0], [2, 2, 2, 2, 1, 1, 0, 0, 0], "no meaningful change"),  # -> 10
        ([2, 2, 2, 1, 1, 1, 0, 0, 0], [2, 2, 2, 2, 2, 2, 1, 1, 0], "worse"),  # 9 -> 14
    ],
)
def test_dashboard_change_words_follow_the_phq9_five_point_threshold_of_lowe_2004(
    who: People, earlier: list[int], later: list[int], words: str
) -> None:
    """The dashboard words the domain's `compare`, whose PHQ-9 threshold is the knowledge
    file's 5 points (Löwe et al. 2004): a fall of exactly 5 is meaningful, of 4 is not."""
    ana = journal_of(who, who.ana)
    questionnaires.administer(ana, "phq9", phq9(earlier), taken_at=who.base.now() - timedelta(1))
    questionnaires.administer(ana, "phq9", phq9(later))
    share(who.base, who.ana, who.lee, ["questionnaires"])
    (row,) = clinician.dashboard(who.base, clinician.actor(who.lee, "lee"), "x").rows
    assert row.scores["phq9"].change == words
