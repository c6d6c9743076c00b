"""Putting messages in the outbox: same transaction as the event, idempotent, Vietnamese."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from tests.notifications.conftest import (
    DOSSIER_DATA,
    DOSSIER_STATUS,
    PHONE,
    SIGN_IN_CODE,
    enqueue_committed,
    reload,
)
from webapp.core import db
from webapp.notifications.messages import TEST_MESSAGE
from webapp.notifications.models import PENDING, SENT, OutboxMessage
from webapp.notifications.outbox import canonical_phone, enqueue
from webapp.notifications.templates import UnknownTemplate


class EventFailed(Exception):
    pass


def test_message_is_written_pending_with_canonical_phone_and_text(notify_app):
    message = enqueue_committed()

    row = reload(message)
    assert row.status == PENDING and row.attempts == 0
    assert row.phone == "0987654321"
    assert row.data == DOSSIER_DATA
    assert row.text == "Dossier HS-2026-0001 of Nguyễn Thị Tư: Đã có kết quả."
    assert re.fullmatch(r"msg-[0-9a-f]{32}", row.reference)


def test_each_person_gets_back_their_own_message(notify_app):
    """With other people's messages already waiting, enqueue returns the row it wrote."""
    first = enqueue_committed(reference="dossier-event-1")
    second = enqueue_committed(template=SIGN_IN_CODE.key, phone="0912 345 678",
                               reference="code-2")
    third = enqueue_committed(phone="0276 3822 222")

    assert [(m.reference, m.phone, m.template) for m in (first, second, third)] == [
        ("dossier-event-1", "0987654321", DOSSIER_STATUS.key),
        ("code-2", "0912345678", SIGN_IN_CODE.key),
        (third.reference, "0276 3822 222", DOSSIER_STATUS.key),
    ]
    assert len({first.id, second.id, third.id}) == 3


def test_queued_message_is_logged_with_its_kind_masked_number_and_id(notify_app, logs):
    """The operator follows a message from this line to the worker's lines by its id."""
    mobile = enqueue_committed(template=SIGN_IN_CODE.key)
    landline = enqueue_committed(phone="0276 3822 222")

    lines = [r.getMessage() for r in logs.records if r.name == "webapp.notifications.outbox"]
    assert lines == [
        f"Outbox: {SIGN_IN_CODE.key} to 0987 *** 321 queued as message {mobile.id}",
        f"Outbox: {DOSSIER_STATUS.key} to *** queued as message {landline.id}",
    ]


@pytest.mark.parametrize(("given", "kept"), [
    ("+84 987.654.321", "0987654321"),
    ("  0276 3822 222 ", "0276 3822 222"),  # not a mobile: kept as typed, for the operator
    ("0276-3822-222 ext 12345678901234567890", "0276-3822-222 ext 12345678901234"),
    ("", ""),
    (None, ""),
])
def test_number_is_stored_canonical_or_as_given_within_the_column(given, kept):
    assert canonical_phone(given) == kept


def test_rolled_back_event_leaves_no_message(notify_app):
    with pytest.raises(EventFailed), db.database.atomic():
        enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data=DOSSIER_DATA, reference="ev-1")
        raise EventFailed  # e.g. the dossier update that caused the message failed

    with db.database.atomic() as transaction:
        enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data=DOSSIER_DATA, reference="ev-2")
        transaction.rollback()

    assert OutboxMessage.select().count() == 0


def test_message_commits_with_the_event(notify_app):
    with db.database.atomic():
        enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data=DOSSIER_DATA, reference="ev-1")
    assert [m.reference for m in OutboxMessage.select()] == ["ev-1"]


def test_same_reference_is_one_message(notify_app):
    first = enqueue_committed(reference="dossier-event-7")
    again = enqueue_committed(reference="dossier-event-7")
    with db.database.atomic():  # twice within one transaction, too
        third = enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data=DOSSIER_DATA,
                        reference="dossier-event-7")
        fourth = enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data=DOSSIER_DATA,
                         reference="dossier-event-7")

    assert first.id == again.id == third.id == fourth.id
    assert OutboxMessage.select().count() == 1


def test_same_reference_after_sending_sends_nothing_more(notify_app, make_worker, fake_zalo):
    enqueue_committed(reference="dossier-event-8")
    make_worker().run_once()
    message = enqueue_committed(reference="dossier-event-8")

    assert message.status == SENT
    assert make_worker().run_once()["sent"] == 0
    assert len(fake_zalo.sent_messages) == 1


def test_text_is_vietnamese_whatever_the_visitor_reads(notify_app):
    with force_locale("en"):  # as in a request from someone who chose English
        message = enqueue_committed(template=TEST_MESSAGE.key, data={"app_name": "Tây Ninh Smart"})
    assert message.text == "Đây là tin nhắn thử của Tây Ninh Smart. Ông/Bà không cần làm gì."


def test_unknown_template_is_a_programming_error(notify_app):
    with pytest.raises(UnknownTemplate), db.database.atomic():
        enqueue(template="no_such_kind", phone=PHONE, data={})
    assert OutboxMessage.select().count() == 0


def test_missing_data_is_a_programming_error(notify_app):
    with pytest.raises(KeyError), db.database.atomic():
        enqueue(template=DOSSIER_STATUS.key, phone=PHONE, data={"ma_ho_so": "HS-1"})
    assert OutboxMessage.select().count() == 0


def test_unusable_phone_does_not_stop_the_event(notify_app):
    """A landline typed as contact number must not make the officer's action fail."""
    message = enqueue_committed(phone="0276 3822 222")
    assert reload(message).status == PENDING
