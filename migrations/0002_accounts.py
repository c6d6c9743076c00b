"""Accounts: citizens, staff and the communes they serve, sessions, one-time codes, invitations.

Models here are frozen copies, independent of the application's models (see 0001).
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Commune(Base):  # exists since 0001; declared only to point foreign keys at it
        code = CharField(unique=True)

    class Citizen(Base):
        phone = CharField(unique=True, null=True)
        zalo_id = CharField(unique=True, null=True)
        full_name = CharField(default="")
        date_of_birth = DateField(null=True)
        citizen_id = CharField(null=True, max_length=12)
        commune = ForeignKeyField(Commune, null=True, on_delete="SET NULL")
        address = TextField(default="")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class StaffUser(Base):
        username = CharField(unique=True)
        full_name = CharField()
        phone = CharField(default="")
        role = CharField()
        password_hash = CharField()
        totp_secret = CharField(null=True)
        totp_last_step = IntegerField(default=0)
        is_active = BooleanField(default=True)
        created_at = DateTimeField()

    class StaffCommune(Base):
        staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")

        class Meta:
            indexes = ((("staff", "commune"), True),)

    class SignInSession(Base):
        token_hash = CharField(unique=True)
        citizen = ForeignKeyField(Citizen, null=True, on_delete="CASCADE")
        staff = ForeignKeyField(StaffUser, null=True, on_delete="CASCADE")
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        expires_at = DateTimeField()
        revoked_at = DateTimeField(null=True)

    class PhoneChallenge(Base):
        phone = CharField(index=True)
        purpose = CharField()
        code_hash = CharField()
        created_at = DateTimeField(index=True)
        expires_at = DateTimeField()
        attempts = IntegerField(default=0)
        used_at = DateTimeField(null=True)
        context = TextField()

    class StaffInvitation(Base):
        token_hash = CharField(unique=True)
        username = CharField()
        full_name = CharField()
        phone = CharField(default="")
        role = CharField()
        commune_ids = TextField()
        invited_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        expires_at = DateTimeField()
        password_hash = CharField(null=True)
        totp_secret = CharField(null=True)
        used_at = DateTimeField(null=True)
        staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")

    db.create_tables([Citizen, StaffUser, StaffCommune, SignInSession, PhoneChallenge,
                      StaffInvitation])


def down(migrator, db):
    for table in ("staff_invitation", "phone_challenge", "sign_in_session", "staff_commune",
                  "staff_user", "citizen"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
