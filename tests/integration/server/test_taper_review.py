"""Issue #21: a clinician comments on, approves, or proposes a gentler change to a person's
taper plan; the person sees each and accepts or declines; the plan's event says who and why;
nothing can speed the plan up; a consent that does not share the plan allows no review."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.integration.server.clinic_people import People, people, share
from tests.integration.server.test_clinician import journal_of
from tests.integration.taper_journal import seed_sixty_days

from mitra.domain.taper import Actor, EventKind, State
from mitra.domain.taper_review import Answer
from mitra.errors import ConflictError, InvalidInputError, NotFoundError
from mitra.services import audit, clinician, patient, taper, taper_review
from mitra.services.context import Mitra

FROM = "203.0.113.9"


@pytest.fixture
def who(mitra: Mitra) -> Iterator[People]:
    with people(mitra) as found:
        yield found


def test_a_proposed_slower_pace_is_recorded_by_the_clinician_once_the_person_accepts(
    who: People,
) -> None:
    ana = journal_of(who, who.ana)
    seed_sixty_days(ana)
    plan = taper.create(ana, taper.Choice("community-percent"))
    taper.act(ana, plan.id, "start")
    granted = share(who.base, who.ana, who.lee, ["taper"])
    lee = clinician.actor(who.lee, "lee")
    every = plan.where.every_days
    with pytest.raises(InvalidInputError):  # faster is never a proposal
        taper_review.propose(who.base, lee, granted.id, "slower", "", every - 1, FROM)
    proposed = taper_review.propose(
        who.base, lee, granted.id, "slower", "your SOWS is rising", every * 2, FROM
    )
    comment = taper_review.propose(who.base, lee, granted.id, "comment", "well done", None, FROM)
    assert [r.id for r in taper_review.for_person(ana)] == [comment.id, proposed.id]
    assert taper.current(ana).where.every_days == every  # type: ignore[union-attr]
    accepted = taper_review.answer(ana, proposed.id, accept=True)
    assert accepted.answer is Answer.ACCEPTED
    view = taper.current(ana)
    assert view is not None and view.where.every_days == every * 2
    last = view.events[-1]
    assert (last.kind, last.by, last.every_days) == (EventKind.SLOWER, Actor.CLINICIAN, every * 2)
    assert last.why == "lee proposed: your SOWS is rising; the person accepted"
    assert taper_review.answer(ana, comment.id, accept=True).answer is Answer.SEEN
    with pytest.raises(ConflictError):
        taper_review.answer(ana, proposed.id, accept=False)
    shown = patient.page(who.base, lee, granted.id, FROM)
    assert [(r.kind.value, r.answer) for r in shown.reviews] == [
        ("comment", Answer.SEEN),
        ("slower", Answer.ACCEPTED),
    ]
    assert audit.verify(who.base).events == 4  # the refused, the two reviews, the page


def test_a_declined_hold_changes_nothing_and_an_approval_records_the_agreement(
    who: People,
) -> None:
    ana = journal_of(who, who.ana)
    seed_sixty_days(ana)
    plan = taper.create(ana, taper.Choice("community-percent"))
    taper.act(ana, plan.id, "start")
    granted = share(who.base, who.ana, who.lee, ["taper", "questionnaires"])
    lee = clinician.actor(who.lee, "lee")
    hold = taper_review.propose(who.base, lee, granted.id, "hold", "", None, FROM)
    assert taper_review.answer(ana, hold.id, accept=False).answer is Answer.DECLINED
    assert taper.current(ana).where.state is State.ACTIVE  # type: ignore[union-attr]
    approve = taper_review.propose(who.base, lee, granted.id, "approve", "", None, FROM)
    taper_review.answer(ana, approve.id, accept=True)
    agreed = taper.current(ana).where.agreed  # type: ignore[union-attr]
    assert agreed is not None and agreed.clinician == "lee"
    with pytest.raises(NotFoundError):  # ben cannot answer ana's review
        taper_review.answer(journal_of(who, who.ben), approve.id, accept=True)


def test_no_review_without_the_plan_shared_or_without_an_open_plan(who: People) -> None:
    lee = clinician.actor(who.lee, "lee")
    scoped = share(who.base, who.ana, who.lee, ["questionnaires"])
    with pytest.raises(NotFoundError):
        taper_review.propose(who.base, lee, scoped.id, "comment", "hi", None, FROM)
    shared = share(who.base, who.ben, who.lee, ["taper"])
    with pytest.raises(ConflictError, match="no open taper plan"):
        taper_review.propose(who.base, lee, shared.id, "comment", "hi", None, FROM)
    with pytest.raises(InvalidInputError):
        taper_review.propose(who.base, lee, shared.id, "faster", "", None, FROM)
