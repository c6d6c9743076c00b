"""The phone's location of a report, only when the reporter chose to share it (the "Dùng vị
trí hiện tại" button of the place page), rounded to 4 decimals (about 11 m): for the commune's
officers only, never shown publicly. Reports without it: NULL.
"""
from peewee import FloatField

COLUMNS = {"latitude": FloatField(null=True), "longitude": FloatField(null=True)}


def up(migrator, db):
    migrator.migrate(*[migrator.add_column("report", name, field)
                       for name, field in COLUMNS.items()])


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column("report", name) for name in COLUMNS])
