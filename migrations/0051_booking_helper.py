"""Bookings made by a volunteer for a citizen: the mandate she acted under, beside `booked_by`
(the volunteer, already in 0050), so the booking says who booked it and with which consent,
and the volunteer sees it only while that consent is live (empty for a citizen's own).

A plain indexed id, not a foreign key: the mandate table comes later (0070), and PostgreSQL
refuses a reference to a table not there yet. Like `mandate.dossier_id` the other way round,
the bookings room reads it only through `mandates.services.covers`, which finds nothing for an
id whose mandate is gone."""
from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("booking", "mandate_id",
                                         IntegerField(null=True, index=True)))


def down(migrator, db):
    # The index first: SQLite refuses to drop a column an index still names.
    migrator.migrate(migrator.drop_index("booking", "booking_mandate_id"),
                     migrator.drop_column("booking", "mandate_id"))
