"""The web app's gates against what a loopback attack run did (issue #15, items 3-5 and the lock
should-fixes): Lock ends every browser's session; nothing of the journal — not an alert's title —
shows without an unlocked session; parallel guesses get one evaluation per window, counted per
client under a global ceiling; and nothing is served without the per-install login secret."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.conftest import signed_in
from tests.integration.lock.conftest import FakeClock

from mitra.adapters.store.engine import build_engine
from mitra.interfaces.web.app import create_app
from mitra.interfaces.web.lock import (
    CLIENT_COOKIE,
    MAX_GLOBAL_DELAY_S,
    SESSION_COOKIE,
    AppLock,
    Attempts,
    TooSoonError,
    lock_of,
)
from mitra.interfaces.web.login import Login
from mitra.services import lock
from mitra.services import questionnaires as q
from mitra.services.context import open_mitra
from mitra.settings import Settings

OLD = "correct horse battery staple"
BASE = "http://127.0.0.1:8000"
ALERT_TITLE = "You reported thoughts of death or self-harm"


@pytest.fixture
def app_with_alert(journal_settings: Settings, clock: FakeClock) -> Iterator[Any]:
    """An encrypted journal holding an open crisis alert (PHQ-9 item 9 answered 1), served."""
    mitra = open_mitra(journal_settings, passphrase=OLD)
    q.administer(mitra, "phq9", {f"phq9.q{n}": (1 if n == 9 else 0) for n in range(1, 10)})
    mitra.close()
    app = create_app(journal_settings)
    lock_of(app.state).clock = clock
    with TestClient(app, base_url=BASE, follow_redirects=False):
        yield app


def _browser(app: Any) -> TestClient:
    return signed_in(TestClient(app, base_url=BASE, follow_redirects=False))


def _unlocked(app: Any) -> TestClient:
    browser = _browser(app)
    assert browser.post("/unlock", data={"passphrase": OLD, "next": "/"}).status_code == 303
    return browser


def test_lock_ends_every_browsers_session_not_only_the_one_that_pressed_it(
    app_with_alert: Any,
) -> None:
    first, second = _unlocked(app_with_alert), _unlocked(app_with_alert)
    assert second.get("/history").status_code == 200
    assert first.post("/lock").headers["location"] == "/unlock"
    assert second.get("/history").headers["location"] == "/unlock?next=/history"
    assert second.get("/api/v1/products").status_code == 401
    assert lock_of(app_with_alert.state).state.mitra is None


def test_no_page_shows_an_alert_title_to_a_session_that_has_not_unlocked(
    app_with_alert: Any,
) -> None:
    owner = _unlocked(app_with_alert)
    assert ALERT_TITLE in owner.get("/").text  # the banner, for the unlocked owner
    other = _browser(app_with_alert)
    pages = [
        other.get("/unlock"),
        other.post("/unlock", data={"passphrase": "a wrong guess", "next": "/"}),
        other.post("/unlock", data={"passphrase": "too soon", "next": "/"}),
        other.get("/login"),
        other.get("/static/missing.css"),
    ]
    assert [p.status_code for p in pages] == [200, 401, 429, 401, 404]
    assert [p for p in pages if ALERT_TITLE in p.text or "alert-banner" in p.text] == []
    stranger = TestClient(app_with_alert, base_url=BASE, follow_redirects=False)
    assert ALERT_TITLE not in stranger.get("/login").text


def test_parallel_guesses_get_one_evaluation_per_window_even_from_many_clients(
    app_with_alert: Any,
) -> None:
    guessers = [_browser(app_with_alert) for _ in range(8)]
    for number, guesser in enumerate(guessers):
        guesser.cookies.set(CLIENT_COOKIE, f"client-{number}")

    def guess(guesser: TestClient) -> Any:
        return guesser.post("/api/v1/unlock", json={"passphrase": "parallel guess"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(guess, guessers))
    assert sorted(a.status_code for a in answers) == [401] + [429] * 7
    assert all(int(a.headers["retry-after"]) >= 1 for a in answers if a.status_code == 429)
    assert lock_of(app_with_alert.state).attempts.global_failures == 1


def test_a_second_attempt_while_one_is_being_checked_is_refused_at_once() -> None:
    attempts = Attempts(clock=lambda: 0.0)
    attempts.reserve("owner")
    with pytest.raises(TooSoonError, match="another passphrase is being checked") as refused:
        attempts.reserve("someone else")
    assert refused.value.retry_after == 1
    attempts.release()
    attempts.reserve("someone else")


def test_a_local_guesser_cannot_keep_the_owner_out_for_more_than_the_global_ceiling(
    app_with_alert: Any, clock: FakeClock
) -> None:
    gate: AppLock = lock_of(app_with_alert.state)
    guesser = _browser(app_with_alert)  # no client cookie: the shared bucket
    owner = _browser(app_with_alert)
    owner.get("/unlock")  # the owner's browser gets its own client cookie
    for _ in range(12):
        assert guesser.post("/api/v1/unlock", json={"passphrase": "guess"}).status_code == 401
        clock.now = max(gate.attempts.retry_at[""], gate.attempts.global_retry_at)
    assert guesser.post("/api/v1/unlock", json={"passphrase": "guess"}).status_code == 401
    assert gate.attempts.retry_at[""] - clock.now == 60.0  # the guesser's own wait, capped
    assert gate.attempts.global_retry_at - clock.now == MAX_GLOBAL_DELAY_S
    refused = owner.post("/unlock", data={"passphrase": OLD, "next": "/"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) <= MAX_GLOBAL_DELAY_S
    clock.now += MAX_GLOBAL_DELAY_S
    assert owner.post("/unlock", data={"passphrase": OLD, "next": "/"}).status_code == 303
    assert gate.attempts.global_failures == 0


def test_the_apis_429_says_when_to_try_again(app_with_alert: Any) -> None:
    api = _browser(app_with_alert)
    assert api.post("/api/v1/unlock", json={"passphrase": "wrong"}).status_code == 401
    too_soon = api.post("/api/v1/unlock", json={"passphrase": OLD})
    assert too_soon.status_code == 429
    assert too_soon.headers["retry-after"] == "1"
    assert too_soon.json()["detail"].startswith("too many wrong passphrases")


def test_nothing_is_served_without_the_login_secret_even_on_loopback(
    journal_settings: Settings,
) -> None:
    app = create_app(journal_settings)
    login: Login = app.state.login
    with TestClient(app, base_url=BASE, follow_redirects=False) as stranger:
        assert stranger.get("/").headers["location"] == "/login"
        assert stranger.get("/history").headers["location"] == "/login"
        api = stranger.get("/api/v1/products")
        assert api.status_code == 401 and "not signed in" in api.json()["detail"]
        assert stranger.post("/api/v1/products", json={"name": "x"}).status_code == 401
        page = stranger.get("/login")
        assert page.status_code == 401 and "mitra login-link" in page.text
        wrong = stranger.get("/login?token=guessed")
        assert wrong.status_code == 401 and "not this Mitra" in wrong.text
        assert SESSION_COOKIE not in stranger.cookies and login.cookie_name not in stranger.cookies
        opened = stranger.get(login.url_path)
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        cookie = opened.headers["set-cookie"]
        assert cookie.startswith(f"mitra_access_{journal_settings.port}={login.cookie_value};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and login.secret not in cookie
        assert stranger.get("/history").status_code == 200
        assert stranger.get("/api/v1/products").json() == []


def test_api_clients_may_send_the_secret_as_a_bearer_token_or_basic_password(
    journal_settings: Settings,
) -> None:
    app = create_app(journal_settings)
    secret = app.state.login.secret
    basic = base64.b64encode(f"mitra:{secret}".encode()).decode()
    with TestClient(app, base_url=BASE) as api:
        bearer = {"Authorization": f"Bearer {secret}"}
        assert api.get("/api/v1/products", headers=bearer).status_code == 200
        assert api.get("/api/v1/products", headers={"Authorization": f"Basic {basic}"}).json() == []
        bad = base64.b64encode(b"mitra:guessed").decode()
        assert (
            api.get("/api/v1/products", headers={"Authorization": f"Basic {bad}"}).status_code
            == 401
        )
        assert api.get("/api/v1/products", headers={"Authorization": "Basic !!"}).status_code == 401


def test_the_secret_is_per_install_private_and_stable_across_starts(
    journal_settings: Settings,
) -> None:
    first = lock.login_secret(journal_settings)
    path = journal_settings.data_dir / lock.LOGIN_SECRET_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert lock.login_secret(journal_settings) == first and len(first) == 43
    assert lock.login_url(journal_settings) == f"http://127.0.0.1:8000/login?token={first}"
    path.write_text("short")
    assert lock.login_secret(journal_settings) != first


def test_a_second_protect_on_an_encrypted_journal_is_refused_up_front(
    app_with_alert: Any,
) -> None:
    owner = _unlocked(app_with_alert)
    form = {"passphrase": "another long passphrase", "again": "another long passphrase"}
    refused = owner.post("/lock/setup", data={**form, "understood": "yes"})
    assert refused.status_code == 409
    assert "Nothing changed: the journal is already encrypted." in refused.text
    assert owner.get("/history").status_code == 200  # still open: no 401 loop
    assert lock_of(app_with_alert.state).state.mitra is not None


def test_closing_an_encrypted_journal_overwrites_its_derived_key(
    journal_settings: Settings,
) -> None:
    open_mitra(journal_settings, passphrase=OLD).close()
    engine = build_engine(journal_settings.resolved_database_url, OLD)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM products").scalar_one() == 0
    engine.dispose()
    with pytest.raises(sa.exc.DatabaseError, match="not a database"), engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM products")
