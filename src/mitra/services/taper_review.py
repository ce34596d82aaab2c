"""A clinician reviews a person's taper plan (issue #21): comments on it, approves it, or
proposes a gentler change (slower, hold, step back); the person sees each on their plan page and
accepts or declines it. Rules: `domain.taper_review` (nothing can speed a plan up)."""

from __future__ import annotations

from mitra.adapters.store import clinic as store
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.clock import local_day
from mitra.domain.consent import Shared
from mitra.domain.taper_review import Answer, Review, ReviewKind, as_event, check_kind
from mitra.errors import ConflictError, NotFoundError
from mitra.services import audit, patient, taper
from mitra.services.context import Mitra


def propose(
    mitra: Mitra,
    actor: audit.Actor,
    consent_id: int,
    kind: str,
    text: str,
    every_days: int | None,
    source: str,
) -> Review:
    """The clinician's review of the open plan, checked against where the plan is now."""
    chosen = check_kind(kind)
    seen = patient.look(
        mitra, actor, consent_id, f"taper {chosen.value}", source, Shared.TAPER, action="C"
    )
    view = taper.current(seen.journal)
    if view is None:
        raise ConflictError("there is no open taper plan to review")
    now = mitra.now()
    review = Review(
        0,
        seen.consent.id,
        view.id,
        actor.name,
        chosen,
        every_days if chosen is ReviewKind.SLOWER else None,
        text.strip(),
        now,
    )
    as_event(review, view.where, now, seen.today)  # refuses what the plan cannot take now
    with mitra.for_journal(NO_JOURNAL).store.write() as conn:
        made = store.add_review(conn, seen.consent.person_account_id, review)
    return Review(**{**review.__dict__, "id": made})


def for_person(mitra: Mitra) -> list[Review]:
    """The reviews made to the person whose journal `mitra` is, newest first."""
    with mitra.store.read() as conn:
        return store.reviews_of_journal(conn, mitra.store.journal_id)


def answer(mitra: Mitra, review_id: int, *, accept: bool) -> Review:
    """The person accepts (the change is recorded on the plan, by the clinician, with why) or
    declines a review; a comment is marked seen. One transaction."""
    now = mitra.now()
    with mitra.store.write() as conn:
        found = next(
            (
                r
                for r in store.reviews_of_journal(conn, mitra.store.journal_id)
                if r.id == review_id
            ),
            None,
        )
        if found is None:
            raise NotFoundError(f"no review with id {review_id}")
        if found.answer is not None:
            raise ConflictError(f"already {found.answer.value}")
        if found.kind is ReviewKind.COMMENT:
            result = Answer.SEEN
        elif accept:
            view = taper.view_in(conn, found.plan_id, now)
            event = as_event(found, view.where, now, local_day(now, view.plan.tz))
            assert event is not None
            taper.record_in(mitra, conn, found.plan_id, event)
            result = Answer.ACCEPTED
        else:
            result = Answer.DECLINED
        store.answer_review(conn, review_id, result, now)
    return Review(**{**found.__dict__, "answer": result, "answered_at": now})
