"""The consultations room: consultations (who asks, why, the draft document, the questions, who
may answer, when), one answer per confirmed phone per consultation, and what the province
decided.

The models are frozen copies, independent of `webapp.consultations.models`.
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

TABLES = ("consultation_answer", "consultation_document", "question", "consultation_commune",
          "consultation")


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Citizen(Base):
        class Meta:
            table_name = "citizen"

    class StaffUser(Base):
        class Meta:
            table_name = "staff_user"

    class Commune(Base):
        class Meta:
            table_name = "commune"

    class Consultation(Base):
        title = CharField()
        asker = CharField()
        purpose = TextField()
        description = TextField(default="")
        audience = CharField(default="everyone")
        opens_on = DateField()
        closes_on = DateField()
        commune = ForeignKeyField(Commune, null=True, on_delete="RESTRICT")
        created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        published_at = DateTimeField(null=True)
        outcome = TextField(default="")
        outcome_published_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("published_at", "closes_on"), False),)

    class ConsultationCommune(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")

        class Meta:
            indexes = ((("consultation", "commune"), True),)

    class Question(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        position = IntegerField()
        kind = CharField()
        text = TextField()
        options = TextField(default="[]")

        class Meta:
            indexes = ((("consultation", "position"), False),)

    class ConsultationDocument(Base):
        storage_name = CharField(unique=True)
        media_type = CharField()
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        sha256 = CharField()
        created_at = DateTimeField()
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE", unique=True)

    class ConsultationAnswer(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        phone = CharField()
        citizen = ForeignKeyField(Citizen, null=True, on_delete="SET NULL")
        commune = ForeignKeyField(Commune, null=True, on_delete="SET NULL")
        as_business = BooleanField(default=False)
        business_name = CharField(default="")
        tax_code = CharField(default="")
        draft = TextField(default="{}")
        answers = TextField(default="{}")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        sent_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("consultation", "phone"), True), (("consultation", "sent_at"), False))

    db.create_tables([Consultation, ConsultationCommune, Question, ConsultationDocument,
                      ConsultationAnswer], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
