"""Hand-over from a kiosk to the visitor's phone: one row per QR code shown, holding only the
hash of its single-use token. The model is a frozen copy, independent of
`webapp.dossiers.models`."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Citizen(Base):
        class Meta:
            table_name = "citizen"

    class DossierDraft(Base):
        class Meta:
            table_name = "dossier_draft"

    class Kiosk(Base):
        class Meta:
            table_name = "kiosk"

    class SignInSession(Base):
        class Meta:
            table_name = "sign_in_session"

    class DraftHandOver(Base):
        token_hash = CharField(unique=True)
        draft = ForeignKeyField(DossierDraft, on_delete="CASCADE")
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        kiosk = ForeignKeyField(Kiosk, null=True, on_delete="SET NULL")
        kiosk_session = ForeignKeyField(SignInSession, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        expires_at = DateTimeField()
        claimed_at = DateTimeField(null=True)

    db.create_tables([DraftHandOver], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS draft_hand_over")
