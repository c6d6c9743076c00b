"""What happens to help requests: asking (rate limited, a double tap is one request), taking
(one taker: the tracked item's compare-and-set, so two volunteers taking at once get one
winner), reaching her, closing with an outcome, and forgetting her number after a while."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request
from peewee import IntegrityError

from webapp.assisted import lifecycle as lc
from webapp.assisted import messages
from webapp.assisted.models import DOSSIER_SENT, NOT_REACHED, HelpRequest, HelpRequestEvent
from webapp.core import clock, ratelimit
from webapp.core.db import database
from webapp.tracking import lifecycle as tracked
from webapp.tracking.codes import new_code

CODE_ATTEMPTS = 5
PER_ADDRESS = (5, 3600)  # requests per hour from one address
PER_PHONE = (3, 86400)  # and per number a day


class TooMany(Exception):
    """The rate limit for asking was reached."""


def _notify(item, event, staff) -> None:
    messages.step(KIND, item, event, staff)


KIND = tracked.TrackedKind(
    name="help-request", lifecycle=lc.LIFECYCLE, item_model=HelpRequest,
    event_model=HelpRequestEvent, item_field="request",
    working_days=lambda _item: current_app.config["HELP_REQUEST_WORKING_DAYS"],
    notify=_notify)


def perform(item: HelpRequest, move: tracked.Move):
    return tracked.perform(KIND, item, move)


def ask(*, phone: str, commune, topic: str, details: str, request_key: str, citizen=None,
        procedure_slug: str = "") -> HelpRequest:
    """A new request, or the one this form already made (a double tap, a retry)."""
    existing = HelpRequest.get_or_none(HelpRequest.request_key == request_key)
    if existing is not None:
        return existing
    if not (ratelimit.allow(f"help-request:address:{request.remote_addr}", *PER_ADDRESS)
            and ratelimit.allow(f"help-request:phone:{phone}", *PER_PHONE)):
        raise TooMany
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with database.atomic():
                return _create(phone, commune, topic, details, request_key, citizen,
                               procedure_slug)
        except IntegrityError:
            existing = HelpRequest.get_or_none(HelpRequest.request_key == request_key)
            if existing is not None:
                return existing
    raise RuntimeError("no free help-request code after several attempts")


def _create(phone, commune, topic, details, request_key, citizen, procedure_slug):
    now = clock.utcnow()
    due = clock.calendar().due_date(clock.local_date(now),
                                    current_app.config["HELP_REQUEST_WORKING_DAYS"])
    item = HelpRequest.create(
        code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), status=lc.OPEN,
        contact_phone=phone, submitted_at=now, due_date=due, updated_at=now, commune=commune,
        citizen=citizen, topic=topic, details=details, request_key=request_key,
        procedure_slug=procedure_slug)
    HelpRequestEvent.create(request=item, created_at=now, kind="submitted", to_status=lc.OPEN,
                            actor_citizen=citizen)
    return item


def take(item: HelpRequest, helper, version: int) -> None:
    """Take it: StaleItem or IllegalTransition when someone else was faster."""
    def mark(taken, _event):
        now = clock.utcnow()
        HelpRequest.update(taken_by=helper, taken_at=now).where(
            HelpRequest.id == taken.id).execute()
        taken.taken_by, taken.taken_at = helper, now

    perform(item, tracked.Move("take", version, staff=helper, after=mark))


def reach(item: HelpRequest, helper) -> None:
    def mark(reached, _event):
        _first_contact(reached)

    perform(item, tracked.Move("reach", item.version, staff=helper, after=mark))


def close(item: HelpRequest, helper, outcome: str, note: str = "", dossier=None) -> None:
    def mark(closed, _event):
        now = clock.utcnow()
        if outcome != NOT_REACHED:
            _first_contact(closed)
        HelpRequest.update(outcome=outcome, closed_at=now,
                           dossier=dossier if outcome == DOSSIER_SENT else None).where(
            HelpRequest.id == closed.id).execute()

    perform(item, tracked.Move("close", item.version, staff=helper, internal_note=note,
                               after=mark))


def _first_contact(item: HelpRequest) -> None:
    HelpRequest.update(first_contact_at=clock.utcnow()).where(
        (HelpRequest.id == item.id) & HelpRequest.first_contact_at.is_null()).execute()


def forget_old(now: dt.datetime | None = None) -> str:
    """The daily chore: closed requests keep their figures but lose her number and words."""
    cutoff = (now or clock.utcnow()) - dt.timedelta(
        days=current_app.config["HELP_REQUEST_RETENTION_DAYS"])
    with database.connection_context():
        count = (HelpRequest.update(contact_phone="", details="", citizen=None)
                 .where((HelpRequest.status == lc.CLOSED) & (HelpRequest.closed_at < cutoff)
                        & (HelpRequest.contact_phone != "")).execute())
    return f"Forgot the phone number and words of {count} help request(s) closed long ago."
