"""The reports room: citizens' reports (tracked items), their timeline, figures, ratings,
drafts, photos and the people who follow them ("Tôi cũng gặp", merged reports).

The models are frozen copies, independent of `webapp.reports.models`.
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

TABLES = ("report_follower", "report_photo", "report_draft", "report_rating", "report_outcome",
          "report_event", "report")


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

    class Report(Base):
        code = CharField(unique=True)
        status = CharField(index=True)
        contact_phone = CharField()
        submitted_at = DateTimeField()
        due_date = DateField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        citizen = ForeignKeyField(Citizen)
        commune = ForeignKeyField(Commune)
        category = CharField()
        description = TextField()
        landmark = TextField(default="")
        public = BooleanField(default=True)
        anonymous = BooleanField(default=False)
        urgent = BooleanField(default=False)
        submission_key = CharField(unique=True)
        forwarded_to = CharField(default="")
        merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL")
        answer = TextField(default="")
        answer_hidden_reason = TextField(default="")
        description_hidden_reason = TextField(default="")
        reopened = BooleanField(default=False)
        fixed_check_sent_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("commune", "status"), False), (("commune", "category", "status"), False))

    class ReportEvent(Base):
        created_at = DateTimeField()
        kind = CharField()
        from_status = CharField(null=True)
        to_status = CharField(null=True)
        public_message = TextField(default="")
        internal_note = TextField(default="")
        actor_citizen = ForeignKeyField(Citizen, null=True)
        actor_staff = ForeignKeyField(StaffUser, null=True)
        report = ForeignKeyField(Report, on_delete="CASCADE")

    class ReportOutcome(Base):
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        decision = CharField()
        decided_at = DateTimeField(index=True)
        due_date = DateField()
        on_time = BooleanField()
        working_days = IntegerField()
        report = ForeignKeyField(Report, unique=True, on_delete="CASCADE")
        category = CharField()

    class ReportRating(Base):
        score = SmallIntegerField()
        comment = TextField(default="")
        created_at = DateTimeField(index=True)
        report = ForeignKeyField(Report, unique=True, on_delete="CASCADE")

    class ReportDraft(Base):
        token = CharField(unique=True)
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        answers = TextField()
        submission_key = CharField(unique=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        expires_at = DateTimeField(index=True)
        report = ForeignKeyField(Report, null=True, on_delete="SET NULL")

    class ReportPhoto(Base):
        storage_name = CharField(unique=True)
        media_type = CharField()
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        sha256 = CharField()
        created_at = DateTimeField()
        report = ForeignKeyField(Report, null=True, on_delete="CASCADE")
        draft = ForeignKeyField(ReportDraft, null=True, on_delete="SET NULL")
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        hidden_reason = TextField(default="")
        hidden_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class ReportFollower(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE")
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        phone = CharField()
        reason = CharField(default="same_problem")
        created_at = DateTimeField()

        class Meta:
            indexes = ((("report", "citizen"), True),)

    db.create_tables([Report, ReportEvent, ReportOutcome, ReportRating, ReportDraft,
                      ReportPhoto, ReportFollower], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
