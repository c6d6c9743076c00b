"""Keeping the search index (migration 0042) in step with the articles: their folded words, the
title weighted above the summary and the body (webapp/news/search.py searches it)."""

from __future__ import annotations

from webapp.core.db import database, is_postgres
from webapp.core.text import fold_vietnamese
from webapp.news.formatting import plain_text


def index_article(article) -> None:
    """Store (or replace) the article's folded words in the index."""
    title, summary = fold_vietnamese(article.title), fold_vietnamese(article.summary)
    body = fold_vietnamese(plain_text(article.body))
    if is_postgres():
        database.execute_sql(
            "INSERT INTO article_search (article_id, document) VALUES (%s, "
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), "
            "'B') || to_tsvector('simple', %s)) ON CONFLICT (article_id) DO UPDATE SET "
            "document = EXCLUDED.document", (article.id, title, summary, body))
    else:
        database.execute_sql("DELETE FROM article_search WHERE rowid = ?", (article.id,))
        database.execute_sql("INSERT INTO article_search (rowid, title, summary, body) "
                             "VALUES (?, ?, ?, ?)", (article.id, title, summary, body))
