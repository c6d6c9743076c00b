"""Claims and leases: two workers never send the same message, and a dead worker's message
is sent by the next one, once."""

from __future__ import annotations

from tests.notifications.conftest import SIGN_IN_CODE, enqueue_committed, reload, run_at_once
from webapp.notifications.models import PENDING, SENDING, SENT, OutboxAttempt, OutboxMessage

LEASE = 300


def test_a_claimed_message_is_not_claimed_again(notify_app, make_worker):
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    first, second = make_worker(), make_worker()

    assert first.claim(message.id) is not None
    assert second.claim(message.id) is None
    assert second.run_once() == {}
    assert reload(message).status == SENDING


def test_dead_workers_message_is_sent_once_after_its_lease(notify_app, make_worker, clock,
                                                          fake_sms):
    """The first worker claimed the message, sent the SMS and died before writing it down."""
    message = enqueue_committed(template=SIGN_IN_CODE.key, reference="code-dead")
    dead = make_worker(lease=LEASE)
    claimed = dead.claim(message.id)
    dead.deliver(claimed)  # the SMS went out; the process was killed here

    restarted = make_worker(lease=LEASE)
    assert restarted.run_once() == {}  # the lease still holds
    clock.advance(LEASE + 1)
    assert restarted.run_once() == {"sent": 1}

    row = reload(message)
    assert (row.status, row.transport, row.attempts) == (SENT, "sms", 1)
    # The retry reused the reference, so the gateway sent the SMS only once.
    assert [m["reference"] for m in fake_sms.sent_messages] == ["code-dead"]


def test_claimed_but_unsent_message_is_sent_after_the_lease(notify_app, make_worker, clock,
                                                           fake_sms):
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    make_worker(lease=LEASE).claim(message.id)  # died before sending anything

    clock.advance(LEASE + 1)
    assert make_worker().run_once() == {"sent": 1}
    assert len(fake_sms.sent_messages) == 1


def test_a_worker_that_outlived_its_lease_cannot_overwrite(notify_app, make_worker, clock,
                                                          fake_sms):
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    slow = make_worker(lease=LEASE)
    claimed = slow.claim(message.id)
    clock.advance(LEASE + 1)
    fake_sms.fail_next(http_status=503)
    late_outcome = slow.deliver(claimed)  # the slow worker's attempt fails...
    assert make_worker().run_once() == {"sent": 1}  # ...while a new one succeeds

    slow.record(claimed, late_outcome)

    row = reload(message)
    assert (row.status, row.claim_token) == (SENT, None)
    assert OutboxAttempt.select().where(OutboxAttempt.ok).count() == 1


def test_restarted_worker_sends_what_is_still_pending(notify_app, make_worker, fake_sms):
    messages = [enqueue_committed(template=SIGN_IN_CODE.key, reference=f"code-{n}")
                for n in range(5)]
    assert make_worker().run_once(limit=2) == {"sent": 2}  # then the worker was stopped

    assert make_worker().drain() == {"sent": 3}  # a new worker process

    assert {reload(m).status for m in messages} == {SENT}
    assert sorted(m["reference"] for m in fake_sms.sent_messages) == [
        f"code-{n}" for n in range(5)]


def test_two_concurrent_workers_send_each_message_once(notify_app, make_worker, fake_sms):
    count = 30
    for n in range(count):
        enqueue_committed(template=SIGN_IN_CODE.key, reference=f"code-{n}")
    fake_sms.fail_next(count, delay=0.005)  # slow answers, so that the workers overlap
    workers = [make_worker(), make_worker()]
    results, errors = run_at_once([lambda w=w: w.drain(batch=10) for w in workers])

    assert errors == []
    assert sum(r["sent"] for r in results) == count
    references = [r["reference"] for r in fake_sms.requests]
    assert sorted(references) == sorted(f"code-{n}" for n in range(count))  # each asked once
    assert OutboxMessage.select().where(OutboxMessage.status == SENT).count() == count
    assert OutboxAttempt.select().count() == count
    assert all(r["sent"] > 0 for r in results), results  # both really took part


def test_pending_retry_is_not_claimed_before_it_is_due(notify_app, make_worker, fake_sms):
    fake_sms.fail_next(http_status=503)
    message = enqueue_committed(template=SIGN_IN_CODE.key)
    make_worker().run_once()
    assert reload(message).status == PENDING
    assert make_worker().claim(message.id) is None
