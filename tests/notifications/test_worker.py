"""The worker against the fake Zalo and SMS servers: sending, falling back, retrying."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import lazy_gettext

from tests.fakes.zalo import DEFAULT_TEMPLATE_ID
from tests.notifications.conftest import (
    DOSSIER_DATA,
    SENDER,
    SIGN_IN_CODE,
    attempts_of,
    enqueue_committed,
    reload,
)
from webapp.core.clock import utcnow
from webapp.notifications.models import FAILED, PENDING, SENT
from webapp.notifications.templates import register
from webapp.notifications.worker import RetryPolicy

MSISDN = "84987654321"


def test_zns_success(notify_app, make_worker, fake_zalo, fake_sms):
    message = enqueue_committed(reference="dossier-event-1")

    assert make_worker().run_once() == {"sent": 1}

    row = reload(message)
    [sent] = fake_zalo.sent_messages
    assert (row.status, row.transport, row.attempts) == (SENT, "zns", 1)
    assert row.provider_message_id == sent["msg_id"]
    assert row.sent_at is not None and row.last_error is None
    assert sent["phone"] == MSISDN
    assert sent["template_id"] == DEFAULT_TEMPLATE_ID
    assert sent["template_data"] == DOSSIER_DATA
    assert sent["tracking_id"] == f"outbox-{message.id}"
    assert attempts_of(message) == [("zns", True, None)]
    assert fake_sms.requests == []


@pytest.mark.parametrize("zalo_error,code", [(-108, "invalid_phone"),
                                             (-118, "no_zalo_account")])
def test_zns_refusal_for_this_phone_falls_back_to_sms(
    notify_app, make_worker, fake_zalo, fake_sms, zalo_error, code
):
    if zalo_error == -118:
        fake_zalo.no_zalo_account.add(MSISDN)  # the fake refuses as Zalo would
    else:
        fake_zalo.fail_next("template", error=zalo_error)
    message = enqueue_committed(reference="dossier-event-2")

    assert make_worker().run_once() == {"sent": 1}

    row = reload(message)
    assert (row.status, row.transport, row.attempts, row.last_error) == (SENT, "sms", 2, code)
    assert attempts_of(message) == [("zns", False, code), ("sms", True, None)]
    [sms] = fake_sms.sent_messages
    assert sms == {"to": MSISDN, "from": SENDER, "reference": "dossier-event-2",
                   "text": "Dossier HS-2026-0001 of Nguyễn Thị Tư: Đã có kết quả.",
                   "id": row.provider_message_id}
    assert fake_zalo.sent_messages == []


def test_kind_without_zns_template_goes_by_sms_only(notify_app, make_worker, fake_zalo,
                                                    fake_sms):
    message = enqueue_committed(template=SIGN_IN_CODE.key, reference="code-1")

    make_worker().run_once()

    assert attempts_of(message) == [("sms", True, None)]
    assert fake_zalo.zns_requests == []
    assert fake_sms.sent_messages[0]["text"] == "Code 482913."


@pytest.mark.parametrize("status", [500, 503])
def test_zns_server_error_is_retried_later_with_backoff(
    notify_app, make_worker, clock, fake_zalo, fake_sms, status
):
    fake_zalo.fail_next("template", http_status=status)
    message = enqueue_committed()
    worker = make_worker(first_delay=30)

    before = clock()
    assert worker.run_once() == {"retry": 1}
    row = reload(message)
    assert (row.status, row.transport, row.transport_attempts) == (PENDING, "zns", 1)
    assert row.last_error == "provider_unavailable"
    assert before + dt.timedelta(seconds=24) <= row.next_attempt_at
    assert row.next_attempt_at <= clock() + dt.timedelta(seconds=30)
    assert fake_sms.requests == []  # a passing outage is no reason to pay for an SMS

    assert worker.run_once() == {}  # not due yet
    clock.advance(31)
    assert worker.run_once() == {"sent": 1}
    row = reload(message)
    assert (row.status, row.transport, row.attempts) == (SENT, "zns", 2)
    assert attempts_of(message) == [("zns", False, "provider_unavailable"), ("zns", True, None)]
    assert len(fake_zalo.sent_messages) == 1


def test_sms_rate_limit_is_retried(notify_app, make_worker, clock, fake_sms):
    fake_sms.fail_next(http_status=429)
    message = enqueue_committed(template=SIGN_IN_CODE.key, reference="code-2")
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    assert reload(message).last_error == "rate_limited"
    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}

    assert attempts_of(message) == [("sms", False, "rate_limited"), ("sms", True, None)]
    assert [m["reference"] for m in fake_sms.sent_messages] == ["code-2"]


def test_sms_bad_request_fails_for_good_and_is_recorded(notify_app, make_worker, clock,
                                                       fake_sms):
    fake_sms.fail_next(http_status=400)
    message = enqueue_committed(template=SIGN_IN_CODE.key, reference="code-3")
    worker = make_worker()

    assert worker.run_once() == {"failed": 1}
    clock.advance(24 * 3600)
    assert worker.run_once() == {}  # never tried again

    row = reload(message)
    assert (row.status, row.transport, row.attempts, row.last_error) == (
        FAILED, "sms", 1, "rejected")
    [attempt] = list(row.attempt_rows)
    assert (attempt.ok, attempt.retryable) == (False, False)
    assert attempt.error_detail == "http_400: injected_failure"
    assert fake_sms.sent_messages == []


def test_retries_stop_after_the_maximum(notify_app, make_worker, clock, fake_sms):
    fake_sms.fail_next(3, http_status=503)
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    worker = make_worker(max_attempts=3)

    outcomes = []
    for _ in range(4):
        outcomes.append(dict(worker.run_once()))
        clock.advance(7200)

    assert outcomes == [{"retry": 1}, {"retry": 1}, {"failed": 1}, {}]
    row = reload(message)
    assert (row.status, row.attempts, row.last_error) == (FAILED, 3, "provider_unavailable")


def test_zns_out_of_retries_falls_back_to_sms(notify_app, make_worker, clock, fake_zalo,
                                             fake_sms):
    fake_zalo.fail_next("template", 2, http_status=502)
    message = enqueue_committed()
    worker = make_worker(max_attempts=2)

    assert worker.run_once() == {"retry": 1}
    clock.advance(7200)
    assert worker.run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "provider_unavailable"),
                                    ("zns", False, "provider_unavailable"),
                                    ("sms", True, None)]


def test_sms_failure_after_zns_refusal_is_retried_on_sms(notify_app, make_worker, clock,
                                                        fake_zalo, fake_sms):
    fake_zalo.no_zalo_account.add(MSISDN)
    fake_sms.fail_next(http_status=503)
    message = enqueue_committed()
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    clock.advance(7200)
    assert worker.run_once() == {"sent": 1}

    # ZNS said "no Zalo account" once; the retry goes straight to SMS.
    assert attempts_of(message) == [("zns", False, "no_zalo_account"),
                                    ("sms", False, "provider_unavailable"),
                                    ("sms", True, None)]


def test_invalid_phone_fails_without_calling_anyone(notify_app, make_worker, fake_zalo,
                                                   fake_sms):
    message = enqueue_committed(phone="0276 3822 222")  # a landline cannot get SMS or ZNS

    assert make_worker().run_once() == {"failed": 1}

    assert attempts_of(message) == [("zns", False, "invalid_phone"),
                                    ("sms", False, "invalid_phone")]
    assert fake_zalo.zns_requests == [] and fake_sms.requests == []


def test_expired_zns_token_falls_back_to_sms_at_once(notify_app, make_worker, fake_sms):
    notify_app.config["ZNS_ACCESS_TOKEN"] = "expired-token"
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}
    assert attempts_of(message) == [("zns", False, "token_invalid"), ("sms", True, None)]


def test_sms_unreachable_is_retried(notify_app, make_worker, clock, fake_sms):
    from tests.fakes import closed_port_url

    notify_app.config["SMS_GATEWAY_URL"] = closed_port_url()
    message = enqueue_committed(template=SIGN_IN_CODE.key)

    assert make_worker().run_once() == {"retry": 1}
    assert reload(message).last_error == "network_error"


def test_a_crashing_transport_loses_nothing(notify_app, make_worker, clock, fake_sms):
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    worker = make_worker()
    sms = worker.transports[-1]
    real_send = sms.send
    sms.send = lambda message: 1 / 0  # a bug in our own code

    assert worker.run_once() == {"retry": 1}
    row = reload(message)
    assert (row.status, row.last_error) == (PENDING, "provider_error")

    sms.send = real_send
    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}


def test_backoff_doubles_up_to_the_cap():
    policy = RetryPolicy(first_delay=30, max_delay=600)
    delays = [policy.delay(n).total_seconds() for n in range(1, 8)]
    nominal = [30, 60, 120, 240, 480, 600, 600]
    for delay, expected in zip(delays, nominal, strict=True):
        assert expected * 0.8 <= delay <= expected


def test_messages_are_sent_oldest_first(notify_app, make_worker, fake_sms):
    for n in range(3):
        enqueue_committed(template=SIGN_IN_CODE.key, reference=f"code-{n}")

    make_worker().run_once()

    assert [m["reference"] for m in fake_sms.sent_messages] == ["code-0", "code-1", "code-2"]


def test_next_attempt_is_in_utc(notify_app, make_worker, fake_sms):
    fake_sms.fail_next(http_status=503)
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    make_worker(first_delay=30).run_once()
    assert reload(message).next_attempt_at - utcnow() < dt.timedelta(seconds=31)


def test_message_past_its_maximum_age_is_not_sent_late(notify_app, make_worker, clock,
                                                      fake_sms):
    register("test_short_lived", text=lazy_gettext("Code %(code)s."), zns_setting=None,
             zns_params=[], max_age_seconds=600)
    fake_sms.fail_next(http_status=503)
    message = enqueue_committed(template="test_short_lived", data={"code": "482913"})
    worker = make_worker(first_delay=900)

    assert worker.run_once() == {"retry": 1}
    clock.advance(901)  # the code ran out meanwhile
    assert worker.run_once() == {"failed": 1}

    row = reload(message)
    assert (row.status, row.last_error, row.attempts) == (FAILED, "expired", 1)
    assert fake_sms.sent_messages == []
