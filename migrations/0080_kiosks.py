"""The kiosks at one-stop shops (webapp/kiosk). The model is a frozen copy, independent of
`webapp.kiosk.models`."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Commune(Base):
        class Meta:
            table_name = "commune"

    class StaffUser(Base):
        class Meta:
            table_name = "staff_user"

    class Kiosk(Base):
        name = CharField()
        commune = ForeignKeyField(Commune)
        paper = CharField(default="a4")
        token_hash = CharField(unique=True)
        created_at = DateTimeField()
        created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        revoked_at = DateTimeField(null=True)
        revoked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")

    db.create_tables([Kiosk], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS kiosk")
