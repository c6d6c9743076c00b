"""Where and how each procedure can be done (the national portal, VNeID, in person, ...), so
that no page claims "can be done online" for a procedure this site cannot take: whether it
can be sent here comes from the dossier forms, the other ways from the catalogue's files.

The rows already there get an empty list; `flask catalogue load` (run at every deployment)
fills it from the files.
"""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("procedure", "ways", TextField(default="[]")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("procedure", "ways"))
