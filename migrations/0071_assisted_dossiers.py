"""Assisted mode: a draft and a dossier made by a helper point to the mandate she acted under
(empty for everything the citizen does herself)."""
from peewee import ForeignKeyField, Model

TABLES = ("dossier", "dossier_draft")


def up(migrator, db):
    class Mandate(Model):
        class Meta:
            database = db
            table_name = "mandate"

    migrator.migrate(*[migrator.add_column(table, "mandate_id", ForeignKeyField(
        Mandate, null=True, field=Mandate.id, on_delete="SET NULL")) for table in TABLES])


def down(migrator, db):
    # The index add_column made for the foreign key first: SQLite refuses to drop a column an
    # index still names.
    migrator.migrate(*[step for table in TABLES for step in (
        migrator.drop_index(table, f"{table}_mandate_id"),
        migrator.drop_column(table, "mandate_id"))])
