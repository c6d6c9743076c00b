"""The daily chore that keeps the query planner's statistics fresh: without them SQLite sorted
every answered report to show a page of 20 (docs/benchmarks.md, reports)."""

from __future__ import annotations

from webapp.core import db, housekeeping


def test_housekeeping_refreshes_the_planners_statistics(app):
    result = app.test_cli_runner().invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.database.connection_context():
        assert "query planner statistics" in [c.name for c in housekeeping.chores()]
        if db.is_postgres():
            assert "query planner statistics: Nothing to do: PostgreSQL's autovacuum keeps them." \
                in result.output
            return
        assert "query planner statistics: Refreshed (ANALYZE)." in result.output
        tables = {row[0] for row in db.database.execute_sql(
            "SELECT DISTINCT tbl FROM sqlite_stat1").fetchall()}
    assert {"commune", "procedure"} <= tables  # the tables with rows in a fresh database
