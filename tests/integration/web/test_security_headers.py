"""Security headers on every answer (#15 item 2: a cross-site page framed Mitra invisibly and
deleted an entry with one click), 413 for over-limit chunked bodies, and capped 422 answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.conftest import signed_in

from mitra.interfaces.web.security import POLICY, policy_with_styles
from mitra.settings import Settings

FIXED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
VALUES = {"kind": "checkins", "entry_id": "1", "instrument_id": "phq9", "response_id": "1"}


def all_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route of the app, walking into included routers."""
    for route in routes:
        if isinstance(route, APIRoute) or type(route).__name__ == "Route":
            for method in sorted(route.methods or ()):
                yield method, prefix + route.path
        elif hasattr(route, "original_router"):
            inner = prefix + (getattr(route.include_context, "prefix", "") or "")
            yield from all_routes(route.original_router.routes, inner)


def filled(path: str) -> str:
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: VALUES.get(m.group(1), "x"), path)


def assert_secured(response: Any, *, cacheable: bool = False) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    assert response.headers["content-security-policy"] == POLICY, where
    for name, value in FIXED.items():
        assert response.headers[name] == value, where
    if not cacheable:
        assert response.headers["cache-control"] == "no-store", where


def test_every_route_of_the_app_answers_with_the_security_headers(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"mood": 5, "note": "headers"})
    routes = sorted(set(all_routes(client.app.routes)))  # type: ignore[attr-defined]
    assert len(routes) > 60
    seen_statuses: set[int] = set()
    for method, path in routes:
        if path.startswith("/report/preview"):
            continue  # its policy adds the report's own style hash: checked below
        response = client.request(method, filled(path))
        seen_statuses.add(response.status_code)
        assert_secured(response)
    assert {200, 404} <= seen_statuses


def test_static_files_errors_and_guard_refusals_carry_the_headers_too(
    client: TestClient,
) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert_secured(css, cacheable=True)
    assert "no-store" not in css.headers.get("cache-control", "")
    assert_secured(client.get("/no/such/page"))
    assert_secured(client.get("/api/v1/checkins/999999"))
    refused = client.get("/", headers={"host": "evil.example"})
    assert refused.status_code == 421
    assert_secured(refused)
    cross_site = client.post("/checkins/1/delete", headers={"origin": "http://evil.example"})
    assert cross_site.status_code == 403
    assert_secured(cross_site)


def test_an_unexpected_error_page_carries_the_headers(settings: Settings, mitra: Any) -> None:
    from mitra.interfaces.web.app import create_app

    app: FastAPI = create_app(settings, mitra)

    def boom() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/boom", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # before the pages' catch-all /{kind}

    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        response = signed_in(client).get("/boom")
    assert response.status_code == 500
    assert_secured(response)


def test_the_report_preview_may_style_itself_but_nothing_else_inline(client: TestClient) -> None:
    response = client.get("/report/preview")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert policy == policy_with_styles(response.text)
    assert policy.startswith(POLICY + "; style-src 'self' 'sha256-")
    assert "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_a_route_cannot_weaken_the_policy() -> None:
    from mitra.interfaces.web.security import _secured

    headers = _secured([(b"content-security-policy", b"default-src *")], cacheable=False)
    assert dict(headers)[b"content-security-policy"] == POLICY.encode()


def test_policy_with_styles_hashes_each_style_block() -> None:
    # sha256("a{}") in base64, computed independently: printf 'a{}' | sha256sum | xxd -r -p | base64
    assert policy_with_styles("<style>a{}</style>") == (
        f"{POLICY}; style-src 'self' 'sha256-X1RutGBrXCt9KkSaXMK7tHftWiRscFHOhxsS8tv8hBk='"
    )
    assert policy_with_styles("<p>no style</p>") == f"{POLICY}; style-src 'self'"


def test_templates_hold_no_inline_script_or_style() -> None:
    from importlib import resources

    folder = resources.files("mitra.interfaces.web").joinpath("templates")
    found = []
    for template in _walk(folder):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|javascript:|\son\w+=", text):
            found.append(template.name)
    assert found == []


def _walk(folder: Any) -> Iterator[Any]:
    for child in folder.iterdir():
        if child.is_dir():
            yield from _walk(child)
        elif child.name.endswith(".html"):
            yield child


@pytest.mark.parametrize("size", [70_000])
def test_an_over_limit_chunked_body_gets_413_not_400(
    settings_factory: Any, database_url: str, size: int
) -> None:
    from mitra.interfaces.web.app import create_app

    settings = settings_factory(database_url=database_url, max_body_bytes=65_536)

    def chunks() -> Iterator[bytes]:
        yield b'{"mood": 5, "note": "'
        for _ in range(size // 1000):
            yield b"x" * 1000
        yield b'"}'

    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        client = signed_in(client)
        api = client.post(
            "/api/v1/checkins", content=chunks(), headers={"content-type": "application/json"}
        )
        page = client.post(
            "/checkins/new",
            content=(b"mood=5&note=" + b"x" * size for _ in range(1)),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        listed = client.get("/api/v1/checkins").json()
    assert api.status_code == 413
    assert api.json() == {"detail": "Request body too large (limit 65536 bytes)."}
    assert_secured(api)
    assert page.status_code == 413
    assert listed == []


def test_a_422_answer_does_not_echo_a_huge_input(client: TestClient) -> None:
    many = {f"field{i}": "y" * 5000 for i in range(50)}
    body = {"mood": "x" * 300_000, "recorded_at": "z" * 200_000, **many}
    response = client.post("/api/v1/checkins", json=body)
    assert response.status_code == 422
    assert len(response.content) < 10_000
    for problem in response.json()["detail"]:
        assert len(problem["msg"]) <= 201
        assert all(len(str(part)) <= 201 for part in problem["loc"])


def test_mitras_own_form_is_accepted_although_no_referrer_makes_its_origin_null(
    client: TestClient,
) -> None:
    """With `Referrer-Policy: no-referrer` a browser sends `Origin: null` on Mitra's own form
    posts; `Sec-Fetch-Site: same-origin` (which no page can forge) tells them apart."""
    own = {"origin": "null", "sec-fetch-site": "same-origin"}
    saved = client.post("/checkins/new", data={"mood": "5"}, headers=own, follow_redirects=False)
    assert saved.status_code == 303
    other_port = {"origin": "http://127.0.0.1:9999", "sec-fetch-site": "same-site"}
    assert client.post("/checkins/new", data={"mood": "5"}, headers=other_port).status_code == 403
    assert (
        client.post("/checkins/new", data={"mood": "5"}, headers={"origin": "null"}).status_code
        == 403
    )
    assert len(client.get("/api/v1/checkins").json()) == 1
