"""The locust users of the load and fault run (`make load`, tests/cluster/faults.py starts it).

- Visitors browse the public pages (home, catalogue, search, a procedure): the read-only pages
  that must keep working while parts fail.
- Applicants, signed in, apply for the monthly social allowance as a phone without JavaScript
  does (whole pages): seven questions, a photo of each side of the ID card, the check page and
  "Send"; then they follow their dossier. A step that fails is tried again, as a citizen taps
  again, for up to RETRY_SECONDS; "Send" is tried again with the same submission key.
- Officers open their queue and a dossier and receive it.

What each applicant was told (the receipt's dossier code) and every request (time, route,
status, whether an error page was in Vietnamese) are written to the files named by
LOAD_OUTCOMES and LOAD_REQUESTS, for the checks faults.py makes against the database.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, constant_throughput, events, task
from PIL import Image

from tests.bench.journey import ANSWERS, SLUG

RETRY_SECONDS = 120
PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"]).read()) if "LOAD_PEOPLE" in os.environ \
    else {"citizens": [], "officers": []}
PUBLIC_PAGES = ["/", "/thu-tuc/", "/thu-tuc/tim-kiem?q=tro+cap+nguoi+gia",
                f"/thu-tuc/{SLUG}", "/tin-tuc"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_lock = threading.Lock()
_outcomes: dict[str, list] = {"told": [], "gave_up": []}
_requests: list[tuple] = []


def phone_photo(seed: int) -> bytes:
    """A phone photo of a paper as Zalo sends it (1600x1200 JPEG, about 300 KB)."""
    image = Image.effect_noise((1600, 1200), 40 + seed % 20).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


PHOTOS = [phone_photo(seed) for seed in range(4)]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None,
            **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    vietnamese = None
    if status >= 400 or exception:
        text = getattr(response, "text", "") or ""
        vietnamese = 'lang="vi"' in text and ("Ông/Bà" in text or "Xin" in text)
    with _lock:
        _requests.append((time.time(), request_type, name, status, response_time,
                          exception is None and 0 < status < 400, vietnamese))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(os.environ["LOAD_OUTCOMES"], "w") as out:
        json.dump(_outcomes, out)
    with open(os.environ["LOAD_REQUESTS"], "w") as out:
        json.dump(_requests, out)


class Visitor(HttpUser):
    """Reads public pages, one every half second."""

    weight = 12
    wait_time = constant_throughput(2)

    @task
    def browse(self) -> None:
        path = random.choice(PUBLIC_PAGES)
        self.client.get(path, name=path.split("?")[0])


class Person(HttpUser):
    """A signed-in person: a session cookie made beforehand (faults.py)."""

    abstract = True
    csrf = ""

    def become(self, kind: str) -> bool:
        """Take the next person of `kind` not yet used; False when there is none left."""
        with _lock:
            if not PEOPLE[kind]:
                return False
            self.me = PEOPLE[kind].pop()
        self.client.cookies.clear()
        # The host's own cookie, so the ones the app sets (the CSRF token) replace it.
        self.client.cookies.set("session", self.me["cookie"], domain="127.0.0.1")
        return True

    def patiently(self, method: str, path: str, name: str, **kwargs):
        """The request, tried again every 2 s while the answer is an error (a citizen taps
        again); None after RETRY_SECONDS."""
        deadline = time.monotonic() + RETRY_SECONDS
        while time.monotonic() < deadline:
            if method == "POST":
                kwargs.setdefault("data", {})["csrf_token"] = self.csrf
            try:
                response = self.client.request(method, path, name=name, timeout=60, **kwargs)
            except Exception:  # noqa: BLE001 (the connection failed: counted by locust)
                response = None
            if response is not None and response.ok:
                found = CSRF.search(response.text)
                self.csrf = found.group(1) if found else self.csrf
                return response
            time.sleep(2)
        return None


class Applicant(Person):
    """A citizen applies once (someone who applied before is asked fewer questions), then the
    user carries on as the next citizen; with none left, it follows the last dossier."""

    fixed_count = int(os.environ.get("LOAD_APPLICANTS", "20"))
    wait_time = between(0.5, 1.5)  # reading and typing between steps
    code, sending = "", False

    @task
    def apply(self) -> None:
        if not self.become("citizens"):
            return self.follow()
        start = self.patiently("GET", f"/nop-ho-so/{SLUG}", "procedure page")
        step = start and self.answer(self.patiently("POST", f"/nop-ho-so/{SLUG}", "start draft"))
        step = step and self.photos(step)
        check = step and self.patiently("POST", _path(step), "to the check page")
        if check is None or "submission_key" not in check.text:
            return self.give_up("before sending")
        self.send(check)

    def answer(self, step):
        """The seven questions; the photo step's page, or None."""
        for fields in ANSWERS:
            if step is None:
                return None
            if "commune" in fields:
                fields = {**fields,  # and the street, asked on the same page
                          "commune": re.search(r'<option value="(\d+)"', step.text).group(1)}
            step = self.patiently("POST", _path(step), "answer a question", data=dict(fields))
            self.wait()
        return step

    def photos(self, step):
        """A photo of each side, each thumbnail looked at; the step's page, or None."""
        for side in ("front", "back"):
            step = step and self.patiently(
                "POST", f"{_path(step)}/anh", "upload a photo", data={"side": side},
                files={"photos": ("anh.jpg", random.choice(PHOTOS), "image/jpeg")})
            thumbnail = step and re.findall(r'src="(/ho-so/tep/\d+/nho)"', step.text)
            if thumbnail:
                self.patiently("GET", thumbnail[-1], "photo thumbnail")
        return step

    def on_stop(self) -> None:
        if self.sending:
            self.give_up("stopped while sending")

    def send(self, check) -> None:
        self.sending = True
        key = re.search(r'name="submission_key" value="([^"]+)"', check.text).group(1)
        receipt = self.patiently("POST", _path(check).replace("/kiem-tra", "/gui"), "send",
                                 data={"submission_key": key, "declaration": "yes",
                                       "consent": "yes"})
        code = receipt and re.search(r'class="dossier-code"[^>]*>\s*([A-Z0-9-]+)', receipt.text)
        self.sending = False
        if not code:
            return self.give_up("send")
        with _lock:
            _outcomes["told"].append({"phone": self.me["phone"], "code": code.group(1)})
        self.code = code.group(1)
        self.follow()

    def follow(self) -> None:
        self.patiently("GET", "/ho-so-cua-toi", "my dossiers")
        if self.code:
            self.patiently("GET", f"/tra-cuu-ho-so/{self.code}", "follow a dossier")

    def give_up(self, where: str) -> None:
        with _lock:
            _outcomes["gave_up"].append({"phone": self.me["phone"], "at": where})


class Officer(Person):
    fixed_count = int(os.environ.get("LOAD_OFFICERS", "3"))
    wait_time = between(2, 4)

    def on_start(self) -> None:
        self.become("officers")

    @task
    def process(self) -> None:
        queue = self.patiently("GET", "/can-bo/ho-so/", "officer queue")
        codes = queue and re.findall(r'href="/can-bo/ho-so/([A-Z0-9-]+)"', queue.text)
        if not codes:
            return
        code = random.choice(codes)  # officers share the queue: not all the same dossier
        detail = self.patiently("GET", f"/can-bo/ho-so/{code}", "officer dossier")
        version = detail and re.search(r'name="version" value="(\d+)"', detail.text)
        if version and "/tiep-nhan" in detail.text:
            self.patiently("POST", f"/can-bo/ho-so/{code}/tiep-nhan", "officer receives",
                           data={"version": version.group(1)})


def _path(response) -> str:
    """The path a (redirected) response ended on."""
    url = response.url
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
