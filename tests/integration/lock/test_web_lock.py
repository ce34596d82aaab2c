"""The web app on an encrypted journal: starts locked, unlocks per session (cookie), auto-locks
when idle, slows down wrong passphrases; and the settings page that protects a plain journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import signed_in
from tests.integration.lock.conftest import FakeClock

from mitra.adapters.store import cipher
from mitra.interfaces.web.app import create_app
from mitra.interfaces.web.lock import SESSION_COOKIE, AppLock, lock_of
from mitra.services import lock
from mitra.settings import Settings

OLD = "correct horse battery staple"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def locked_client(
    journal_settings: Settings, clock: FakeClock
) -> Iterator[tuple[TestClient, AppLock]]:
    lock.setup(journal_settings, OLD)
    app = create_app(journal_settings)
    gate = lock_of(app.state)
    gate.clock = clock
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield signed_in(client), gate


def _unlock(client: TestClient, passphrase: str = OLD, target: str = "/") -> Any:
    return client.post("/unlock", data={"passphrase": passphrase, "next": target})


def test_a_locked_app_holds_no_open_journal_and_redirects_every_page_to_unlock(
    locked_client: tuple[TestClient, AppLock],
) -> None:
    client, gate = locked_client
    assert gate.state.mitra is None
    response = client.get("/history")
    assert response.status_code == 303
    assert response.headers["location"] == "/unlock?next=/history"
    page = client.get("/unlock?next=/history")
    assert page.status_code == 200
    assert 'type="password"' in page.text


def test_the_api_answers_401_json_while_locked(locked_client: tuple[TestClient, AppLock]) -> None:
    client, _ = locked_client
    response = client.get("/api/v1/products")
    assert response.status_code == 401
    assert response.json() == {"detail": "the journal is locked; unlock it first"}


def test_the_right_passphrase_sets_a_strict_httponly_cookie_and_opens_the_journal(
    locked_client: tuple[TestClient, AppLock],
) -> None:
    client, gate = locked_client
    response = _unlock(client, target="/history")
    assert response.status_code == 303
    assert response.headers["location"] == "/history"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert gate.state.mitra is not None
    assert client.get("/history").status_code == 200
    assert client.get("/api/v1/products").json() == []


def test_a_wrong_passphrase_is_refused_and_the_next_try_must_wait_longer_each_time(
    locked_client: tuple[TestClient, AppLock], clock: FakeClock
) -> None:
    client, gate = locked_client
    client.get("/unlock")  # the page gives this browser the cookie its failures count under
    first = _unlock(client, "guess one")
    assert first.status_code == 401
    assert "next try is possible in 1 s" in first.text
    too_soon = _unlock(client, OLD)
    assert too_soon.status_code == 429
    assert too_soon.headers["retry-after"] == "1"
    clock.now += 1.1
    assert "in 2 s" in _unlock(client, "guess two").text
    clock.now += 2.1
    assert "in 4 s" in _unlock(client, "guess three").text
    assert gate.state.mitra is None
    clock.now += 4.1
    assert _unlock(client, OLD).status_code == 303
    assert gate.attempts.failures == {}


def test_the_api_unlock_answers_401_for_a_wrong_passphrase_and_204_for_the_right_one(
    locked_client: tuple[TestClient, AppLock], clock: FakeClock
) -> None:
    client, _ = locked_client
    wrong = client.post("/api/v1/unlock", json={"passphrase": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["detail"].startswith("wrong passphrase")
    assert client.post("/api/v1/unlock", json={"passphrase": OLD}).status_code == 429
    clock.now += 1.5
    right = client.post("/api/v1/unlock", json={"passphrase": OLD})
    assert right.status_code == 204
    assert client.get("/api/v1/products").status_code == 200


def test_an_idle_session_locks_again_and_the_journal_is_closed(
    locked_client: tuple[TestClient, AppLock], clock: FakeClock, journal_settings: Settings
) -> None:
    client, gate = locked_client
    _unlock(client)
    clock.now += journal_settings.lock_minutes * 60 - 1
    assert client.get("/").status_code == 200  # activity restarts the idle timer
    clock.now += journal_settings.lock_minutes * 60 - 1
    assert client.get("/").status_code == 200
    clock.now += journal_settings.lock_minutes * 60 + 1
    assert client.get("/").status_code == 303
    assert gate.state.mitra is None


def test_a_session_cookie_from_another_browser_or_a_restart_does_not_unlock(
    locked_client: tuple[TestClient, AppLock], journal_settings: Settings
) -> None:
    client, _ = locked_client
    _unlock(client)
    token = client.cookies[SESSION_COOKIE]
    with TestClient(create_app(journal_settings), base_url=BASE, follow_redirects=False) as fresh:
        signed_in(fresh).cookies.set(SESSION_COOKIE, token)
        assert fresh.get("/").status_code == 303
    stranger = signed_in(TestClient(client.app, base_url=BASE, follow_redirects=False))
    stranger.cookies.set(SESSION_COOKIE, "made-up-token")
    assert stranger.get("/").status_code == 303


def test_lock_now_ends_the_session(locked_client: tuple[TestClient, AppLock]) -> None:
    client, gate = locked_client
    _unlock(client)
    assert client.post("/lock").headers["location"] == "/unlock"
    assert client.get("/").status_code == 303
    assert gate.state.mitra is None


def test_unlock_only_sends_back_to_this_apps_own_pages(
    locked_client: tuple[TestClient, AppLock],
) -> None:
    client, _ = locked_client
    assert _unlock(client, target="//evil.example/").headers["location"] == "/"


def test_the_settings_page_protects_a_plain_journal_after_the_trade_off_is_accepted(
    journal_settings: Settings, journal_file: Path
) -> None:
    with TestClient(create_app(journal_settings), base_url=BASE, follow_redirects=False) as client:
        signed_in(client)
        page = client.get("/lock/setup")
        assert "A forgotten passphrase means the data is gone." in page.text
        missing_tick = client.post("/lock/setup", data={"passphrase": OLD, "again": OLD})
        assert missing_tick.status_code == 422
        assert not cipher.is_encrypted(journal_file)
        form = {"passphrase": OLD, "again": OLD, "understood": "yes"}
        done = client.post("/lock/setup", data=form)
        assert done.status_code == 303
        assert cipher.is_encrypted(journal_file)
        assert client.get("/").status_code == 200  # this browser stays unlocked
        assert "Your journal is encrypted" in client.get("/lock/setup").text
        client.cookies.delete(SESSION_COOKIE)
        assert client.get("/").headers["location"] == "/unlock?next=/"


def test_the_unlock_page_of_a_plain_journal_just_goes_home(
    journal_settings: Settings,
) -> None:
    with TestClient(create_app(journal_settings), base_url=BASE, follow_redirects=False) as client:
        signed_in(client)
        assert client.get("/unlock").headers["location"] == "/"
        assert client.get("/").status_code == 200
