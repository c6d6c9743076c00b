"""Search over 20,000 articles through the index (SQLite FTS5; PostgreSQL full-text when
reachable): p50 and p99 of the search function, as the page calls it, for everyday queries.

    .venv/bin/python -m tests.bench.news_search [--articles 20000] [--queries 400]

Each database is fresh (a temporary SQLite file; a throw-away PostgreSQL schema), migrated, with
the communes loaded; articles are made with varied Vietnamese words and indexed as the staff
form indexes them. Copy the figures into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid

from tests.conftest import make_app, prepare_database
from tests.databases import PostgresSchema, postgres_reachable
from webapp.core.db import database
from webapp.news import search
from webapp.news.index import index_article
from webapp.news.models import AUDIENCES, TOPICS, Article, ArticleCommune
from webapp.places.models import Commune

WORDS = ("tiêm ngừa cúm sức khỏe người cao tuổi bảo hiểm y tế thẻ căn cước công dân đăng ký "
         "khai sinh lúa gạo phân bón thu hoạch mùa vụ cảnh giác lừa đảo cuộc gọi công an chuyển "
         "tiền mã OTP Ủy ban nhân dân xã thông báo lịch tiếp dân chi bộ ấp họp nghị quyết đảng "
         "viên chính sách pháp luật trợ cấp hộ nghèo đường điện nước sạch trường học bão lũ "
         "Đức Hòa Tân Ninh Hòa Thành Gò Dầu Trảng Bàng Bến Cầu Châu Thành").split()
QUERIES = ["tiem ngua", "lua dao", "chi bo hop", "bao hiem y te", "thu hoach lua", "duc hoa",
           "can cuoc", "tro cap ho ngheo", "cuoc goi cong an", "nuoc sach", "dang ky khai si",
           "Ủy ban nhân dân", "bao lu", "phan bon mua vu"]


def _fill(count: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    communes = [c.id for c in Commune.select(Commune.id)]
    now = dt.datetime(2026, 12, 1)
    with database.atomic():
        for n in range(count):
            title = " ".join(rng.choices(WORDS, k=8)).capitalize()
            audience = rng.choice(AUDIENCES)
            article = Article.create(
                slug=f"bai-{n}-{uuid.uuid4().hex[:6]}", form_key=uuid.uuid4().hex, title=title,
                summary=" ".join(rng.choices(WORDS, k=25)),
                body="".join(f"<p>{' '.join(rng.choices(WORDS, k=40))}</p>" for _ in range(4)),
                topic=rng.choice(TOPICS), audience=audience,
                published_at=now - dt.timedelta(minutes=n), created_at=now, updated_at=now)
            if audience != "province":
                ArticleCommune.create(article=article, commune=rng.choice(communes))
            index_article(article)


def _measure(url: str, articles: int, queries: int) -> tuple[float, float, float]:
    prepare_database(url)
    app = make_app(url)
    with app.app_context(), database.connection_context():
        started = time.perf_counter()
        _fill(articles)
        fill_seconds = time.perf_counter() - started
        commune = Commune.select().first().id
        rng = random.Random(3)
        timings = []
        for _ in range(queries):
            query = rng.choice(QUERIES)
            begun = time.perf_counter()
            search.search(query, rng.choice([None, commune]))
            timings.append((time.perf_counter() - begun) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99, fill_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        p50, p99, fill = _measure(f"sqlite:///{folder}/bench.db", args.articles, args.queries)
        print(f"SQLite FTS5, {args.articles} articles: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
              f"(filled and indexed in {fill:.0f} s)")
    if postgres_reachable():
        schema = PostgresSchema()
        try:
            p50, p99, fill = _measure(schema.create(), args.articles, args.queries)
            print(f"PostgreSQL full-text, {args.articles} articles: p50 {p50:.1f} ms, "
                  f"p99 {p99:.1f} ms (filled and indexed in {fill:.0f} s)")
        finally:
            database.close() if not database.is_closed() else None
            schema.drop()


if __name__ == "__main__":
    main()
