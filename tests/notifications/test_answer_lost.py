"""No double billing: a ZNS send whose answer was lost is never sent by ZNS again (Zalo does not
drop a repeated request), whether the answer came too late or the worker died before writing
it down; the message goes by SMS, whose gateway drops repeats by the outbox reference."""

from __future__ import annotations

import pytest

from tests.notifications.conftest import LATE_ANSWER, attempts_of, enqueue_committed, reload
from webapp.notifications.models import SENDING, SENT


def test_a_zns_answer_that_comes_too_late_sends_an_sms_not_a_second_zns(
    impatient, make_worker, clock, fake_zalo, fake_sms
):
    fake_zalo.fail_next("template", delay=LATE_ANSWER)  # Zalo sends it, then answers late
    message = enqueue_committed()
    worker = make_worker()

    assert worker.run_once() == {"sent": 1}
    clock.advance(7200)
    assert worker.run_once() == {}

    assert attempts_of(message) == [("zns", False, "answer_lost"), ("sms", True, None)]
    assert len(fake_zalo.sent_messages) == 1  # the one Zalo did send
    assert len(fake_sms.sent_messages) == 1
    assert reload(message).in_flight is None


def test_a_zns_gateway_timeout_is_not_sent_again(notify_app, make_worker, fake_zalo, fake_sms):
    fake_zalo.fail_next("template", http_status=504)
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}
    assert attempts_of(message) == [("zns", False, "answer_lost"), ("sms", True, None)]


def test_zns_unreachable_is_retried_on_zns(notify_app, make_worker, clock, fake_zalo, fake_sms):
    from tests.fakes import closed_port_url

    good_url = notify_app.config["ZNS_BASE_URL"]
    notify_app.config["ZNS_BASE_URL"] = closed_port_url()  # nothing left this machine
    message = enqueue_committed()
    assert make_worker().run_once() == {"retry": 1}
    notify_app.config["ZNS_BASE_URL"] = good_url
    clock.advance(3600)
    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "network_error"), ("zns", True, None)]
    assert fake_sms.requests == []


class WorkerDied(BaseException):
    """The process stopped (killed, power cut) right after Zalo took the message."""


def test_a_worker_that_dies_after_zalo_sent_leaves_the_message_to_sms(
    notify_app, make_worker, clock, fake_zalo, fake_sms
):
    message = enqueue_committed()
    dying = make_worker()
    zns = dying.transports[0]
    real_send = zns.client.send_template

    def send_then_die(*args, **kwargs):
        real_send(*args, **kwargs)
        raise WorkerDied

    zns.client.send_template = send_then_die
    with pytest.raises(WorkerDied):
        dying.run_once()
    row = reload(message)
    assert (row.status, row.in_flight) == (SENDING, "zns")  # written before the request left
    assert len(fake_zalo.sent_messages) == 1

    clock.advance(dying.policy.lease + 1)  # the dead worker's lease runs out
    assert make_worker().run_once() == {"sent": 1}

    row = reload(message)
    assert (row.status, row.transport, row.in_flight) == (SENT, "sms", None)
    assert attempts_of(message) == [("zns", False, "answer_lost"), ("sms", True, None)]
    assert len(fake_zalo.sent_messages) == 1  # never twice
    assert len(fake_sms.sent_messages) == 1


def test_a_kind_without_zns_template_is_never_marked_in_flight(notify_app, make_worker,
                                                               fake_sms):
    from tests.notifications.conftest import SIGN_IN_CODE

    message = enqueue_committed(template=SIGN_IN_CODE.key)
    worker = make_worker()
    sms = worker.transports[1]
    seen = []
    real_send = sms.send
    sms.send = lambda m: seen.append(reload(m).in_flight) or real_send(m)

    assert worker.run_once() == {"sent": 1}
    assert seen == [None]
    assert attempts_of(message) == [("sms", True, None)]
