"""`make load`: the load and fault run (docs/benchmarks.md, "Load and faults").

Starts, in a temporary folder, a private PostgreSQL (initdb, pg_ctl) and Redis, the object
store when the app has one (SeaweedFS, UPLOAD_STORE=s3; otherwise one upload folder both
instances share), two gunicorn instances and HAProxy; prepares signed-in citizens and officers;
then runs locust (tests/cluster/load.py) through HAProxy for --seconds while, one after the
other: PostgreSQL restarts, Redis stops and comes back, the object store stops and comes back,
and instance B is killed and restarted. Then it checks against the database that every citizen
told a dossier code has exactly that dossier, with both photos and one "submitted" message,
and that nothing was duplicated; and writes the figures to bench-results/load.md.

    .venv/bin/python -m tests.cluster.faults [--seconds 330]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import psycopg

from tests.bench.run import BIN, ROOT, percentile
from tests.cluster.servers import (
    ObjectStore,
    app_instances,
    haproxy,
    private_postgres,
    private_redis,
)

# Locust users (load.py): applicants and officers in fixed numbers, the rest visitors. Each
# applicant applies as a new citizen every time, so many more citizens are made.
APPLICANTS, VISITORS, OFFICERS, CITIZENS = 20, 60, 3, 400
USERS = APPLICANTS + VISITORS + OFFICERS
FAULT_SECONDS = 30  # how long each part stays away
CALM_SECONDS = 40  # between faults, and before the first


def make_people(env: dict, folder: Path) -> Path:
    """Signed-in citizens (Bà Tư's profile: name and phone) and officers serving every commune,
    made in another process on the run's database; their cookies in a file for locust."""
    code = f"""
import json, os
os.environ.update({{"DATABASE_URL": {env["DATABASE_URL"]!r}, "SECRET_KEY": {env["SECRET_KEY"]!r}}})
from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from webapp import create_app
from webapp.core.db import database
from webapp.places.models import Commune
app = create_app({{"SERVER_NAME": None}})
people = {{"citizens": [], "officers": []}}
for _ in range({CITIZENS}):
    client = app.test_client()
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    people["citizens"].append({{"phone": citizen.phone,
                               "cookie": client.get_cookie("session", domain="localhost").value}})
with app.app_context(), database.connection_context():
    communes = [c.id for c in Commune.select()]
for _ in range({OFFICERS}):
    client = app.test_client()
    sign_in_staff(client, role="officer", communes=communes)
    people["officers"].append({{"phone": "", "cookie": client.get_cookie("session").value}})
print(json.dumps(people))
"""
    made = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    path = folder / "people.json"
    path.write_text(made.stdout.strip().splitlines()[-1])
    return path


def prepare(url: str) -> None:
    code = f"from tests.conftest import prepare_database; prepare_database({url!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


class Faults:
    """The faults, one after the other, each window's start and end recorded."""

    def __init__(self, postgres, redis, store: ObjectStore, instance, calm: int,
                 away: int) -> None:
        self.postgres, self.redis, self.store, self.instance = postgres, redis, store, instance
        self.calm, self.away = calm, away
        self.windows: list[tuple[str, float, float]] = []

    def _window(self, name: str, stop, start) -> None:
        began = time.time()
        stop()
        time.sleep(self.away)
        start()
        self.windows.append((name, began, time.time()))

    def run(self) -> None:
        time.sleep(self.calm)
        began = time.time()
        self.postgres.restart()  # a restart: every connection of every instance is cut
        time.sleep(self.away)
        self.windows.append(("PostgreSQL restarted", began, time.time()))
        time.sleep(self.calm)
        self._window("Redis stopped and started", self.redis.stop, self.redis.start)
        if self.store.server:
            time.sleep(self.calm)
            self._window("object store stopped and started", self.store.stop, self.store.start)
        time.sleep(self.calm)
        self._window("instance B killed and restarted", self.instance.kill, self.instance.start)


def run_locust(port: int, folder: Path, people: Path, seconds: int) -> Path:
    env_files = {"LOAD_PEOPLE": str(people), "LOAD_APPLICANTS": str(APPLICANTS),
                 "LOAD_OFFICERS": str(OFFICERS), "LOAD_OUTCOMES": str(folder / "outcomes.json"),
                 "LOAD_REQUESTS": str(folder / "requests.json")}
    command = [str(BIN / "locust"), "-f", str(ROOT / "tests/cluster/load.py"), "--headless",
               "--host", f"http://127.0.0.1:{port}", "-u", str(USERS), "-r", "10",
               "--run-time", f"{seconds}s", "--stop-timeout", "130", "--only-summary",
               "--csv", str(folder / "locust")]
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env_files}, check=False,
                   stdout=open(folder / "locust.log", "w"), stderr=subprocess.STDOUT)
    return folder


def checks(url: str, folder: Path, store: ObjectStore) -> dict:
    """What the citizens were told against what the database holds."""
    outcomes = json.loads((folder / "outcomes.json").read_text())
    people = json.loads((folder / "people.json").read_text())
    phones = [p["phone"] for p in people["citizens"]]
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT c.phone, d.code, d.id FROM dossier d JOIN citizen c ON c.id = d.citizen_id "
            "WHERE c.phone = ANY(%s)", (phones,)).fetchall()
        ids = [row[2] for row in rows]
        photos = dict(connection.execute(
            "SELECT dossier_id, count(*) FROM attachment WHERE dossier_id = ANY(%s) "
            "GROUP BY dossier_id", (ids,)).fetchall())
        names = [n for (n,) in connection.execute(
            "SELECT storage_name FROM attachment WHERE dossier_id = ANY(%s)", (ids,))]
        submitted = Counter(r for (r,) in connection.execute(
            "SELECT reference FROM outbox_message WHERE template = 'dossier_submitted'"))
    told = Counter((t["phone"], t["code"]) for t in outcomes["told"])
    # Locust stopped these citizens after they pressed "Send" and before the receipt came.
    stopped = {g["phone"] for g in outcomes["gave_up"] if g["at"] == "stopped while sending"}
    held = Counter((phone, code) for phone, code, _id in rows)
    stored = store.names()
    return {
        "told": sum(told.values()), "dossiers": len(rows), "gave_up": outcomes["gave_up"],
        "told_but_missing": sorted(set(told) - set(held)),
        "held_but_not_told": sorted(k for k in set(held) - set(told) if k[0] not in stopped),
        "sent_when_the_run_stopped": sorted(k for k in set(held) - set(told) if k[0] in stopped),
        "told_twice": [k for k, n in told.items() if n > 1],
        "without_two_photos": [i for i in ids if photos.get(i, 0) != 2],
        "photo_files_missing": [n for n in names if n not in stored],
        "submitted_messages_not_one": [i for i in ids if submitted[f"dossier-{i}-submitted"]
                                       != 1],
    }


def window_figures(requests: list, windows: list, began: float, ended: float) -> list[dict]:
    """Per window (calm and each fault): requests/s, p50/p99, errors, and what the errors said."""
    marks = [("calm, before the faults", began, windows[0][1]) if windows else
             ("whole run", began, ended), *windows,
             ("after the last fault", windows[-1][2] if windows else ended, ended)]
    figures = []
    for name, start, end in marks:
        inside = [r for r in requests if start <= r[0] < end]
        failed = [r for r in inside if not r[5]]
        public = [r for r in inside if r[2] in PUBLIC_NAMES]
        figures.append({
            "window": name, "seconds": round(end - start),
            "rps": round(len(inside) / max(end - start, 1), 1),
            "p50": percentile([r[4] for r in inside], 50) if inside else 0,
            "p99": percentile([r[4] for r in inside], 99) if inside else 0,
            "errors": len(failed),
            "no_answer": sum(1 for r in failed if r[3] == 0),
            "not_vietnamese": sum(1 for r in failed if r[3] and r[6] is False),
            "public_ok": f"{sum(1 for r in public if r[5])}/{len(public)}",
            "statuses": dict(Counter(r[3] for r in failed)),
        })
    return figures


PUBLIC_NAMES = {"/", "/thu-tuc/", "/thu-tuc/tim-kiem", "/thu-tuc/tro-cap-xa-hoi-hang-thang",
                "/tin-tuc"}


def report(figures: list[dict], result: dict, store_note: str, recovered: bool) -> str:
    lines = [f"Load and fault run, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
             "(2 shared cores, locust on the same machine)", "",
             "| window | s | requests/s | p50 ms | p99 ms | errors | no answer | error pages "
             "not in Vietnamese | public pages ok | error statuses |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for f in figures:
        lines.append(f"| {f['window']} | {f['seconds']} | {f['rps']} | {f['p50']:.0f} | "
                     f"{f['p99']:.0f} | {f['errors']} | {f['no_answer']} | "
                     f"{f['not_vietnamese']} | {f['public_ok']} | {f['statuses']} |")
    lines += ["", f"Dossiers: told {result['told']}, in the database {result['dossiers']}; "
              f"gave up {len(result['gave_up'])} {result['gave_up'][:5]}",
              *(f"- {k}: {v}" for k, v in result.items()
                if k not in ("told", "dossiers", "gave_up")),
              f"- recovered by itself (both instances healthy, Redis back in use): {recovered}"]
    if store_note:
        lines.append(f"- object store: {store_note}")
    return "\n".join(lines) + "\n"


def healthy(instances) -> bool:
    """Every instance answers /healthz with everything "ok" (Redis in use again, too)."""
    def ok(port: int) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status == 200 and json.loads(response.read())["status"] == "ok"

    return all(ok(i.port) for i in instances)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=330, help="the whole locust run")
    parser.add_argument("--calm", type=int, default=CALM_SECONDS, help="seconds between faults")
    parser.add_argument("--away", type=int, default=FAULT_SECONDS, help="seconds a part is away")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on a stop, too
    # The run's logs stay for reading afterwards (gunicorn, HAProxy, locust), replaced by the
    # next run; the PostgreSQL data folder is a temporary one (servers.private_postgres).
    folder = ROOT / "bench-results" / "load-run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ExitStack() as stack:
        postgres = stack.enter_context(private_postgres())
        redis = stack.enter_context(private_redis(folder))
        store = ObjectStore(folder)
        env = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url, "PROXY_COUNT": "1",
               "SECRET_KEY": "load-run-secret-shared-by-every-instance", "LOG_LEVEL": "INFO",
               **store.settings(stack)}
        env = {**os.environ, **env}
        prepare(postgres.url)
        people = make_people(env, folder)
        instances = stack.enter_context(app_instances(env, folder))
        port = stack.enter_context(haproxy(instances, folder))
        faults = Faults(postgres, redis, store, instances[1], args.calm, args.away)
        thread = threading.Thread(target=faults.run, daemon=True)
        began = time.time()
        thread.start()
        run_locust(port, folder, people, args.seconds)
        ended = time.time()
        thread.join()
        recovered = healthy(instances)
        requests = json.loads((folder / "requests.json").read_text())
        figures = window_figures(requests, faults.windows, began, ended)
        result = checks(postgres.url, folder, store)
        text = report(figures, result, store.note, recovered)
        print((folder / "locust.log").read_text()[-4000:])
        out = ROOT / "bench-results"
        out.mkdir(exist_ok=True)
        (out / "load.md").write_text(text)
        print(text)
        lost = any(result[k] for k in ("told_but_missing", "held_but_not_told", "told_twice",
                                       "without_two_photos", "submitted_messages_not_one"))
        return 1 if lost or not recovered or result["photo_files_missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
