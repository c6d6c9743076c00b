"""`make bench`: serve the app with gunicorn (2 workers) on demo data and measure it.

For each page it reports, in one run and side by side with a static file served by the same
server on the same machine:
- latency (p50, p99) at a fixed rate of 100 requests/s, measured from the moment each request
  was due, so a slow server cannot hide its queueing (no "coordinated omission");
- requests/s and latency at saturation (wrk when installed, else a closed-loop Python client);
- the bytes of a first visit, compressed (brotli as browsers ask): the page plus its CSS and JS.

The load generator shares the machine's cores with the server, so the figures are a floor.
Results go to bench-results/latest.md (and stdout); copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FIXED_RATE = 100  # requests per second
FIXED_SECONDS = 10
SATURATION_SECONDS = 10
BUDGET_BYTES = 50 * 1024
BUDGET_P99_MS = 100.0

PAGES = {
    "home": "/",
    "catalogue": "/thu-tuc/",
    "search": "/thu-tuc/tim-kiem?q=tro+cap+nguoi+gia",
    "detail": "/thu-tuc/tro-cap-xa-hoi-hang-thang",
}


@dataclass
class Result:
    name: str
    path: str
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    saturation_rps: float = 0.0
    saturation_p50_ms: float = 0.0
    saturation_p99_ms: float = 0.0
    first_visit_bytes: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(directory: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'bench.db'}",
           "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING"}
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "demo", "load"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return env


WORKERS_READY_SECONDS = 3


def start_server(env: dict, port: int, command: list[str] | None = None,
                 ready_seconds: float = WORKERS_READY_SECONDS) -> subprocess.Popen:
    """gunicorn (or `command`) listening on `port`, given `ready_seconds` to warm up."""
    server = subprocess.Popen(
        command or [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                    "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError(f"{Path(server.args[0]).name} did not start")
    # The master listens before its workers have booted and warmed up (gunicorn.conf.py,
    # about a second each): measure the app, not the start of the server.
    time.sleep(ready_seconds)
    return server


def fetch(port: int, path: str, encoding: str = "br") -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def first_visit_bytes(port: int, path: str) -> int:
    """Compressed bytes of the page plus every stylesheet and script it links to."""
    status, body, _headers = fetch(port, path)
    _, raw, _ = fetch(port, path, encoding="identity")
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', raw)
    return len(body) + sum(len(fetch(port, asset.decode())[1]) for asset in assets)


class Connections(threading.local):
    """One kept-alive connection per client thread."""

    connection: http.client.HTTPConnection | None = None


def timed_get(port: int, path: str, local: Connections, headers: dict | None = None) -> bool:
    """GET `path` on the thread's connection, asking for brotli; True if answered 200."""
    if local.connection is None:
        local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        local.connection.request("GET", path, headers={"Accept-Encoding": "br",
                                                       **(headers or {})})
        response = local.connection.getresponse()
        response.read()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        local.connection.close()
        local.connection = None
        return False


def fixed_rate(port: int, paths: list[str],
               headers: dict | None = None) -> tuple[float, float, int]:
    """Open-loop load at FIXED_RATE over `paths` in turn; latency counted from each request's
    scheduled time."""
    local, latencies, errors = Connections(), [], 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(index: int) -> None:
        nonlocal errors
        due = start + index / FIXED_RATE
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        ok = timed_get(port, paths[index % len(paths)], local, headers)
        with lock:
            latencies.append((time.perf_counter() - due) * 1000)
            errors += not ok

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(FIXED_RATE * FIXED_SECONDS)))
    return percentile(latencies, 50), percentile(latencies, 99), errors


PAGES_TABLE_HEAD = ["| Page | first request ms | p50 ms | p99 ms | errors | within 100 ms p99 |",
                    "|---|---|---|---|---|---|"]


def page_rows(port: int, scenarios) -> list[str]:
    """For each (what, paths, headers): the first request (a worker's cold caches), then
    FIXED_RATE requests/s over `paths` in turn; one table row each, printed as it comes."""
    rows = []
    for what, paths, headers in scenarios:
        began = time.perf_counter()
        timed_get(port, paths[0], Connections(), headers)
        first_ms = (time.perf_counter() - began) * 1000
        p50, p99, errors = fixed_rate(port, paths, headers)
        rows.append(f"| {what} | {first_ms:.1f} | {p50:.1f} | {p99:.1f} | {errors} | "
                    f"{'yes' if p99 < BUDGET_P99_MS and not errors else 'NO'} |")
        print(rows[-1], flush=True)
    return rows


def serve_pages(env: dict, directory: Path, lines: list[str], scenarios, filename: str) -> None:
    """The page benchmarks' run: gunicorn on the prepared database in `directory`, the
    `scenarios`' rows (`page_rows`) after the `lines` said first, then the server stopped, the
    folder removed, and everything written to bench-results/`filename` and stdout."""
    port = free_port()
    server = start_server(env, port)
    lines = [*lines, *PAGES_TABLE_HEAD]
    try:
        lines += page_rows(port, scenarios)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / filename).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def saturation_with_wrk(port: int, path: str) -> tuple[float, float, float]:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{SATURATION_SECONDS}s", "--latency",
         "-H", "Accept-Encoding: br", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rps, _wrk_latency(output, "50%"), _wrk_latency(output, "99%")


def _wrk_latency(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def saturation_with_python(port: int, path: str) -> tuple[float, float, float]:
    """Closed loop with 16 clients; slower than wrk because the client itself is Python."""
    local, latencies = Connections(), []
    stop = time.perf_counter() + SATURATION_SECONDS

    def client() -> None:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            timed_get(port, path, local)
            latencies.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / SATURATION_SECONDS, percentile(latencies, 50), percentile(latencies, 99)


def measure(port: int, name: str, path: str) -> Result:
    result = Result(name, path)
    for _ in range(20):  # warm up both workers and their caches
        fetch(port, path)
    result.first_visit_bytes = first_visit_bytes(port, path) if name != "static file" else len(
        fetch(port, path)[1])
    result.p50_ms, result.p99_ms, result.errors = fixed_rate(port, [path])
    saturate = saturation_with_wrk if shutil.which("wrk") else saturation_with_python
    result.saturation_rps, result.saturation_p50_ms, result.saturation_p99_ms = saturate(port, path)
    return result


def report(results: list[Result]) -> str:
    tool = "wrk -t2 -c16" if shutil.which("wrk") else "Python, 16 clients"
    lines = [
        f"# Benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, gunicorn 2 sync workers, SQLite demo data)",
        "",
        f"| page | p50 at {FIXED_RATE}/s | p99 at {FIXED_RATE}/s | errors | saturation req/s "
        f"({tool}) | p50 / p99 at saturation | first visit, compressed |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        budget = "" if r.name == "static file" else (
            " ✓" if r.first_visit_bytes < BUDGET_BYTES and r.p99_ms < BUDGET_P99_MS else " ✗")
        lines.append(
            f"| {r.name} `{r.path}` | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms | {r.errors} | "
            f"{r.saturation_rps:,.0f} | {r.saturation_p50_ms:.1f} / {r.saturation_p99_ms:.1f} ms"
            f" | {r.first_visit_bytes / 1024:.1f} KB{budget} |")
    lines += ["", f"Budgets: first visit < {BUDGET_BYTES // 1024} KB compressed, p99 < "
              f"{BUDGET_P99_MS:.0f} ms at {FIXED_RATE} requests/s.",
              f"Median of page p50s: {statistics.median(r.p50_ms for r in results[:-1]):.1f} ms."]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare_database(Path(tmp))
        port = free_port()
        server = start_server(env, port)
        try:
            css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"',
                            fetch(port, "/", "identity")[1].decode()).group(1)
            targets = {**PAGES, "static file": css}
            results = [measure(port, name, path) for name, path in targets.items()]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    text = report(results)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    over_budget = [r.name for r in results[:-1]
                   if r.first_visit_bytes >= BUDGET_BYTES or r.p99_ms >= BUDGET_P99_MS]
    if over_budget:
        print("Over budget:", ", ".join(over_budget))
    return 1 if over_budget else 0


if __name__ == "__main__":
    sys.exit(main())
