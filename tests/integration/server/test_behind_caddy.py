"""Issue #20: server mode behind Caddy (the Debian package) with `tls internal`, as
docs/deploy.md describes: a person signs in through HTTPS and gets a Secure session cookie.

Caddy runs with its admin endpoint off, no HTTP-to-HTTPS redirect listener, no attempt to
install its root certificate in the system store, and HOME, XDG_DATA_HOME, XDG_CONFIG_HOME and its
storage all in this test's tmp dir, so it writes nothing elsewhere. The client trusts Caddy's
local root certificate (made in that tmp dir), so the TLS check is a real one."""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.servers import PASSWORD, add_account, free_port, server_env, server_mode, stop

CADDY = shutil.which("caddy")
START_S = 30.0

pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (make system-deps)")


def _caddyfile(https_port: int, http_port: int, mitra_port: int, storage: Path) -> str:
    return f"""{{
    admin off
    auto_https disable_redirects
    skip_install_trust
    http_port {http_port}
    https_port {https_port}
    storage file_system {{
        root {storage}
    }}
}}

localhost:{https_port} {{
    bind 127.0.0.1
    tls internal
    reverse_proxy 127.0.0.1:{mitra_port}
}}
"""


class Stack:
    def __init__(self, url: str, root_cert: Path, mitra_log: Path) -> None:
        self.url = url
        self.root_cert = root_cert
        self.mitra_log = mitra_log


@pytest.fixture
def behind_caddy(tmp_path: Path) -> Iterator[Stack]:
    assert CADDY is not None
    env = server_env(tmp_path / "data", MITRA_BEHIND_TLS="true")
    add_account(env, "ana")
    home = tmp_path / "caddy-home"
    storage = home / "storage"
    home.mkdir()
    mitra_port, https_port, http_port = free_port(), free_port(), free_port()
    config = home / "Caddyfile"
    config.write_text(_caddyfile(https_port, http_port, mitra_port, storage))
    caddy_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    mitra_log, caddy_log = tmp_path / "mitra.log", tmp_path / "caddy.log"
    with (
        server_mode(env, mitra_log, "--behind-tls", port=mitra_port),
        caddy_log.open("wb") as caddy_out,
    ):
        caddy = subprocess.Popen(
            [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"],
            env=caddy_env,
            cwd=home,
            stdout=caddy_out,
            stderr=subprocess.STDOUT,
        )
        try:
            root = storage / "pki" / "authorities" / "local" / "root.crt"
            url = f"https://localhost:{https_port}"
            _wait_for(url, root, caddy, caddy_log, mitra_log)
            yield Stack(url, root, mitra_log)
        finally:
            stop(caddy)


def _wait_for(
    url: str, root: Path, caddy: subprocess.Popen[bytes], caddy_log: Path, mitra_log: Path
) -> None:
    """Until Mitra's sign-in page answers through Caddy, checked against Caddy's own root."""
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if caddy.poll() is not None:
            pytest.fail(f"caddy exited with {caddy.returncode}:\n{caddy_log.read_text()}")
        if root.exists():
            try:
                context = ssl.create_default_context(cafile=str(root))
                with urllib.request.urlopen(f"{url}/login", context=context, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, ssl.SSLError):
                pass
        time.sleep(0.2)
    pytest.fail(f"no answer through Caddy:\n{caddy_log.read_text()}\n{mitra_log.read_text()}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _open(
    opener: urllib.request.OpenerDirector, url: str, form: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    """(status, body, headers) of a request; redirects are answers, not followed."""
    data = None if form is None else urllib.parse.urlencode(form).encode()
    origin = url.split("/", 3)[:3]
    request = urllib.request.Request(url, data=data, headers={"Origin": "/".join(origin)})
    try:
        with opener.open(request, timeout=10) as answer:
            return (
                answer.status,
                answer.read().decode(),
                {k.lower(): v for k, v in answer.headers.items()},
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), {k.lower(): v for k, v in exc.headers.items()}


def test_a_person_signs_in_through_caddy_over_https_with_a_secure_cookie(
    behind_caddy: Stack,
) -> None:
    context = ssl.create_default_context(cafile=str(behind_caddy.root_cert))
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(jar),
        _NoRedirect(),
    )
    url = behind_caddy.url
    status, _, headers = _open(opener, f"{url}/")
    assert (status, headers["location"]) == (303, "/login")
    status, _, headers = _open(opener, f"{url}/login", {"name": "ana", "password": PASSWORD})
    assert (status, headers["location"]) == (303, "/")
    cookie = headers["set-cookie"]
    assert cookie.startswith("mitra_sid=")
    assert all(flag in cookie for flag in ("HttpOnly", "Secure", "SameSite=lax"))
    status, body, _ = _open(opener, f"{url}/account")
    assert status == 200
    assert 'Signed in as <strong id="account-name">ana</strong>' in body
    # Plain HTTP to Caddy's TLS port is not served as a page.
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        plain = url.replace("https://", "http://")
        with urllib.request.urlopen(plain + "/login", timeout=5) as answer:
            assert answer.status != 200
