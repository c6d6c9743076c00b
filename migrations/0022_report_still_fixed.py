"""Her answer to "is it still fixed?" (asked four weeks after "fixed", docs/reports.md): "ok"
or "broken" and when, and when an officer was asked to look because it broke again after the
one reopening was used (cleared when the officer has looked).
"""
from peewee import CharField, DateTimeField

COLUMNS = {
    "still_fixed_answer": CharField(default=""),
    "still_fixed_answered_at": DateTimeField(null=True),
    "broken_again_at": DateTimeField(null=True),
}


def up(migrator, db):
    migrator.migrate(*[migrator.add_column("report", name, field)
                       for name, field in COLUMNS.items()])


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column("report", name) for name in COLUMNS])
