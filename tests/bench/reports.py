"""Reports benchmark: the public list, a report's status page, the officer's queue and a
report's back-office page with 100,000 reports.

    .venv/bin/python -m tests.bench.reports [--count 100000]

Same method as tests/bench/backoffice.py: a fresh SQLite database with the demo data, plus
`--count` reports written in bulk (spread over every commune and category, a third answered
and public); gunicorn with 2 sync workers; each page for 10 s at a fixed 100 requests/s.
Results go to bench-results/reports.md and stdout; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from tests.bench.run import prepare_database, serve_pages

STATUSES = ("submitted", "received", "forwarded", "fixed", "not_fixed", "not_ours")
CATEGORIES = ("roads", "lighting", "utilities", "environment", "security", "services", "other")


def _code(n: int, alphabet: str) -> str:
    """A distinct, well-formed code for the n-th report ("TN-XXX-XXXX")."""
    symbols = []
    for _ in range(7):
        n, digit = divmod(n, len(alphabet))
        symbols.append(alphabet[digit])
    body = "".join(reversed(symbols))
    return f"TN-{body[:3]}-{body[3:]}"


def generate(env: dict, count: int) -> tuple[str, str, list[str], str, str]:
    """Write `count` reports; sign in an officer of the busiest commune and one reporter."""
    from tests.accounts.helpers import sign_in_staff
    from tests.dossiers.helpers import sign_in_again
    from webapp import create_app
    from webapp.accounts.models import Citizen
    from webapp.core.db import database, refresh_statistics
    from webapp.places.models import Commune
    from webapp.reports.models import Report
    from webapp.tracking.codes import ALPHABET

    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    rng = random.Random(13)
    with app.app_context(), database.connection_context():
        communes = [c.id for c in Commune.select(Commune.id)]
        busiest = communes[0]
        people = []
        with database.atomic():
            for n in range(1000):
                people.append(Citizen.create(phone=f"0977{n:06d}", full_name=f"Người {n}").id)
        now = dt.datetime(2026, 11, 30, 3)
        rows = []
        for n in range(count):
            commune = busiest if n % 10 == 0 else rng.choice(communes)
            status = STATUSES[n % len(STATUSES)]
            sent = now - dt.timedelta(hours=n % 2000)
            rows.append({
                "code": _code(n, ALPHABET), "status": status,
                "contact_phone": "0977000000", "submitted_at": sent, "updated_at": sent,
                "due_date": (sent + dt.timedelta(days=14)).date(), "version": 1,
                "citizen": people[n % len(people)], "commune": commune,
                "category": CATEGORIES[n % len(CATEGORIES)],
                "description": f"Sự việc số {n}: đèn đường tắt, ổ gà, rác thải chưa thu gom.",
                "landmark": "Trước chợ", "public": n % 3 != 0, "anonymous": n % 2 == 0,
                "urgent": False, "submission_key": f"bench-{n}", "forwarded_to": "",
                "answer": "Đã xử lý." if status in ("fixed", "not_fixed", "not_ours") else "",
                "answer_hidden_reason": "", "description_hidden_reason": "",
                "reopened": False})
        with database.atomic():
            for start in range(0, len(rows), 500):
                Report.insert_many(rows[start:start + 500]).execute()
        refresh_statistics()  # as the daily chore does (`flask housekeeping`)
        reporter = Citizen.get_by_id(people[0])
        mine = [code for (code,) in Report.select(Report.code)
                .where(Report.citizen == reporter.id).limit(100).tuples()]
        office = [code for (code,) in Report.select(Report.code)
                  .where(Report.commune == busiest).limit(200).tuples()]
        commune_code = Commune.get_by_id(busiest).code
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    officer_client, her_client = app.test_client(), app.test_client()
    sign_in_staff(officer_client, role="officer", communes=[busiest])
    sign_in_again(her_client, reporter)
    cookie = lambda c: f"{cookie_name}={c.get_cookie(cookie_name).value}"  # noqa: E731
    return cookie(officer_client), cookie(her_client), mine, commune_code, ",".join(office)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    env = {**prepare_database(directory), "LOG_LEVEL": "WARNING"}
    began = time.monotonic()
    officer, her, mine, commune, office = generate(env, args.count)
    generated_in = time.monotonic() - began
    office_codes = office.split(",")
    scenarios = [
        ("Public list, all communes", ["/phan-anh/da-tra-loi"], ""),
        ("Public list, one commune and category",
         [f"/phan-anh/da-tra-loi?xa={commune}&loai=lighting"], ""),
        ("Public list, page 50", ["/phan-anh/da-tra-loi?trang=50"], ""),
        ("Her report's status page (100 reports)",
         [f"/phan-anh/theo-doi/{c}" for c in mine], her),
        ("Officer's queue: open", ["/can-bo/phan-anh/"], officer),
        ("Officer's queue: overdue", ["/can-bo/phan-anh/?nhom=qua-han"], officer),
        ("Officer's report page (200 reports)",
         [f"/can-bo/phan-anh/{c}" for c in office_codes], officer),
    ]
    said = [f"Reports in the database: {args.count:,} (written in {generated_in:.0f} s); SQLite "
            f"file {os.path.getsize(directory / 'bench.db') / 1e6:.0f} MB.", ""]
    serve_pages(env, directory, said,
                [(what, paths, {"Cookie": cookie} if cookie else {})
                 for what, paths, cookie in scenarios], "reports.md")


if __name__ == "__main__":
    main()
