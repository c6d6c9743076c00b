"""Back office: results, satisfaction ratings, decided-dossier figures, counter tallies, and the
indexes that keep the officers' queue fast with tens of thousands of dossiers.

Models here are frozen copies (see 0001). Tables of other rooms are referenced through minimal
stand-ins that only name the table, so this file never depends on their current models.
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    def existing(table):
        return type(table, (Base,), {"Meta": type("Meta", (), {"table_name": table})})

    Dossier, Attachment = existing("dossier"), existing("attachment")
    StaffUser, Commune = existing("staff_user"), existing("commune")
    Procedure = existing("procedure")

    class DossierResult(Base):
        dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
        text = TextField(default="")
        attachment = ForeignKeyField(Attachment, null=True, on_delete="SET NULL")
        delivery = CharField()
        staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        created_at = DateTimeField()

    class DossierOutcome(Base):
        dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
        decision = CharField()
        decided_at = DateTimeField(index=True)
        due_date = DateField()
        on_time = BooleanField()
        working_days = IntegerField()

    class Rating(Base):
        dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
        score = SmallIntegerField()
        comment = TextField(default="")
        created_at = DateTimeField(index=True)

    class CounterIntake(Base):
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        month = CharField(max_length=7)
        count = IntegerField()
        staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        updated_at = DateTimeField()

        class Meta:
            indexes = ((("commune", "month"), True),)

    db.create_tables([DossierResult, DossierOutcome, Rating, CounterIntake])
    # The queue filters by commune and status and sorts by due date; figures count by commune
    # and month of submission; the detail page reads one dossier's history in order.
    db.execute_sql("CREATE INDEX IF NOT EXISTS dossier_queue_idx "
                   "ON dossier (commune_id, status, due_date)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS dossier_commune_submitted_idx "
                   "ON dossier (commune_id, submitted_at)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS dossier_event_history_idx "
                   "ON dossier_event (dossier_id, created_at)")


def down(migrator, db):
    for index in ("dossier_queue_idx", "dossier_commune_submitted_idx",
                  "dossier_event_history_idx"):
        db.execute_sql(f"DROP INDEX IF EXISTS {index}")
    for table in ("counter_intake", "rating", "dossier_outcome", "dossier_result"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
