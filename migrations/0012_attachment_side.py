"""Which side or page of a paper a photo shows ("front", "back"), for papers whose form asks
for each side in its own slot (issue 11, the photo step). Photos already there show no side
in particular: an empty string.
"""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("attachment", "side", CharField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("attachment", "side"))
