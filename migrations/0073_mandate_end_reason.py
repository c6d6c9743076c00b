"""Mandates ended by an administrator or the responsible officer keep why (told to the citizen
and the helper); empty when she ended it herself or it ran out."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("mandate", "end_reason", TextField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("mandate", "end_reason"))
