"""A sign-in code (TOTP) is accepted once (RFC 6238 section 5.2): the same code again within its
window is refused as a wrong code is, the next step's code works, the code that turned the factor
on cannot sign in, and of two concurrent sign-ins with one code exactly one gets a session."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.conftest import NOW

from mitra.adapters.auth import secrets as auth
from mitra.adapters.store import tables as t
from mitra.adapters.store.engine import is_sqlite
from mitra.errors import ForbiddenError
from mitra.services import accounts
from mitra.services.context import Mitra

PASSWORD = "a long walk by the river"
STEP = int(NOW.timestamp()) // 30  # NOW is 12:00:00, the first second of its step
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of RFC 6238 Appendix B's "1234...890"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # fixed, so every code below is the same each run


@dataclass
class Clock:
    at: datetime

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Ana:
    base: Mitra
    clock: Clock
    account_id: int
    secret: str

    def code(self, seconds: float) -> str:
        """The code the app shows `seconds` after NOW."""
        return accounts.second_factor_code(self.secret, NOW + timedelta(seconds=seconds))

    def at(self, seconds: float) -> None:
        self.clock.at = NOW + timedelta(seconds=seconds)

    def last_step(self) -> int | None:
        query = sa.select(t.accounts.c.totp_last_step).where(t.accounts.c.id == self.account_id)
        with self.base.store.engine.connect() as conn:
            step = conn.execute(query).scalar_one()
        return None if step is None else int(step)

    def sessions(self) -> int:
        query = sa.select(sa.func.count()).where(t.sessions.c.account_id == self.account_id)
        with self.base.store.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


@pytest.fixture
def ana(mitra: Mitra) -> Ana:
    clock = Clock(NOW)
    base = replace(mitra, clock=clock)
    account_id = accounts.add_account(base, "ana", PASSWORD)
    return Ana(base, clock, account_id, SECRET)


def refusal(ana: Ana, throttle: accounts.Throttle, code: str) -> str:
    with pytest.raises(ForbiddenError) as refused:
        accounts.sign_in(ana.base, throttle, "ana", PASSWORD, "10.0.0.1", code)
    return str(refused.value)


def test_the_rfc_vector_matches_its_own_step_and_the_steps_either_side_only() -> None:
    # RFC 6238 Appendix B: at T = 59 s the 8-digit SHA-1 code is 94287082 (step 1); the 6-digit
    # code is its last six digits
    at = [datetime.fromtimestamp(s, UTC) for s in (59, 0, 89, 90, 1234567890)]
    assert [auth.totp_step(RFC_SECRET, "287082", when) for when in at] == [1, 1, 1, None, None]
    assert auth.totp_step(RFC_SECRET, "287 082", at[0]) == 1
    assert [auth.totp_step(RFC_SECRET, c, at[0]) for c in ("287083", "28708", "")] == [None] * 3


def test_a_code_signs_in_once_then_only_a_later_steps_code(ana: Ana) -> None:
    ana.at(-90)
    accounts.turn_on_second_factor(ana.base, ana.account_id, ana.secret, ana.code(-90))
    assert ana.last_step() == STEP - 3
    throttle = accounts.Throttle(clock=lambda: 1000.0)
    ana.at(10)
    first = accounts.sign_in(ana.base, throttle, "ana", PASSWORD, "10.0.0.1", ana.code(10))
    assert (first.account_id, ana.last_step(), ana.sessions()) == (ana.account_id, STEP, 1)
    ana.at(15)
    again = refusal(ana, throttle, ana.code(10))
    wrong = refusal(ana, throttle, f"{(int(ana.code(10)) + 1) % 10**6:06d}")
    assert again == wrong == accounts.WRONG
    assert throttle.failures == {"account:ana": 2, "address:10.0.0.1": 2}  # counted alike
    ana.at(31)
    earlier = ana.code(5)  # step STEP: still within one step of drift, but used
    assert auth.totp_step(ana.secret, earlier, ana.base.now()) == STEP
    assert refusal(ana, throttle, earlier) == accounts.WRONG
    later = accounts.sign_in(ana.base, throttle, "ana", PASSWORD, "10.0.0.1", ana.code(31))
    assert (later.account_id, ana.last_step(), ana.sessions()) == (ana.account_id, STEP + 1, 2)


def test_the_code_that_turned_the_factor_on_cannot_sign_in(ana: Ana) -> None:
    accounts.turn_on_second_factor(ana.base, ana.account_id, ana.secret, ana.code(0))
    throttle = accounts.Throttle(clock=lambda: 1000.0)
    ana.at(5)
    assert refusal(ana, throttle, ana.code(0)) == accounts.WRONG
    with pytest.raises(accounts.CodeNeededError) as needed:
        accounts.sign_in(ana.base, throttle, "ana", PASSWORD, "10.0.0.1")
    pending = needed.value.pending
    with pytest.raises(ForbiddenError, match=accounts.WRONG):
        accounts.finish_sign_in(ana.base, throttle, pending, ana.code(0), "10.0.0.1")
    assert (ana.last_step(), ana.sessions()) == (STEP, 0)
    done = accounts.finish_sign_in(ana.base, throttle, pending, ana.code(30), "10.0.0.1")
    assert (done.account_id, ana.last_step(), ana.sessions()) == (ana.account_id, STEP + 1, 1)


def test_turning_the_factor_off_forgets_the_step_and_on_again_records_the_new_one(
    ana: Ana,
) -> None:
    accounts.turn_on_second_factor(ana.base, ana.account_id, ana.secret, ana.code(0))
    accounts.turn_off_second_factor(ana.base, ana.account_id, PASSWORD)
    assert ana.last_step() is None
    fresh = accounts.new_second_factor("ana").secret
    ana.at(40)
    code = accounts.second_factor_code(fresh, ana.base.now())
    accounts.turn_on_second_factor(ana.base, ana.account_id, fresh, code)
    assert ana.last_step() == STEP + 1


def _waiting_on_a_row_lock(engine: sa.Engine, count: int) -> bool:
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE accounts%'"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() == count:
                return True
        time.sleep(0.05)
    return False


def test_two_concurrent_sign_ins_with_one_code_exactly_one_gets_a_session(ana: Ana) -> None:
    """On PostgreSQL both sign-ins are held at the account row (a third transaction locks it)
    until both have checked the password and the code and wait to record the step: then the
    lock goes and they race. SQLite has one writer at a time; the same outcome is checked."""
    accounts.turn_on_second_factor(ana.base, ana.account_id, ana.secret, ana.code(-30))
    ana.at(5)
    code = ana.code(5)
    throttle = accounts.Throttle(clock=lambda: 1000.0)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def sign_in(address: str) -> None:
        start.wait()
        try:
            accounts.sign_in(ana.base, throttle, "ana", PASSWORD, address, code)
            outcomes.append("signed in")
        except ForbiddenError as refused:
            outcomes.append(str(refused))

    engine = ana.base.store.engine
    threads = [threading.Thread(target=sign_in, args=(f"10.0.0.{n}",)) for n in (1, 2)]
    with engine.connect() as blocker:
        if not is_sqlite(engine):
            blocker.begin()
            lock = t.accounts.select().where(t.accounts.c.id == ana.account_id).with_for_update()
            blocker.execute(lock)
        for thread in threads:
            thread.start()
        if not is_sqlite(engine):
            assert _waiting_on_a_row_lock(engine, 2)
            blocker.rollback()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(outcomes) == ["signed in", accounts.WRONG]
    assert (ana.last_step(), ana.sessions()) == (STEP, 1)
