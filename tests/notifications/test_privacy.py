"""Phone numbers never reach the logs unmasked, whatever happens to a message."""

from __future__ import annotations

from tests.notifications.conftest import (
    PHONE,
    PHONE_SPELLINGS,
    SIGN_IN_CODE,
    enqueue_committed,
)
from webapp.notifications.transports import DevelopmentTransport
from webapp.notifications.worker import Worker

MSISDN = "84987654321"


def assert_no_phone(text: str) -> None:
    for spelling in PHONE_SPELLINGS:
        assert spelling not in text, spelling


def test_no_phone_in_logs_through_every_outcome(notify_app, make_worker, clock, fake_zalo,
                                               fake_sms, logs):
    fake_zalo.no_zalo_account.add(MSISDN)
    fake_sms.fail_next(http_status=503)
    enqueue_committed()  # ZNS refuses, SMS retried, then sent
    enqueue_committed(template=SIGN_IN_CODE.key, phone="+84 987.654.321")
    worker = make_worker()
    worker.run_once()
    clock.advance(3600)
    worker.run_once()
    fake_sms.fail_next(http_status=400)
    enqueue_committed(template=SIGN_IN_CODE.key, phone=PHONE)  # refused for good
    worker.run_once()

    assert "0987 *** 321" in logs.text  # there are log lines, masked
    # The providers' clients log too, with the same mask as every other room.
    assert any("webapp.integrations" in line and "0987 *** 321" in line
               for line in logs.text.splitlines())
    assert_no_phone(logs.text)


def test_no_phone_in_logs_from_the_development_transport(notify_app, clock, logs):
    enqueue_committed(template=SIGN_IN_CODE.key)
    Worker([DevelopmentTransport()], clock=clock).run_once()

    assert "0987 *** 321" in logs.text
    assert "/dev/tin-nhan" in logs.text
    assert "482913" not in logs.text  # nor the code itself
    assert_no_phone(logs.text)


def test_no_phone_in_logs_when_our_code_crashes(notify_app, make_worker, logs):
    class Leaky(Exception):
        pass

    enqueue_committed(template=SIGN_IN_CODE.key)
    worker = make_worker()

    def crash(message):
        raise Leaky(f"cannot send to {message.phone}")

    worker.transports[-1].send = crash
    worker.run_once()

    assert "Leaky at " in logs.text  # where it broke, for the developer
    assert_no_phone(logs.text)


def test_unusable_number_is_masked_completely(notify_app, make_worker, logs):
    enqueue_committed(template=SIGN_IN_CODE.key, phone="0276 3822 222")
    make_worker().run_once()
    assert "3822" not in logs.text and "***" in logs.text


def test_no_phone_in_logs_through_the_zns_and_esms_outcomes(esms_app, impatient, make_worker,
                                                            clock, fake_zalo, fake_esms, logs):
    from tests.notifications.conftest import LATE_ANSWER

    fake_zalo.fail_next("template", delay=LATE_ANSWER)  # ZNS answer lost: eSMS
    enqueue_committed(reference="lost")
    fake_zalo.inactive.add(MSISDN)
    fake_esms.register_templates([])  # the next ones: eSMS refuses the text (146)
    enqueue_committed(reference="inactive")
    enqueue_committed(template=SIGN_IN_CODE.key, phone="+84 987.654.321", reference="code")
    make_worker().run_once()

    assert "0987 *** 321" in logs.text
    assert "esms 146" in logs.text
    assert_no_phone(logs.text)
