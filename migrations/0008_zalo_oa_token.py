"""The Zalo Official Account's tokens, which the ZNS transport now refreshes itself instead of
reading a token that an outside job keeps fresh (see docs/notifications.md).

The model is a frozen copy, independent of `webapp.notifications.models`.
"""
from peewee import CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class ZaloOaToken(Model):
        access_token = TextField()
        refresh_token = TextField()
        expires_at = DateTimeField()
        updated_at = DateTimeField()
        refused_at = DateTimeField(null=True)
        refusal = CharField(max_length=40, null=True)
        refreshing_until = DateTimeField(null=True)

        class Meta:
            database = db
            legacy_table_names = False

    db.create_tables([ZaloOaToken])


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS zalo_oa_token")
