"""`make bench-nginx`: the anonymous home page's saturation throughput as a share of nginx
serving the same bytes, side by side in one run (issue 15: at least 10 %).

gunicorn starts as `make run` starts it (2 workers, gunicorn.conf.py's threads, demo data and
housekeeping on SQLite, the same command line); Debian's nginx (2 workers, access log off)
serves the home page's bytes, as gunicorn sent them, from a file. wrk then takes turns:
nginx, the home page from the page cache (a first visit without a cookie, and a returning
visitor with her session cookie), her browser holding it (304), and a second gunicorn with the
page cache off (PAGE_CACHE_ENTRIES=0), ROUNDS times, so that the machine's load at any moment
weighs on every side alike. The figure kept for each side is its median over the rounds; only
ratios within one run mean anything. The load average is reported before and after.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.run import BIN, ROOT, fetch, free_port, prepare_database, start_server

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WRK = ["wrk", "-t2", "-c32", f"-d{SECONDS}s"]
TARGET = 10.0  # per cent of nginx

NGINX_CONF = """daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  default_type text/html;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    location = / {{ try_files /index.html =404; }}
  }}
}}
"""


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    """`make run`'s server command, on `port`, once both workers answer (a busy machine takes
    far longer than an idle one to boot and warm them up)."""
    command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
               "--forwarded-allow-ips", "127.0.0.1", "webapp:create_app()"]
    server = start_server(env, port, command, ready_seconds=0)
    deadline, answered = time.monotonic() + 180, 0
    while answered < 8 and time.monotonic() < deadline:  # several, so both workers did
        try:
            answered += fetch(port, "/", "identity")[0] == 200
        except OSError:
            time.sleep(0.5)
    return server


def start_nginx(directory: Path, page: bytes, port: int) -> subprocess.Popen:
    directory.chmod(0o755)  # nginx's workers run as nobody: they must read the page
    (directory / "www").mkdir()
    (directory / "www" / "index.html").write_bytes(page)
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return start_server({**os.environ}, port, [nginx, "-c", str(conf), "-p", str(directory)],
                        ready_seconds=0.5)


def wrk(port: int, headers: dict) -> tuple[float, float, int]:
    """Requests/s, mean latency in ms, and non-2xx/3xx answers of one wrk run."""
    flags = [item for name, value in headers.items() for item in ("-H", f"{name}: {value}")]
    out = subprocess.run([*WRK, *flags, f"http://127.0.0.1:{port}/"], capture_output=True,
                         text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out).groups()
    latency = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, latency, int(bad.group(1)) if bad else 0


def main() -> int:
    if not shutil.which("wrk") or not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("needs Debian's wrk and nginx: apt-get install -y wrk nginx")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        env = prepare_database(directory)
        env.pop("LOG_LEVEL")  # as `make run`: one INFO line a request
        subprocess.run([str(BIN / "flask"), "--app", "webapp", "housekeeping"], cwd=ROOT,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        ports = {"cached": free_port(), "nginx": free_port(), "rendered": free_port()}
        servers = [start_gunicorn(env, ports["cached"]),
                   start_gunicorn({**env, "PAGE_CACHE_ENTRIES": "0"}, ports["rendered"])]
        try:
            status, page, headers = fetch(ports["cached"], "/", "identity")
            assert status == 200, status
            cookie = headers["Set-Cookie"].split(";", 1)[0]
            etag = fetch_etag(ports["cached"], cookie)
            servers.append(start_nginx(directory, page, ports["nginx"]))
            sides = {
                "nginx, the same bytes": (ports["nginx"], {}),
                "home, from the page cache, first visit (no cookie)": (ports["cached"], {}),
                "home, from the page cache, returning visitor (her cookie)":
                    (ports["cached"], {"Cookie": cookie}),
                "home, from the page cache, her browser holds it (304)":
                    (ports["cached"], {"Cookie": cookie, "If-None-Match": etag}),
                "home, rendered (page cache off)": (ports["rendered"], {"Cookie": cookie}),
            }
            load_before = os.getloadavg()
            runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in sides}
            for _ in range(ROUNDS):
                for name, (port, extra) in sides.items():
                    runs[name].append(wrk(port, extra))
            load_after = os.getloadavg()
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)
    text = report(runs, len(page), load_before, load_after)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "nginx-share.md").write_text(text, encoding="utf-8")
    print(text)
    share = statistics.median(r[0] for r in runs[
        "home, from the page cache, returning visitor (her cookie)"]) / statistics.median(
        r[0] for r in runs["nginx, the same bytes"]) * 100
    return 0 if share >= TARGET else 1


def fetch_etag(port: int, cookie: str) -> str:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag")


def report(runs, size: int, before, after) -> str:
    nginx = statistics.median(r[0] for r in runs["nginx, the same bytes"])
    lines = [
        f"# The home page against nginx ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, load average {before[0]:.1f} before, {after[0]:.1f} after)",
        "",
        f"`{' '.join(WRK)}`, {ROUNDS} rounds taking turns; the page is {size:,} bytes; "
        "medians over the rounds.",
        "",
        "| what | requests/s (median) | each round | mean latency | errors | share of nginx |",
        "|---|---|---|---|---|---|",
    ]
    for name, results in runs.items():
        rps = statistics.median(r[0] for r in results)
        rounds = " / ".join(f"{r[0]:,.0f}" for r in results)
        latency = statistics.median(r[1] for r in results)
        lines.append(f"| {name} | {rps:,.0f} | {rounds} | {latency:.1f} ms | "
                     f"{sum(r[2] for r in results)} | {rps / nginx * 100:.1f} % |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
