"""API load: Mitra's check-in list (read) and create (write) versus a bare Starlette app running
the same SQL through raw sqlite3 (benchmarks/load_baseline.py), on copies of the same journal.

Throughput: wrk, 50 connections, pinned to another core than the server (taskset); target
Mitra >= 0.6x the baseline. p99 at half load: wrk's 50 connections paced (a Lua `delay()`) to half
the baseline's throughput in total, the same offered load for both; target Mitra <= 1.5x.
Also printed: the machine, the fsync rate of the journal's disk, and an A/A run (the baseline
against itself) as the noise floor. Takes a few minutes, so `python -m benchmarks` skips it
unless BENCH_LOAD=1 (`make bench-load`).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import migrate
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.services.lock import login_secret
from mitra.settings import load_settings

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "8"))
CONNECTIONS = 50
SERVER_CPU, CLIENT_CPU = "0", "1"
READ, WRITE = "/api/v1/checkins?limit=50", "/api/v1/checkins"
POST_LUA = (
    'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
    'wrk.body = \'{"mood": 5, "anxiety": 3, "note": "load test"}\'\n'
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _journal(folder: Path) -> Path:
    """A migrated journal with a year of demo entries, fully checkpointed."""
    settings = load_settings(data_dir=folder / "template", timezone="Europe/London")
    mitra = open_mitra(settings)
    seed_demo(mitra, days=365, seed=5)
    mitra.close()
    engine = build_engine(settings.resolved_database_url)
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return folder / "template" / "mitra.db"


@contextmanager
def _server(kind: str, template: Path, folder: Path) -> Iterator[tuple[str, str]]:
    """Mitra (`mitra serve`) or the baseline (uvicorn), pinned to SERVER_CPU, on a fresh copy;
    yields its URL and the Authorization header value Mitra's login gate wants (the baseline
    ignores it)."""
    port = _free_port()
    data = folder / f"{kind}-{port}"
    data.mkdir()
    shutil.copy(template, data / "mitra.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    env |= {"MITRA_DATA_DIR": str(data), "MITRA_TIMEZONE": "Europe/London"}
    env |= {"LOAD_DB": str(data / "mitra.db"), "PYTHONPATH": str(Path(__file__).parent.parent)}
    if kind == "mitra":
        command = [sys.executable, "-m", "mitra", "serve", "--port", str(port)]
    else:
        app = "benchmarks.load_baseline:app"
        command = [sys.executable, "-m", "uvicorn", app, "--port", str(port)]
        command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *command], env=env, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    auth = f"Bearer {login_secret(load_settings(data_dir=data))}"
    try:
        _wait(url, auth)
        yield url, auth
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait(url: str, auth: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + READ, headers={"Authorization": auth}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def _wrk(url: str, auth: str, write: bool, folder: Path, rate: float = 0.0) -> dict[str, float]:
    """Requests/s and p99 (ms) of a wrk run with CONNECTIONS connections: flat out, or paced to
    about `rate` requests/s in total (each connection waits CONNECTIONS / rate between requests)."""
    script = folder / "load.lua"
    lua = POST_LUA if write else ""
    if rate:
        lua += f"function delay() return {CONNECTIONS * 1000 / rate:.2f} end\n"
    script.write_text(lua)
    command = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s"]
    command += ["--latency", "-H", f"Authorization: {auth}", "-s", str(script)]
    command += [url + (WRITE if write else READ)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    assert rps is not None and p99 is not None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * scale,
        "non_2xx": float(bad.group(1) if bad else 0),
    }


def fsync_rate(folder: Path, seconds: float = 2.0) -> float:
    """fsyncs per second of a 4 KiB write on the journal's disk."""
    path = folder / "fsync.probe"
    count, fd = 0, os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        os.pwrite(fd, b"\0" * 4096, 0)
        os.fsync(fd)
        count += 1
    os.close(fd)
    path.unlink()
    return count / seconds


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({cpu}), {system}, Python {platform.python_version()}"


def _measure(kind: str, template: Path, folder: Path, write: bool, half: float) -> dict[str, float]:
    with _server(kind, template, folder) as (url, auth):
        result = _wrk(url, auth, write, folder)
        if half:
            result["half_p99_ms"] = _wrk(url, auth, write, folder, half)["p99_ms"]
    return result


def _line(name: str, mitra: dict[str, float], base: dict[str, float]) -> None:
    rps, p99 = mitra["rps"] / base["rps"], mitra["half_p99_ms"] / base["half_p99_ms"]
    print(
        f"load {name}: Mitra {mitra['rps']:.0f} req/s vs baseline {base['rps']:.0f} -> "
        f"{rps:.2f}x (target >= 0.6x) {'ok' if rps >= 0.6 else 'BELOW TARGET'}; p99 at half "
        f"load {mitra['half_p99_ms']:.1f} ms vs {base['half_p99_ms']:.1f} ms -> {p99:.2f}x "
        f"(target <= 1.5x) {'ok' if p99 <= 1.5 else 'OVER TARGET'}; 50-connection p99 "
        f"{mitra['p99_ms']:.0f} vs {base['p99_ms']:.0f} ms; non-2xx {mitra['non_2xx']:.0f}"
    )


def run() -> None:
    if os.environ.get("BENCH_LOAD") != "1":
        print("load: skipped (takes minutes; run `make bench-load`)")
        return
    if shutil.which("wrk") is None or shutil.which("taskset") is None:
        print("load: skipped: needs wrk and taskset (apt-get install wrk util-linux)")
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = _journal(folder)
        print(f"load: machine {machine()}; fsync rate {fsync_rate(folder):.0f}/s; {SECONDS} s runs")
        for label, write in (("read (GET 50 check-ins)", False), ("write (POST a check-in)", True)):
            half = _measure("baseline", template, folder, write, 0.0)["rps"] / 2
            base = _measure("baseline", template, folder, write, half)
            mitra = _measure("mitra", template, folder, write, half)
            _line(label, mitra, base)
            again = _measure("baseline", template, folder, write, half)
            rps, p99 = again["rps"] / base["rps"], again["half_p99_ms"] / base["half_p99_ms"]
            print(f"load {label} A/A (baseline vs itself): throughput {rps:.2f}x, p99 {p99:.2f}x")


if __name__ == "__main__":
    os.environ["BENCH_LOAD"] = "1"
    run()
