"""Issue #20: turning the sign-in code (TOTP) on from the account page, and signing in with it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from mitra.services import accounts
from mitra.services.context import Mitra

from .test_server_mode import BASE, PASSWORD, app_and_people, csrf, server, sign_in

__all__ = ["app_and_people", "server"]


def next_code(secret: str, base: Mitra) -> str:
    """The code of the step after the one that turned the factor on (each step's code is
    accepted once; the next step's is still within the window of one step of drift)."""
    return accounts.second_factor_code(secret, base.now() + timedelta(seconds=30))


def _turn_on(app: Any, base: Mitra) -> str:
    ana = sign_in(app, "ana")
    page = ana.get("/account/second-factor")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret" class="secret">([A-Z2-7]{32})<', page.text)
    assert secret is not None
    assert f"otpauth://totp/Mitra:ana?secret={secret.group(1)}" in page.text
    token = csrf(ana, "/account/second-factor")
    wrong = ana.post(
        "/account/second-factor",
        data={"secret": secret.group(1), "code": "000000", "csrf_token": token},
    )
    assert wrong.status_code == 422
    assert "does not match" in wrong.text
    ana_id = accounts.list_accounts(base)[0].id
    assert accounts.second_factor_is_on(base, ana_id) is False
    code = accounts.second_factor_code(secret.group(1), base.now())
    done = ana.post(
        "/account/second-factor",
        data={"secret": secret.group(1), "code": code, "csrf_token": token},
    )
    assert (done.status_code, done.headers["location"]) == (303, "/account?second_factor=on")
    assert "On: signing in asks for the code" in ana.get("/account").text
    return secret.group(1)


def test_turning_the_code_on_needs_a_matching_code_and_sign_in_then_asks_for_it(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, base = app_and_people
    secret = _turn_on(app, base)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    first = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert first.status_code == 200
    assert "mitra_sid" not in first.headers.get("set-cookie", "")
    pending = re.search(r'name="pending" value="([^"]+)"', first.text)
    assert pending is not None
    wrong = client.post("/login", data={"pending": pending.group(1), "code": "123456"})
    assert wrong.status_code == 403
    assert 'name="pending"' in wrong.text  # the code may be typed again
    turned_on_with = accounts.second_factor_code(secret, base.now())
    used = client.post("/login", data={"pending": pending.group(1), "code": turned_on_with})
    assert used.status_code == 403
    assert used.text.replace(turned_on_with, "123456") == wrong.text  # as a wrong code
    code = next_code(secret, base)
    done = client.post("/login", data={"pending": pending.group(1), "code": code})
    assert (done.status_code, done.headers["location"]) == (303, "/")
    assert client.get("/account").status_code == 200
    reused = client.post("/login", data={"pending": pending.group(1), "code": code})
    assert "sign in again" in reused.text


def test_the_api_sign_in_needs_the_code_in_one_step(app_and_people: tuple[Any, Mitra]) -> None:
    app, base = app_and_people
    secret = _turn_on(app, base)
    client = TestClient(app, base_url=BASE)
    without = client.post("/api/v1/session", json={"name": "ana", "password": PASSWORD})
    assert without.status_code == 401
    assert without.json()["detail"] == "type the 6-digit code from your authenticator app"
    used = {
        "name": "ana",
        "password": PASSWORD,
        "code": accounts.second_factor_code(secret, base.now()),
    }
    assert client.post("/api/v1/session", json=used).json() == {"detail": accounts.WRONG}
    body = {"name": "ana", "password": PASSWORD, "code": next_code(secret, base)}
    signed = client.post("/api/v1/session", json=body)
    assert signed.status_code == 204
    assert "mitra_sid=" in signed.headers["set-cookie"]
    assert client.get("/api/v1/checkins").json() == []


def test_turning_the_code_off_needs_the_password(app_and_people: tuple[Any, Mitra]) -> None:
    app, base = app_and_people
    secret = _turn_on(app, base)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    pending = re.search(
        r'name="pending" value="([^"]+)"',
        client.post("/login", data={"name": "ana", "password": PASSWORD}).text,
    )
    assert pending is not None
    client.post("/login", data={"pending": pending.group(1), "code": next_code(secret, base)})
    token = csrf(client, "/account")
    refused = client.post(
        "/account/second-factor/off", data={"password": "not it at all", "csrf_token": token}
    )
    assert refused.status_code == 403
    off = client.post(
        "/account/second-factor/off", data={"password": PASSWORD, "csrf_token": token}
    )
    assert off.headers["location"] == "/account?second_factor=off"
    assert sign_in(app, "ana").get("/account").status_code == 200


def test_a_secret_mitra_did_not_make_starts_again_with_a_new_one(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, base = app_and_people
    ana = sign_in(app, "ana")
    token = csrf(ana, "/account/second-factor")
    for sent in ("", "TOO-SHORT", "A" * 31):
        answer = ana.post(
            "/account/second-factor", data={"secret": sent, "code": "123456", "csrf_token": token}
        )
        assert answer.status_code == 422, sent
        assert "is not one Mitra made; start again" in answer.text
        fresh = re.search(r'id="totp-secret" class="secret">([A-Z2-7]{32})<', answer.text)
        assert fresh is not None and fresh.group(1) != sent
    assert accounts.second_factor_is_on(base, accounts.list_accounts(base)[0].id) is False
