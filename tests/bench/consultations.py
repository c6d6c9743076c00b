"""Consultations benchmark: 50 consultations with 20,000 answers each.

    .venv/bin/python -m tests.bench.consultations [--consultations 50] [--answers 20000]

Same method as `make bench` (tests/bench/run.py): a fresh SQLite database with the demo data,
plus the consultations and their answers inserted in bulk (45 closed, 5 open); gunicorn with 2
workers; each page for 10 s at a fixed 100 requests/s (open loop, latency from each request's
due time), the paths spread over the consultations. The closed ones are counted first by the
daily chore (`flask housekeeping` runs results.count_closed), as in production; the time of
counting one consultation's 20,000 answers is measured separately (the first view, when the
chore has not run yet). Results go to bench-results/consultations.md and stdout.
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

OPEN_ONES = 5
BATCH = 1000


def _fill(consultations: int, answers: int) -> tuple[list[int], list[int], float, float]:
    """Insert the consultations and answers; (closed ids, open ids, seconds, one count in ms)."""
    from webapp import create_app
    from webapp.consultations import results
    from webapp.consultations.demo import QUESTIONS
    from webapp.consultations.models import Consultation, ConsultationAnswer, Question
    from webapp.core.clock import local_today, utcnow
    from webapp.core.db import database
    from webapp.places.models import Commune

    app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"], "SECRET_KEY": "bench-only"})
    draw = random.Random(13)
    closed, still_open = [], []
    began = time.monotonic()
    with app.app_context(), database.connection_context():
        communes = [c.id for c in Commune.in_order()]
        today, now = local_today(), utcnow()
        for index in range(consultations):
            is_open = index < min(OPEN_ONES, consultations - 1)
            with database.atomic():
                consultation = Consultation.create(
                    title=f"Lấy ý kiến số {index + 1}", asker="Sở Xây dựng", purpose="Đo tải.",
                    opens_on=today - dt.timedelta(days=60),
                    closes_on=today + dt.timedelta(days=5) if is_open
                    else today - dt.timedelta(days=1 + index), published_at=now)
                ids = [Question.create(consultation=consultation, position=n, kind=kind,
                                       text=text, options=options).id
                       for n, (kind, text, options) in enumerate(QUESTIONS, start=1)]
                rows = []
                for number in range(answers):
                    rows.append({
                        "consultation": consultation.id, "phone": f"09{index:02d}{number:06d}",
                        "commune": draw.choice(communes), "draft": {}, "created_at": now,
                        "updated_at": now, "sent_at": now, "as_business": number % 11 == 0,
                        "answers": {str(ids[0]): draw.randrange(3),
                                    str(ids[1]): sorted(draw.sample(range(4), 2)),
                                    str(ids[2]): draw.randint(1, 5),
                                    str(ids[3]): "Cần thêm đèn." if number % 9 == 0 else ""}})
                    if len(rows) == BATCH:
                        ConsultationAnswer.insert_many(rows).execute()
                        rows = []
                if rows:
                    ConsultationAnswer.insert_many(rows).execute()
            (still_open if is_open else closed).append(consultation.id)
        filled = time.monotonic() - began
        one = Consultation.get_by_id(closed[0])
        began = time.perf_counter()
        results.counted(one)  # the first view of one closed consultation, before the chore
        count_ms = (time.perf_counter() - began) * 1000
        results.count_closed()  # the daily chore counts the others
    return closed, still_open, filled, count_ms


def in_process(pages, requests: int = 200) -> list[str]:
    """Each page `requests` times through the app in this process, one after another: the wall
    time and the CPU time of this process per request (the CPU time is what a busy machine does
    not inflate; at 100 requests/s on 2 cores a page may cost up to 20 ms of CPU)."""
    from webapp import create_app

    app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"], "SECRET_KEY": "bench-only"})
    client = app.test_client()
    lines = ["| Page | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |",
             "|---|---|---|---|---|"]
    for what, paths in pages:
        for path in paths:
            client.get(path)  # each worker's first view of a page
        wall, cpu = [], []
        for index in range(requests):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(paths[index % len(paths)])
            wall.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            assert response.status_code == 200, (paths[index % len(paths)], response.status_code)
        wall.sort()
        cpu.sort()
        pick = lambda values, pct: values[min(int(len(values) * pct), len(values) - 1)]  # noqa: E731
        lines.append(f"| {what} | {pick(wall, 0.5):.1f} | {pick(wall, 0.99):.1f} | "
                     f"{pick(cpu, 0.5):.1f} | {pick(cpu, 0.99):.1f} |")
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--consultations", type=int, default=50)
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--in-process", action="store_true",
                        help="also time each page through the app in this process (CPU time)")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-consultations-"))
    env = {**prepare_database(directory), "LOG_LEVEL": "WARNING"}
    os.environ.update(DATABASE_URL=env["DATABASE_URL"], LOG_LEVEL="WARNING")
    closed, still_open, filled, count_ms = _fill(args.consultations, args.answers)
    total = args.consultations * args.answers
    lines = [f"Consultations: {args.consultations} ({len(closed)} closed, {len(still_open)} "
             f"open), {args.answers:,} answers each, {total:,} in all (inserted in "
             f"{filled:.0f} s); SQLite file "
             f"{os.path.getsize(directory / 'bench.db') / 1e6:.0f} MB.",
             f"Counting one closed consultation's {args.answers:,} answers (its first view "
             f"before the daily chore has counted it): {count_ms:.0f} ms."]
    pages = [
        ("Public list `/lay-y-kien`", ["/lay-y-kien"]),
        ("Results page of a closed consultation (45 different)",
         [f"/lay-y-kien/{c}" for c in closed]),
        ("Results CSV (45 different)", [f"/lay-y-kien/{c}/ket-qua.csv" for c in closed]),
        ("Page of an open consultation (5 different)", [f"/lay-y-kien/{c}" for c in still_open]),
    ]
    if args.in_process:
        lines += ["", "In process (test client, one request at a time):", ""]
        lines += in_process(pages)
    lines += ["", "Through gunicorn (2 workers), 10 s at 100 requests/s:", ""]
    serve_pages(env, directory, lines, [(what, paths, {}) for what, paths in pages],
                "consultations.md")


if __name__ == "__main__":
    main()
