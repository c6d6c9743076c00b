"""The bookings room: each commune's one-stop-shop timetable (hours, slot length, places,
closed days, blocked slots), a counter row per slot, and the bookings (tracked items, with
their timeline).

The models are frozen copies, independent of `webapp.bookings.models`.
"""
from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

TABLES = ("booking_event", "booking", "slot_counter", "closed_day", "opening_hours",
          "shop_schedule")


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

    class Procedure(Base):
        class Meta:
            table_name = "procedure"

    class ShopSchedule(Base):
        commune = ForeignKeyField(Commune, unique=True, on_delete="CASCADE")
        slot_minutes = SmallIntegerField(default=30)
        capacity = SmallIntegerField(default=2)
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class OpeningHours(Base):
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        weekday = SmallIntegerField()
        period = CharField()
        opens = CharField()
        closes = CharField()

        class Meta:
            indexes = ((("commune", "weekday", "period"), True),)

    class ClosedDay(Base):
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        day = DateField()
        reason = CharField(default="")
        created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("commune", "day"), True),)

    class SlotCounter(Base):
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        day = DateField()
        start = CharField()
        booked = IntegerField(default=0)
        blocked_reason = CharField(null=True)
        blocked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("commune", "day", "start"), True),)

    class Booking(Base):
        code = CharField(unique=True)
        status = CharField(index=True)
        contact_phone = CharField()
        submitted_at = DateTimeField()
        due_date = DateField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
        day = DateField(index=True)
        start = CharField()
        starts_at = DateTimeField(index=True)
        active_key = CharField(null=True, unique=True)
        request_key = CharField(null=True, unique=True)
        booked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        reminded_at = DateTimeField(null=True)

    class BookingEvent(Base):
        created_at = DateTimeField()
        kind = CharField()
        from_status = CharField(null=True)
        to_status = CharField(null=True)
        public_message = TextField(default="")
        internal_note = TextField(default="")
        actor_citizen = ForeignKeyField(Citizen, null=True)
        actor_staff = ForeignKeyField(StaffUser, null=True)
        booking = ForeignKeyField(Booking, on_delete="CASCADE")

    db.create_tables([ShopSchedule, OpeningHours, ClosedDay, SlotCounter, Booking,
                      BookingEvent], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
