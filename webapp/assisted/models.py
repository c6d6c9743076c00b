"""Help requests: "Tôi cần người giúp", a tracked item. Anyone (signed in or not) leaves a phone
number, a commune and what for; a volunteer of that commune takes it (one taker), calls, and
closes it with an outcome (and the dossier sent, if one was)."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from webapp.accounts.models import Citizen, StaffUser
from webapp.assisted.lifecycle import OPEN
from webapp.dossiers.api import Dossier
from webapp.places.models import Commune
from webapp.tracking.models import TrackedEvent, TrackedItem

# What for (the citizen's choice) and how it ended (the volunteer's).
TOPIC_DOSSIER, TOPIC_ACCOUNT, TOPIC_OTHER = "dossier", "account", "other"
TOPICS = (TOPIC_DOSSIER, TOPIC_ACCOUNT, TOPIC_OTHER)
HELPED_BY_PHONE, DOSSIER_SENT, VISIT_BOOKED, NOT_REACHED = (
    "helped_by_phone", "dossier_sent", "visit_booked", "not_reached")
OUTCOMES = (HELPED_BY_PHONE, DOSSIER_SENT, VISIT_BOOKED, NOT_REACHED)


class HelpRequest(TrackedItem):
    """One request for help (code, status, contact phone, due date: TrackedItem)."""

    commune = ForeignKeyField(Commune, backref="help_requests")
    citizen = ForeignKeyField(Citizen, null=True, backref="help_requests", on_delete="SET NULL")
    topic = CharField()  # one of TOPICS
    procedure_slug = CharField(default="")  # asked from a procedure's page
    details = TextField(default="")  # her words, optional
    request_key = CharField(unique=True)  # the form's idempotency key: a double tap is one
    taken_by = ForeignKeyField(StaffUser, null=True, backref="help_requests_taken",
                               on_delete="SET NULL")
    taken_at = DateTimeField(null=True)
    first_contact_at = DateTimeField(null=True)  # the volunteer reached her
    closed_at = DateTimeField(null=True)
    outcome = CharField(default="")  # one of OUTCOMES once closed
    dossier = ForeignKeyField(Dossier, null=True, on_delete="SET NULL")  # sent with this help

    class Meta:
        indexes = ((("commune", "status"), False),)

    @classmethod
    def open_in(cls, commune_ids):
        """Requests nobody took yet in these communes, the oldest first."""
        return (cls.select().where(cls.commune.in_(list(commune_ids)) & (cls.status == OPEN))
                .order_by(cls.submitted_at, cls.id))


class HelpRequestEvent(TrackedEvent):
    """A step of a help request, with who took it."""

    request = ForeignKeyField(HelpRequest, backref="events", on_delete="CASCADE")
