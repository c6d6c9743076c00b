"""Searching the articles through a real index, since a province publishes thousands: SQLite's
FTS5 or PostgreSQL's full-text search (a GIN index); matches newest first. Diacritic-forgiving
like the catalogue's search: the indexed text and the query are folded the same way in Python
(`core.text.fold_vietnamese`: marks stripped, đ to d, which FTS5's unicode61 never does), words
that mean nothing in a request are dropped (`core.search.query_terms`), every term is quoted so
nothing typed can break the query, and the last word is a prefix while she is still typing.
Results keep the audience rule of the list."""

from __future__ import annotations

from webapp.core.db import database, is_postgres
from webapp.core.search import query_terms
from webapp.news import services
from webapp.news.models import Article

LIMIT = 20


def _ids(terms: list[str], prefix_last: bool, limit: int) -> list[int]:
    if is_postgres():
        parts = [t.replace("'", "") for t in terms]
        query = " & ".join(f"'{p}'" + (":*" if prefix_last and i == len(parts) - 1 else "")
                           for i, p in enumerate(parts) if p)
        cursor = database.execute_sql(
            "SELECT article_id FROM article_search, to_tsquery('simple', %s) q "
            "WHERE document @@ q ORDER BY article_id DESC LIMIT %s",
            (query, limit))
    else:
        quoted = [f'"{t.replace(chr(34), "")}"' for t in terms]
        if prefix_last:
            quoted[-1] += "*"
        cursor = database.execute_sql(
            "SELECT rowid FROM article_search WHERE article_search MATCH ? "
            "ORDER BY rowid DESC LIMIT ?",
            (" ".join(quoted), limit))
    return [row[0] for row in cursor.fetchall()]


def search(query: str, commune_id: int | None, limit: int = LIMIT) -> list[Article]:
    """The published articles listed for this reader that contain every word, newest first
    (as the list: news is read by date; ranking thousands of matches by bm25 cost 280 ms a
    query over 20,000 articles, docs/benchmarks.md)."""
    terms = query_terms(query)
    if not terms:
        return []
    # Ask the index for more than shown: some matches are drafts or for other communes.
    ids = _ids(terms, prefix_last=not query.endswith(" "), limit=limit * 5)
    if not ids:
        return []
    found = {a.id: a for a in services.published().where(
        Article.id.in_(ids), services.for_reader(commune_id))}
    return [found[i] for i in ids if i in found][:limit]
