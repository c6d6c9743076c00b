"""Putting messages in the outbox: same transaction as the event, idempotent, Vietnamese."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.notifications.conftest import (
    DOSSIER_DATA,
    DOSSIER_STATUS,
    PHONE,
    enqueue_committed,
    reload,
)
from webapp.core import db
from webapp.notifications.messages import TEST_MESSAGE
from webapp.notifications.models import PENDING, SENT, OutboxMessage
from webapp.notifications.outbox import enqueue
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
    assert row.reference.startswith("msg-")


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
