"""An index for the public page of answered reports and the officers' answered group: newest
answer first, so the page reads the first twenty matching entries instead of sorting every
answered report (tests/bench/reports.py, docs/benchmarks.md).
"""

INDEXES = {
    "report_public_idx": "report (updated_at, public, status)",
    "report_commune_updated_idx": "report (commune_id, updated_at)",
}


def up(migrator, db):
    for name, columns in INDEXES.items():
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
