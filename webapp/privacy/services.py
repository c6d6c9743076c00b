"""The privacy room's work: consents, a citizen's requests about her data, what she holds and
who opened it, and carrying out a deletion with what the law keeps left in place."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from peewee import IntegrityError

from webapp.accounts.personal_data import close_account
from webapp.audit.models import AuditEvent
from webapp.core import actors, clock, personal_data
from webapp.core.db import database
from webapp.privacy import lifecycle as lc
from webapp.privacy import messages
from webapp.privacy.models import DELETION, Consent, DataRequest, DataRequestEvent
from webapp.tracking import lifecycle as tracked
from webapp.tracking.codes import new_code

CODE_ATTEMPTS = 5
SAME_REQUEST_WINDOW = dt.timedelta(minutes=10)  # a double tap or a retry: the same request


def _notify(request, event, staff) -> None:
    messages.step(KIND, request, event, staff)


KIND = tracked.TrackedKind(
    name="data-request", lifecycle=lc.LIFECYCLE, item_model=DataRequest,
    event_model=DataRequestEvent, item_field="request",
    working_days=lambda _request: current_app.config["DATA_REQUEST_WORKING_DAYS"],
    notify=_notify)


def perform(request: DataRequest, move: tracked.Move):
    return tracked.perform(KIND, request, move)


# --- Consents ----------------------------------------------------------------------------------


def record_consent(citizen, purpose: str, wording: str, reference: str = "") -> Consent:
    """Keep that `citizen` agreed to `wording` for `purpose` (in the caller's transaction)."""
    return Consent.create(citizen=citizen, purpose=purpose, wording=wording,
                          reference=reference, given_at=clock.utcnow())


# --- Requests ----------------------------------------------------------------------------------


def _recent_same(citizen, kind: str, details: str) -> DataRequest | None:
    since = clock.utcnow() - SAME_REQUEST_WINDOW
    return (DataRequest.select()
            .where((DataRequest.citizen == citizen) & (DataRequest.kind == kind)
                   & (DataRequest.details == details) & (DataRequest.submitted_at >= since))
            .first())


def open_request(citizen, kind: str, details: str) -> DataRequest:
    """A new request (or the same one again after a double tap), with its due date and the
    citizen's message, in one transaction."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with database.atomic():
                return _recent_same(citizen, kind, details) or _create(citizen, kind, details)
        except IntegrityError:
            continue  # the random code was taken: draw another
    raise RuntimeError("no free request code after several attempts")


def _create(citizen, kind: str, details: str) -> DataRequest:
    now = clock.utcnow()
    due = clock.calendar().due_date(clock.local_date(now),
                                    current_app.config["DATA_REQUEST_WORKING_DAYS"])
    request = DataRequest.create(
        code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), status=lc.SUBMITTED,
        contact_phone=citizen.phone or "", submitted_at=now, due_date=due, updated_at=now,
        citizen=citizen, kind=kind, details=details)
    DataRequestEvent.create(request=request, created_at=now, kind="submitted",
                            to_status=lc.SUBMITTED, actor_citizen=citizen)
    if citizen.phone:
        messages.received(request)
    return request


def open_requests():
    """Requests still to handle, the oldest due first."""
    return (DataRequest.select().where(DataRequest.status == lc.SUBMITTED)
            .order_by(DataRequest.due_date, DataRequest.id))


# --- What she holds, and who opened it ------------------------------------------------------


def holdings(citizen):
    """Everything held about `citizen`, section by section (core.personal_data)."""
    return personal_data.collect_all(citizen)


def who_opened(citizen, collected) -> list[tuple[AuditEvent, str]]:
    """Every look by staff at her data, newest first, with the staff member's name."""
    objects = personal_data.opened_objects(collected) | {("citizen", str(citizen.id))}
    if not objects:
        return []
    condition = None
    for object_type, object_id in sorted(objects):
        clause = (AuditEvent.object_type == object_type) & (AuditEvent.object_id == object_id)
        condition = clause if condition is None else condition | clause
    events = list(AuditEvent.select().where((AuditEvent.actor_type == actors.STAFF) & condition)
                  .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    names = actors.staff_names(e.actor_id for e in events)
    return [(event, names.get(event.actor_id, "")) for event in events]


def kept_items(collected) -> list:
    """What a deletion request would leave, with why and until when."""
    return [(section, item) for section, items in collected for item in items if item.kept]


OWN_RECORDS = "privacy"  # the requests themselves: proof of what was done, not her account


def erase(citizen) -> int:
    """Delete everything the law does not keep, in every room; how many items went. When no
    room keeps anything else of hers, her account closes too (no phone, no sessions)."""
    with database.atomic():
        deleted = sum(section.erase(citizen) for section in personal_data.sections())
        still_kept = [item for section, item in kept_items(holdings(citizen))
                      if section.key != OWN_RECORDS]
        if not still_kept:
            close_account(citizen)
    return deleted


def complete(request: DataRequest, staff, decision: str) -> None:
    """Close a request as done: a deletion deletes, in the same transaction as the step."""

    def carry_out(item, _event) -> None:
        if item.kind == DELETION:
            erase(item.citizen)
        DataRequest.update(decision=decision, handled_by=staff).where(
            DataRequest.id == item.id).execute()

    perform(request, tracked.Move("complete", request.version, staff=staff,
                                  public_message=decision, after=carry_out))
