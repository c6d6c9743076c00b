"""The news room's search index: SQLite's FTS5, or a PostgreSQL tsvector with a GIN index, over
the articles' folded text (webapp/news/search.py folds đ and the marks in Python on both sides)."""
from peewee import PostgresqlDatabase


def _postgres(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def up(migrator, db):
    if _postgres(db):
        db.execute_sql("CREATE TABLE article_search (article_id INTEGER PRIMARY KEY "
                       "REFERENCES article (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)")
        db.execute_sql("CREATE INDEX article_search_document ON article_search USING GIN "
                       "(document)")
    else:
        db.execute_sql("CREATE VIRTUAL TABLE article_search USING fts5(title, summary, body, "
                       "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS article_search")
