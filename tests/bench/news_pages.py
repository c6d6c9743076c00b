"""News benchmark: the list (newest first; for a commune; one topic; a later page; a signed-in
citizen's commune) and the article page, with 20,000 articles, at a fixed 100 requests/s.

    .venv/bin/python -m tests.bench.news_pages [--count 20000] [--seconds 10]

Same method as tests/bench/reports.py: a fresh SQLite database with the demo data, plus
`--count` published articles of varied Vietnamese words (`tests.bench.news_search._fill`:
spread over the audiences and topics, a third for one commune, indexed as the staff form
indexes them); gunicorn with 2 sync workers; each page for `--seconds` at 100 requests/s
(`run.serve_pages`). Results go to bench-results/news.md and stdout; copy them into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from tests.bench import run
from tests.bench.news_search import _fill
from tests.bench.run import prepare_database, serve_pages

ARTICLE_PAGES = 200  # article pages asked for in turn, so no single one stays in a cache


def generate(env: dict, count: int) -> tuple[list[str], str, str]:
    """Write `count` articles; return article slugs, a commune with articles and a signed-in
    citizen of that commune's cookie."""
    from peewee import fn

    from tests.dossiers.helpers import sign_in_again
    from webapp import create_app
    from webapp.accounts.models import Citizen
    from webapp.core.db import database
    from webapp.news.models import Article, ArticleCommune
    from webapp.places.models import Commune

    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context(), database.connection_context():
        _fill(count)
        slugs = [slug for (slug,) in Article.select(Article.slug)
                 .order_by(Article.published_at.desc()).limit(ARTICLE_PAGES * 5).tuples()][::5]
        busiest = (ArticleCommune.select(ArticleCommune.commune).group_by(ArticleCommune.commune)
                   .order_by(fn.COUNT(ArticleCommune.id).desc()).scalar())
        commune = Commune.get_by_id(busiest)
        reader = Citizen.create(phone="0977123456", full_name="Bà Tư", commune=commune)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    client = app.test_client()
    sign_in_again(client, reader)
    return slugs, commune.code, f"{cookie_name}={client.get_cookie(cookie_name).value}"


def scenarios(slugs: list[str], commune: str, signed_in: str):
    from webapp.news.views import COMMUNE_COOKIE
    from webapp.news.words import HEALTH, TOPIC_SLUGS

    return [
        ("News list, newest first", ["/tin-tuc"], {}),
        ("News list, a commune chosen", ["/tin-tuc"], {"Cookie": f"{COMMUNE_COOKIE}={commune}"}),
        ("News list, one topic", [f"/tin-tuc?chu-de={TOPIC_SLUGS[HEALTH]}"], {}),
        ("News list, page 20", ["/tin-tuc?trang=20"], {}),
        ("News list, a signed-in citizen's commune", ["/tin-tuc"], {"Cookie": signed_in}),
        (f"Article page ({len(slugs)} articles)", [f"/tin-tuc/{slug}" for slug in slugs], {}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=run.FIXED_SECONDS,
                        help="seconds of load per page (a short run only proves it works)")
    args = parser.parse_args()
    run.FIXED_SECONDS = args.seconds  # read by run.fixed_rate at each call
    directory = Path(tempfile.mkdtemp(prefix="bench-news-"))
    env = {**prepare_database(directory), "LOG_LEVEL": "WARNING"}
    began = time.monotonic()
    slugs, commune, signed_in = generate(env, args.count)
    generated_in = time.monotonic() - began
    said = [f"Articles in the database: {args.count:,} (written and indexed in "
            f"{generated_in:.0f} s); SQLite file "
            f"{os.path.getsize(directory / 'bench.db') / 1e6:.0f} MB; {args.seconds} s at "
            f"{run.FIXED_RATE} requests/s per page.", ""]
    serve_pages(env, directory, said, scenarios(slugs, commune, signed_in), "news.md")


if __name__ == "__main__":
    main()
