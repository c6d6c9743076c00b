"""A closed consultation's results, counted once: its answers no longer change after the closing
day, so the results page reads one row instead of counting 20,000 answers on every view."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("consultation", "results", TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("consultation", "results"))
