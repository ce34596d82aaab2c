"""Issue #20, server mode over HTTP: sign-in, sessions, CSRF, API tokens, and the authorization
matrix generated from the app's routes (a route nobody classified fails the test)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mitra.adapters.store import tables as t
from mitra.errors import ConfigurationError, InvalidInputError
from mitra.interfaces.web.app import create_app
from mitra.services import accounts
from mitra.services.context import Mitra
from mitra.settings import Settings

PASSWORD = "a long walk by the river"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def server(settings_factory: Callable[..., Settings], database_url: str) -> Settings:
    return settings_factory(database_url=database_url, server=True, loopback_only=True)


@pytest.fixture
def app_and_people(server: Settings, mitra: Mitra) -> Iterator[tuple[Any, Mitra]]:
    base = Mitra(mitra.store, server, mitra.clock)
    for name in ("ana", "ben"):
        accounts.add_account(base, name, PASSWORD)
    yield create_app(server, base), base
    with base.store.engine.begin() as conn:  # PostgreSQL runs share one database: clean up
        for table in (t.sessions, t.api_tokens, t.invitations, t.accounts):
            conn.execute(table.delete())
        for table in (*t.JOURNAL_TABLES, t.preferences):
            conn.execute(table.delete().where(table.c.journal_id != t.PERSONAL_JOURNAL))
        conn.execute(t.journals.delete().where(t.journals.c.id != t.PERSONAL_JOURNAL))


def sign_in(app: Any, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    answer = client.post("/login", data={"name": name, "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    return client


def csrf(client: TestClient, path: str = "/checkins/new") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_server_mode_needs_tls_or_an_explicit_loopback_setting(
    settings_factory: Callable[..., Settings],
) -> None:
    with pytest.raises(ConfigurationError, match="MITRA_BEHIND_TLS=true"):
        settings_factory(server=True)
    with pytest.raises(ConfigurationError, match="server mode needs TLS"):
        settings_factory(server=True, loopback_only=True, host="0.0.0.0", allow_remote=True)
    assert settings_factory(server=True, behind_tls=True).behind_tls is True


def test_passwords_short_or_common_are_refused(mitra: Mitra) -> None:
    with pytest.raises(InvalidInputError, match="at least 12 characters"):
        accounts.add_account(mitra, "cleo", "short")
    with pytest.raises(InvalidInputError, match="too easy to guess"):
        accounts.add_account(mitra, "cleo", "CorrectHorseBatteryStaple")
    with pytest.raises(InvalidInputError, match="too easy to guess"):
        accounts.add_account(mitra, "cleo", "cleo-is-my-name")
    assert [a.name for a in accounts.list_accounts(mitra)] == []


def test_sign_in_sets_a_lax_httponly_session_and_wrong_passwords_are_throttled(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, _ = app_and_people
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/api/v1/checkins").status_code == 401
    answer = client.post("/login", data={"name": "ana", "password": PASSWORD})
    cookie = answer.headers["set-cookie"]
    assert "mitra_sid=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/").status_code == 200
    app.state.throttle.clock = lambda: 1000.0  # time stands still: no wait ever runs out
    statuses = [
        client.post("/login", data={"name": "ben", "password": "wrong wrong wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [403, 403, 403, 403, 429]


def test_a_form_without_the_csrf_token_is_refused_and_with_it_saved(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, base = app_and_people
    client = sign_in(app, "ana")
    refused = client.post("/checkins/new", data={"mood": "4"})
    token = csrf(client)
    saved = client.post("/checkins/new", data={"mood": "4", "csrf_token": token})
    assert refused.status_code == 403
    assert saved.status_code == 303
    assert [c["mood"] for c in client.get("/api/v1/checkins").json()] == [4]


def test_one_persons_entries_are_invisible_and_unguessable_to_another(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, _ = app_and_people
    ana, ben = sign_in(app, "ana"), sign_in(app, "ben")
    made = ana.post("/api/v1/checkins", json={"mood": 2, "note": "ana's"})
    entry_id = made.json()["id"]
    assert ben.get(f"/api/v1/checkins/{entry_id}").status_code == 404
    assert ben.delete(f"/api/v1/checkins/{entry_id}").status_code == 404
    assert ben.get(f"/checkins/{entry_id}/edit").status_code == 404
    assert ben.get("/api/v1/checkins").json() == []
    assert [c["note"] for c in ana.get("/api/v1/checkins").json()] == ["ana's"]


def test_signing_out_ends_every_session_of_the_account(app_and_people: tuple[Any, Mitra]) -> None:
    app, _ = app_and_people
    laptop, phone = sign_in(app, "ana"), sign_in(app, "ana")
    out = laptop.post("/logout", data={"csrf_token": csrf(laptop)})
    assert out.status_code == 303
    assert phone.get("/").headers["location"] == "/login"
    assert phone.get("/api/v1/alerts").status_code == 401


def test_api_tokens_are_listed_used_and_revoked(app_and_people: tuple[Any, Mitra]) -> None:
    app, _ = app_and_people
    ana = sign_in(app, "ana")
    made = ana.post("/api/v1/tokens", json={"label": "phone"}).json()
    bearer = TestClient(app, base_url=BASE, headers={"Authorization": f"Bearer {made['token']}"})
    assert bearer.get("/api/v1/checkins").status_code == 200
    assert [t["label"] for t in ana.get("/api/v1/tokens").json()] == ["phone"]
    assert ana.delete(f"/api/v1/tokens/{made['id']}").status_code == 204
    assert bearer.get("/api/v1/checkins").status_code == 401


def test_an_invitation_link_makes_one_account(app_and_people: tuple[Any, Mitra]) -> None:
    app, base = app_and_people
    token = accounts.invite(base)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    assert client.get(f"/invite/{token}").status_code == 200
    made = client.post(f"/invite/{token}", data={"name": "cleo", "password": PASSWORD})
    again = client.post(f"/invite/{token}", data={"name": "dan", "password": PASSWORD})
    assert (made.status_code, again.status_code) == (303, 404)
    assert [a.name for a in accounts.list_accounts(base)] == ["ana", "ben", "cleo"]


def test_deleting_an_account_erases_its_journal_only(app_and_people: tuple[Any, Mitra]) -> None:
    app, base = app_and_people
    ana, ben = sign_in(app, "ana"), sign_in(app, "ben")
    ana.post("/api/v1/checkins", json={"mood": 2})
    ben.post("/api/v1/checkins", json={"mood": 9})
    removed = accounts.delete_account(base, "ana")
    assert removed["checkins"] == 1
    assert [a.name for a in accounts.list_accounts(base)] == ["ben"]
    assert [c["mood"] for c in ben.get("/api/v1/checkins").json()] == [9]
    assert ana.get("/api/v1/checkins").status_code == 401


# --- the authorization matrix ---------------------------------------------------------------

# Every route of the server-mode app, classified. OPEN: served without a session. Everything
# else needs a session (no session: 303 to /login for pages, 401 for the API). Routes with an
# object id are tried with the owner's id by another person: 404.
OPEN = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/v1/session"),
    ("GET", "/invite/{token}"),
    ("POST", "/invite/{token}"),
    ("GET", "/manifest.webmanifest"),
    ("GET", "/sw.js"),
    ("GET", "/static"),
    ("GET", "/login"),
}


def _walk(routes: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in routes:
        if isinstance(route, APIRoute) or type(route).__name__ == "Route":
            found += [(method, prefix + route.path) for method in sorted(route.methods or ())]
        elif hasattr(route, "original_router"):
            inner = prefix + (getattr(route.include_context, "prefix", "") or "")
            found += _walk(route.original_router.routes, inner)
        elif getattr(route, "path", "") == "/static":
            found.append(("GET", "/static"))
    return found


def _routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, walking into included routers."""
    return sorted(set(_walk(app.routes)))


def _concrete(path: str, ids: dict[str, int]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(ids.get(name, 1)) if name.endswith("id") else "x"

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def test_every_route_needs_a_session_unless_classified_open(
    app_and_people: tuple[Any, Mitra],
) -> None:
    app, _ = app_and_people
    anonymous = TestClient(app, base_url=BASE, follow_redirects=False)
    unclassified = []
    for method, path in _routes(app):
        if (method, path) in OPEN:
            continue
        if method == "HEAD":
            continue
        url = _concrete(path, {})
        answer = anonymous.request(method, url)
        expected = 401 if path.startswith("/api/") else 303
        if answer.status_code != expected:
            unclassified.append((method, path, answer.status_code))
    assert unclassified == []
    assert len(_routes(app)) > 100


def test_every_route_with_an_object_id_is_404_for_another_person(
    app_and_people: tuple[Any, Mitra],
) -> None:
    """The owner makes one of everything an id route names; another person tries each id route
    with the owner's ids: never 200, never 403 — 404 (or 405/422 for a body it lacks)."""
    app, _ = app_and_people
    ana, ben = sign_in(app, "ana"), sign_in(app, "ben")
    product = ana.post("/api/v1/products", json={"name": "Caps", "form": "capsule"}).json()["id"]
    ids = {
        "product_id": product,
        "entity_id": ana.post("/api/v1/checkins", json={"mood": 3}).json()["id"],
        "entry_id": ana.post("/api/v1/checkins", json={"mood": 3}).json()["id"],
        "token_id": ana.post("/api/v1/tokens", json={}).json()["id"],
    }
    seen: dict[tuple[str, str], int] = {}
    for method, path in _routes(app):
        if "{" not in path or (method, path) in OPEN or method != "GET" and method != "DELETE":
            continue
        for name in re.findall(r"\{(\w+)", path):
            ids.setdefault(name, ids["entity_id"])
        answer = ben.request(method, _concrete(path, ids))
        seen[(method, path)] = answer.status_code
    leaks = {route: status for route, status in seen.items() if status in (200, 204, 403)}
    assert leaks == {}
    assert len(seen) >= 5
