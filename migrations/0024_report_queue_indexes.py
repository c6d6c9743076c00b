"""Indexes for the officer's queue of one commune with 100,000 reports in the province
(tests/bench/reports.py, docs/benchmarks.md): the open ones in the order the queue shows them
(urgent first, then by due date), the overdue count (status and due date), and the reports
marked "broken again" (almost none, so they are found without reading the commune's others).
Each was a read of the commune's ten thousand rows and a sort, about 10 ms, three times a page.
"""

INDEXES = {
    "report_queue_order_idx": "report (commune_id, urgent DESC, due_date, id, status)",
    "report_commune_status_due_idx": "report (commune_id, status, due_date)",
    "report_commune_broken_again_idx": "report (commune_id, broken_again_at)",
}


def up(migrator, db):
    for name, columns in INDEXES.items():
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
