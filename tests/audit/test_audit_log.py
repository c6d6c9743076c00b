"""The audit log: who, what, which object, when, from where; masked; append-only."""

from __future__ import annotations

import logging

import peewee
import pytest

from tests.accounts.helpers import create_citizen, create_staff
from tests.conftest import make_app
from webapp.audit import log as audit
from webapp.audit.models import AppendOnlyError, AuditEvent
from webapp.core.db import database


def _record_in_request(app, action, actor=None, **kwargs) -> AuditEvent:
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.7"}), \
            database.connection_context():
        audit.record(action, object_type="citizen", object_id=42, actor=actor, **kwargs)
        return AuditEvent.select().order_by(AuditEvent.id.desc()).get()


def test_an_event_says_who_what_which_object_when_and_from_where(app):
    officer = create_staff(app, role="officer")
    event = _record_in_request(app, "citizen.viewed", actor=officer)
    assert (event.actor_type, event.actor_id) == ("staff", officer.id)
    assert (event.action, event.object_type, event.object_id) == ("citizen.viewed", "citizen",
                                                                  "42")
    assert event.client_address == "198.51.100.7"
    assert event.created_at is not None


def test_the_actor_is_the_signed_in_person_or_anonymous(app):
    assert _record_in_request(app, "x").actor_type == "anonymous"
    citizen = create_citizen(app)
    assert _record_in_request(app, "x", actor=citizen).actor_id == citizen.id
    with app.app_context(), database.connection_context():  # a command, outside any request
        audit.record("y", object_type="staff_user", object_id=1)
        assert AuditEvent.select().order_by(AuditEvent.id.desc()).get().actor_type == "system"


def test_personal_data_is_masked_before_it_is_kept(app):
    event = _record_in_request(app, "citizen.updated", detail={
        "phone": "0912345678", "citizen_id": "072156001234", "address": "Số 12 đường 3/2",
        "full_name": "Nguyễn Thị Mai", "note": "gọi lại số +84 912 345 678, CCCD 072156001234",
        "fields": ["address", "phone"], "count": 3,
    })
    assert event.detail == {
        "phone": "0912 *** 678", "citizen_id": "072••••••234", "address": "***",
        "full_name": "***", "note": "gọi lại số 0912 *** 678, CCCD 072••••••234",
        "fields": ["address", "phone"], "count": 3,
    }


def test_the_app_cannot_change_or_delete_an_event(app):
    event = _record_in_request(app, "staff.signed_in")
    with app.app_context(), database.connection_context():
        event.action = "nothing.happened"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete_instance()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'nothing.happened' WHERE id = {id}",
    "DELETE FROM audit_event WHERE id = {id}",
])
def test_the_database_itself_refuses_to_rewrite_history(app, statement):
    event = _record_in_request(app, "staff.signed_in")
    with app.app_context(), database.connection_context():
        with pytest.raises(peewee.DatabaseError), database.atomic():
            database.execute_sql(statement.format(id=event.id))
        assert AuditEvent.get_by_id(event.id).action == "staff.signed_in"


def test_log_lines_have_phone_and_id_numbers_masked(database_url):
    make_app(database_url)
    assert all(any(isinstance(f, audit.PersonalDataFilter) for f in handler.filters)
               for handler in logging.getLogger().handlers)
    record = logging.LogRecord("webapp.x", logging.INFO, __file__, 1,
                               "sent to %s, id %s, took %d ms", ("84912345678", "072156001234",
                                                                 12), None)
    audit.PersonalDataFilter().filter(record)
    assert record.getMessage() == "sent to 0912 *** 678, id 072••••••234, took 12 ms"


def test_log_lines_never_carry_a_drafts_token_even_from_gunicorn(database_url):
    """An exception's log line names the request's address, which may hold a draft's token or
    a reset link's; the filter masks them in the app's logs and in gunicorn's own."""
    make_app(database_url)
    token = "Xk3vQ9mT2pLr8wZy4bNc1d"
    record = logging.LogRecord("webapp", logging.ERROR, __file__, 1,
                               "Exception on /ho-so-nhap/%s/cau-hoi/phone [POST]", (token,), None)
    audit.PersonalDataFilter().filter(record)
    assert record.getMessage() == "Exception on /ho-so-nhap/***/cau-hoi/phone [POST]"
    gunicorn = logging.getLogger("gunicorn.error")
    handler = logging.StreamHandler()
    gunicorn.addHandler(handler)
    try:
        audit.mask_loggers("gunicorn.error")
        assert any(isinstance(f, audit.PersonalDataFilter) for f in handler.filters)
    finally:
        gunicorn.removeHandler(handler)
    dossier_line = "dossier TN-7K4-Q2M9 received"  # codes are short: they stay readable
    assert audit.mask_log_line(dossier_line) == dossier_line
