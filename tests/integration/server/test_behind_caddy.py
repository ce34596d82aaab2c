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
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CADDY = shutil.which("caddy")
PASSWORD = "a long walk by the river"
START_S = 30.0

pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (make system-deps)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def behind_caddy(tmp_path: Path) -> Iterator[Stack]:
    assert CADDY is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    mitra_port = _free_port()
    env |= {
        "MITRA_DATA_DIR": str(tmp_path / "data"),
        "MITRA_TIMEZONE": "Europe/London",
        "MITRA_SERVER": "true",
        "MITRA_BEHIND_TLS": "true",
        "MITRA_PORT": str(mitra_port),
    }
    added = subprocess.run(
        [sys.executable, "-m", "mitra", "accounts", "add", "ana"],
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n".encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    home = tmp_path / "caddy-home"
    storage = home / "storage"
    home.mkdir()
    https_port, http_port = _free_port(), _free_port()
    config = home / "Caddyfile"
    config.write_text(_caddyfile(https_port, http_port, mitra_port, storage))
    caddy_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    mitra_log, caddy_log = tmp_path / "mitra.log", tmp_path / "caddy.log"
    with mitra_log.open("wb") as mitra_out, caddy_log.open("wb") as caddy_out:
        mitra = subprocess.Popen(
            [sys.executable, "-m", "mitra", "serve", "--server", "--behind-tls"],
            env=env,
            stdout=mitra_out,
            stderr=subprocess.STDOUT,
        )
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
            _wait_for(url, root, mitra, caddy, mitra_log, caddy_log)
            yield Stack(url, root, mitra_log)
        finally:
            _stop(caddy)
            _stop(mitra)


def _wait_for(
    url: str,
    root: Path,
    mitra: subprocess.Popen[bytes],
    caddy: subprocess.Popen[bytes],
    mitra_log: Path,
    caddy_log: Path,
) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        for name, process, log in (("mitra", mitra, mitra_log), ("caddy", caddy, caddy_log)):
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{log.read_text()}")
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
