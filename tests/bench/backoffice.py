"""Back-office benchmark: the officer's queue and dossier pages with 50,000 dossiers.

    .venv/bin/python -m tests.bench.backoffice [--count 50000]

Same method as `make bench` (tests/bench/run.py): a fresh SQLite database with the demo data,
plus `flask backoffice generate` dossiers; gunicorn with 2 sync workers; each page for 10 s at a
fixed 100 requests/s (open loop, latency from each request's due time), by an officer signed in
with a real session cookie. The busiest commune's queue is used, since queries are per commune.
Before each page's 10 s, one request alone gives its "first request" time: a worker that has
not served that page yet (and, for the figures, has nothing counted in memory).
Results go to bench-results/backoffice.md and stdout; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from tests.bench.run import BIN, ROOT, prepare_database, serve_pages


def signed_in_officer(env: dict) -> tuple[str, str, list[str], str]:
    """Sign in an officer of the busiest commune and an admin; their cookies and test paths."""
    from peewee import fn

    from tests.accounts.helpers import sign_in_staff
    from webapp import create_app
    from webapp.core.db import database
    from webapp.dossiers.models import Dossier

    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context(), database.connection_context():
        commune_id, _count = (Dossier.select(Dossier.commune, fn.COUNT(Dossier.id))
                              .group_by(Dossier.commune).order_by(fn.COUNT(Dossier.id).desc())
                              .tuples().first())
        codes = [code for (code,) in Dossier.select(Dossier.code)
                 .where(Dossier.commune == commune_id).order_by(fn.RANDOM()).limit(200).tuples()]
        name = Dossier.select(Dossier.citizen).where(Dossier.commune == commune_id).first()\
            .citizen.full_name
    cookies = []
    for role, communes in (("officer", [commune_id]), ("admin", [])):
        client = app.test_client()
        sign_in_staff(client, role=role, communes=communes)
        cookie_name = app.config["SESSION_COOKIE_NAME"]
        cookies.append(f"{cookie_name}={client.get_cookie(cookie_name).value}")
    return cookies[0], cookies[1], codes, name


def scenarios(codes: list[str], name: str) -> list[tuple[str, list[str], bool]]:
    """(what, paths, as admin): every path list is spread over its 10 s. A scenario named
    "htmx ..." asks as htmx does (`HX-Request`), for the results fragment only."""
    given = name.split()[-1]
    return [
        ("Queue: to do (default)", ["/can-bo/ho-so/"], False),
        ("Queue: overdue", ["/can-bo/ho-so/?nhom=qua-han"], False),
        ("Queue: all, page 20, newest first",
         ["/can-bo/ho-so/?nhom=tat-ca&sap-xep=moi-nhat&trang=20"], False),
        ("Queue: search by name without diacritics",
         [f"/can-bo/ho-so/?nhom=tat-ca&q={given.encode('ascii', 'ignore').decode() or 'nguyen'}"],
         False),
        ("Queue: search by phone digits", ["/can-bo/ho-so/?nhom=tat-ca&q=0903"], False),
        ("htmx: queue results only, search by name", ["/can-bo/ho-so/?nhom=tat-ca&q=nguyen"],
         False),
        ("Dossier detail (200 different dossiers)", [f"/can-bo/ho-so/{c}" for c in codes],
         False),
        ("Figures, whole province, by commune", ["/can-bo/so-lieu?theo=xa"], True),
        ("Figures, whole province, by month", ["/can-bo/so-lieu"], True),
    ]


def _headers(what: str, cookie: str) -> dict:
    """The staff member's cookie; htmx's header for the lists it refreshes in place."""
    return {"Cookie": cookie, **({"HX-Request": "true"} if what.startswith("htmx") else {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-backoffice-"))
    env = {**prepare_database(directory), "LOG_LEVEL": "WARNING"}
    began = time.monotonic()
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "backoffice", "generate", "--count",
                    str(args.count)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    generated_in = time.monotonic() - began
    officer, admin, codes, name = signed_in_officer(env)
    said = [f"Dossiers in the database: {args.count:,} (generated in {generated_in:.0f} s); "
            f"SQLite file {os.path.getsize(directory / 'bench.db') / 1e6:.0f} MB.", ""]
    serve_pages(env, directory, said, [(what, paths, _headers(what, admin if as_admin else officer))
                                       for what, paths, as_admin in scenarios(codes, name)],
                "backoffice.md")


if __name__ == "__main__":
    main()
