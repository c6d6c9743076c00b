"""`python -m tests.bench.journey`: the server time and the bytes of a whole online dossier.

Bà Tư (name and phone in her profile) applies for the monthly social allowance, from the home
page to the receipt, with a photo of each side of her citizen ID card, against gunicorn
(2 workers) on a fresh SQLite demo database. The journey runs twice over: as a browser
without JavaScript does it (whole pages, Post/Redirect/Get) and as htmx does it (each step's
fragment only).

- Server time is what the app itself logs for each request (webapp.requests: route, status,
  milliseconds), so the figures exclude the client and the loopback network.
- Bytes are what travels: the status line, headers and body of every request and response,
  bodies compressed as browsers ask (Accept-Encoding: br), plus the stylesheet and scripts
  once (a first visit).

Results go to bench-results/journey.md and stdout; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import brotli
from PIL import Image, ImageDraw

from tests.bench.run import BIN, ROOT, free_port, percentile, prepare_database

ROUNDS = 10
SLUG = "tro-cap-xa-hoi-hang-thang"
LOG_LINE = re.compile(r"webapp\.requests: (\w+) (\S+) (\d{3}) ([\d.]+)ms")


@dataclass
class Exchange:
    method: str
    path: str
    status: int
    bytes_up: int
    bytes_down: int
    body: bytes


@dataclass
class Journey:
    exchanges: list[Exchange] = field(default_factory=list)
    asset_bytes: int = 0


class Browser:
    """Just enough of a browser: one cookie jar, compressed bodies, manual redirects."""

    def __init__(self, port: int, cookies: dict[str, str], htmx: bool) -> None:
        self.port, self.cookies, self.htmx = port, dict(cookies), htmx
        self.journey = Journey()
        self.csrf = ""

    def _headers(self, fragment: bool) -> dict[str, str]:
        headers = {"Accept-Encoding": "br", "Cookie": "; ".join(
            f"{k}={v}" for k, v in self.cookies.items())}
        if fragment and self.htmx:
            headers.update({"HX-Request": "true", "HX-Current-URL": "/", "X-CSRF-Token": self.csrf})
        return headers

    def _send(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
              fragment: bool = False) -> Exchange:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {**self._headers(fragment), **(headers or {})}
        connection.request(method, path, body=body or None, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        up = len(f"{method} {path} HTTP/1.1\r\n") + sum(
            len(k) + len(v) + 4 for k, v in all_headers.items()) + 2 + len(body)
        down = len("HTTP/1.1 200 OK\r\n") + sum(
            len(k) + len(v) + 4 for k, v in response.getheaders()) + 2 + len(raw)
        exchange = Exchange(method, path, response.status, up, down, raw)
        self.journey.exchanges.append(exchange)
        if response.status in (301, 302, 303):
            return self._send("GET", response.headers["Location"], fragment=fragment)
        return exchange

    def get(self, path: str, fragment: bool = False) -> Exchange:
        return self._send("GET", path, fragment=fragment)

    def post(self, path: str, fields: dict, fragment: bool = False) -> Exchange:
        body = "&".join(f"{k}={_quote(v)}" for k, v in {"csrf_token": self.csrf, **fields}.items())
        return self._send("POST", path, body.encode(), fragment=fragment,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path: str, name: str, content: bytes, fragment: bool,
               side: str = "") -> Exchange:
        boundary = uuid.uuid4().hex
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                 f"{self.csrf}\r\n".encode(),
                 *([f"--{boundary}\r\nContent-Disposition: form-data; name=\"side\"\r\n\r\n"
                    f"{side}\r\n".encode()] if side else []),
                 f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                 f"filename=\"anh.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".encode(),
                 content, f"\r\n--{boundary}--\r\n".encode()]
        return self._send("POST", path, b"".join(parts), fragment=fragment,
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def _quote(value: str) -> str:
    return quote_plus(str(value))


def photo_of_a_paper() -> bytes:
    """A 12-megapixel phone photo of a printed page (about 2-3 MB), made on the fly."""
    image = Image.new("RGB", (4000, 3000), (236, 232, 222))
    draw = ImageDraw.Draw(image)
    for row in range(120, 2900, 60):
        for column in range(200, 3800, 240):
            shade = (row * 7 + column * 3) % 90
            draw.rectangle([column, row, column + 180 - shade, row + 28], fill=(40, 40, 60))
    noise = Image.effect_noise((4000, 3000), 18).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def signed_in_cookies(env: dict, count: int) -> list[dict[str, str]]:
    """Create `count` first-time applicants like Bà Tư, each signed in; return their cookies.

    A new person for every journey: someone who applied before is asked fewer questions
    (answers are never asked twice), which would make later runs shorter than the first.
    """
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY")})
    from tests.accounts.helpers import sign_in_citizen
    from webapp import create_app

    app = create_app({"SERVER_NAME": None})
    cookies = []
    for _ in range(count):
        client = app.test_client()
        sign_in_citizen(client, full_name="Nguyễn Thị Tư")
        cookies.append({"session": client.get_cookie("session", domain="localhost").value})
    return cookies


def _text(exchange: Exchange) -> str:
    """The body as text, whether the server compressed it (large pages) or not (small ones)."""
    try:
        return brotli.decompress(exchange.body).decode()
    except brotli.error:
        return exchange.body.decode(errors="replace")


def _csrf_from(exchange: Exchange, browser: Browser) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', _text(exchange))
    if token:
        browser.csrf = token.group(1)


def first_visit_assets(browser: Browser, page: Exchange) -> int:
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', _text(page))
    wanted = [a for a in assets if browser.htmx or a.endswith(".css")]
    return sum(browser.get(asset).bytes_down for asset in wanted)


ANSWERS = [
    {"date_of_birth-day": "24", "date_of_birth-month": "11", "date_of_birth-year": "1953"},
    {"citizen_id": "072053001234"}, {"situation": "older_poor"}, {"has_supporter": "no"},
    {"payment": "cash"},
    {"commune": None, "address": "Ấp Thạnh Đông, số nhà 12"},  # one page: where she lives
]


def run_journey(port: int, cookies: dict, htmx: bool, photo: bytes) -> Journey:
    browser = Browser(port, cookies, htmx)
    photo_page = walk_to_photo_step(browser)
    for side in ("front", "back"):  # the ID card: one photo of each side
        browser.upload(f"{photo_page}/anh", "photos", photo, fragment=True, side=side)
        thumbnails = re.findall(r'src="(/ho-so/tep/\d+/nho)"',
                                _text(browser.journey.exchanges[-1]))
        browser.get(thumbnails[-1])
    browser.post(photo_page, {}, fragment=True)  # then checking: optional papers are there
    check = browser.journey.exchanges[-1]  # the declaration is at the check page's foot
    key = re.search(r'name="submission_key" value="([^"]+)"', _text(check)).group(1)
    check = check.path
    receipt = browser.post(check.replace("/kiem-tra", "/gui"),
                           {"submission_key": key, "declaration": "yes", "consent": "yes"})
    assert receipt.status == 200 and "dossier-code" in _text(receipt), receipt.status
    return browser.journey


def walk_to_photo_step(browser: Browser) -> str:
    """From the home page through the 6 question pages; return the path of the photo step."""
    home = browser.get("/")
    _csrf_from(home, browser)
    browser.journey.asset_bytes = first_visit_assets(browser, home)
    browser.journey.exchanges = [e for e in browser.journey.exchanges if "/static/" not in e.path]
    browser.get("/nop-ho-so")
    start = browser.get(f"/nop-ho-so/{SLUG}")
    _csrf_from(start, browser)
    step = browser.post(f"/nop-ho-so/{SLUG}", {})
    path = browser.journey.exchanges[-1].path
    for fields in ANSWERS:
        if "commune" in fields:
            commune = re.search(r'<option value="(\d+)"', _text(step)).group(1)
            fields = {**fields, "commune": commune}
        step = browser.post(path, fields, fragment=True)
        path = browser.journey.exchanges[-1].path
    return path


def server_times(log_path: Path, since: int) -> list[tuple[str, str, float]]:
    text = log_path.read_text(errors="replace")[since:]
    return [(m[0], m[1], float(m[3])) for m in LOG_LINE.findall(text)
            if not m[1].startswith("/static")]


def start_gunicorn(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env={**env, "LOG_LEVEL": "INFO"}, stdout=log, stderr=log,
        start_new_session=True)
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=0.2).request("GET", "/healthz")
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


@dataclass
class Summary:
    name: str
    requests: int
    server_ms: list[float]
    per_request_ms: list[float]
    upload_ms: list[float]
    bytes_down: list[int]
    bytes_up: list[int]
    assets: int


def measure(port: int, people: list[dict], htmx: bool, photo: bytes, log_path: Path) -> Summary:
    run_journey(port, people.pop(), htmx, photo)  # warm up caches of both workers
    run_journey(port, people.pop(), htmx, photo)
    totals, each, uploads, down, up, requests, assets = [], [], [], [], [], 0, 0
    for _ in range(ROUNDS):
        since = len(log_path.read_text(errors="replace"))
        journey = run_journey(port, people.pop(), htmx, photo)
        time.sleep(0.2)  # let the workers flush their log lines
        times = server_times(log_path, since)
        totals.append(sum(ms for _m, _p, ms in times))
        uploads += [ms for _m, route, ms in times if route.endswith("/anh")]
        each += [ms for _m, route, ms in times if not route.endswith("/anh")]
        down.append(sum(e.bytes_down for e in journey.exchanges) + journey.asset_bytes)
        up.append(sum(e.bytes_up for e in journey.exchanges))
        requests, assets = len(journey.exchanges), journey.asset_bytes
    return Summary("with htmx (fragments)" if htmx else "without JavaScript (whole pages)",
                   requests, totals, each, uploads, down, up, assets)


def report(results: list[Summary], photo_bytes: int) -> str:
    lines = [
        f"Online dossier journey ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, gunicorn 2 sync workers, SQLite, median of {ROUNDS} runs; "
        f"photo {photo_bytes / 1e6:.1f} MB, 4000x3000 JPEG)",
        "",
        "| journey | requests | server time, whole journey | per request p50 / p99 "
        "(photo upload aside) | photo upload | bytes down (incl. first-visit CSS/JS) | "
        "bytes up (incl. photo) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests} | {statistics.median(r.server_ms):.0f} ms | "
            f"{percentile(r.per_request_ms, 50):.1f} / {percentile(r.per_request_ms, 99):.1f} ms"
            f" | {statistics.median(r.upload_ms):.0f} ms | "
            f"{statistics.median(r.bytes_down) / 1024:.1f} KB ({r.assets / 1024:.1f} KB CSS/JS)"
            f" | {statistics.median(r.bytes_up) / 1024:.0f} KB |")
    return "\n".join(lines) + "\n"


def main() -> int:
    photo = photo_of_a_paper()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare_database(Path(tmp))
        env["UPLOAD_DIR"] = str(Path(tmp) / "uploads")
        people = signed_in_cookies(env, 2 * (ROUNDS + 2))
        port, log_path = free_port(), Path(tmp) / "server.log"
        server = start_gunicorn(env, port, log_path)
        try:
            results = [measure(port, people, htmx, photo, log_path) for htmx in (False, True)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    text = report(results, len(photo))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "journey.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
