"""`flask notifications ...`: the one-shot and looping worker, status and purge; the looping
worker as a real process, stopped and restarted with messages still pending."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import make_app, prepare_database
from tests.fakes import FakeSmsGateway, serve_wsgi
from tests.notifications.conftest import SENDER, SIGN_IN_CODE, enqueue_committed
from webapp.config import PROJECT_ROOT
from webapp.core import db
from webapp.core.db import utcnow
from webapp.notifications.messages import TEST_MESSAGE
from webapp.notifications.models import PENDING, SENT, OutboxMessage


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["notifications", *args])


def test_send_sends_what_is_due_and_exits(notify_app, fake_sms):
    for n in range(3):
        enqueue_committed(template=SIGN_IN_CODE.key, reference=f"code-{n}")
    fake_sms.fail_next(http_status=503)

    result = _invoke(notify_app, "send")

    assert result.exit_code == 0, result.output
    assert "Sent 2, to retry 1, failed 0." in result.output
    assert len(fake_sms.sent_messages) == 2


def test_send_refuses_unusable_settings(notify_app):
    notify_app.config["SMS_SENDER"] = ""
    result = _invoke(notify_app, "send")
    assert result.exit_code == 1
    assert "The sms transport needs SMS_SENDER to be set." in result.output


def test_status_counts_messages(notify_app, fake_sms):
    enqueue_committed(template=SIGN_IN_CODE.key, reference="a")
    _invoke(notify_app, "send")
    enqueue_committed(template=SIGN_IN_CODE.key, reference="b")

    result = _invoke(notify_app, "status")

    assert result.output.strip() == "pending: 1  sending: 0  sent: 1  failed: 0"


def test_purge_deletes_only_old_finished_messages(notify_app, fake_sms):
    old_sent = enqueue_committed(template=SIGN_IN_CODE.key, reference="old")
    _invoke(notify_app, "send")
    recent_pending = enqueue_committed(template=SIGN_IN_CODE.key, reference="new")
    long_ago = utcnow() - dt.timedelta(days=100)
    OutboxMessage.update(updated_at=long_ago).execute()  # both are old; one is still pending

    result = _invoke(notify_app, "purge", "--days", "90")

    assert "Deleted 1 finished message(s)" in result.output
    assert [m.id for m in OutboxMessage.select()] == [recent_pending.id]
    assert old_sent.id not in [m.id for m in OutboxMessage.select()]


# --- The worker as a separate process -------------------------------------------------------


@pytest.fixture
def worker_env(tmp_path):
    """A SQLite database file and an SMS gateway that a worker process can share with us."""
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    prepare_database(url)
    gateway = FakeSmsGateway(senders={SENDER})
    with serve_wsgi(gateway) as gateway_url:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test", "APP_ENV": "test",
               "NOTIFY_TRANSPORTS": "sms", "SMS_GATEWAY_URL": gateway_url,
               "SMS_GATEWAY_API_KEY": gateway.api_key, "SMS_SENDER": SENDER,
               "NOTIFY_RETRY_SECONDS": "3600", "LOG_LEVEL": "WARNING"}
        app = make_app(url)
        with app.app_context(), db.database.connection_context():
            yield env, gateway
        if not db.database.is_closed():
            db.database.close()


def _start_worker(env, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "notifications", "send", *args],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _enqueue_test_messages(references):
    for reference in references:
        enqueue_committed(template=TEST_MESSAGE.key, data={"app_name": "Tây Ninh Smart"},
                          reference=reference)


def _statuses():
    return {m.reference: m.status for m in OutboxMessage.select()}


def test_looping_worker_process_stops_cleanly_and_a_new_one_finishes(worker_env):
    env, gateway = worker_env
    gateway.fail_next(http_status=503)  # the first message will wait for a retry
    _enqueue_test_messages(["m-1", "m-2", "m-3"])

    worker = _start_worker(env, "--loop", "--interval", "0.2")
    try:
        assert _wait_for(lambda: len(gateway.sent_messages) == 2)
        _enqueue_test_messages(["m-4"])  # arrives while the worker is running
        assert _wait_for(lambda: len(gateway.sent_messages) == 3)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    assert worker.returncode == 0, output
    assert "Stopped. Sent 3, to retry 1, failed 0." in output
    assert _statuses() == {"m-1": PENDING, "m-2": SENT, "m-3": SENT, "m-4": SENT}

    # Later, the retry is due and another worker process starts.
    OutboxMessage.update(next_attempt_at=utcnow()).where(OutboxMessage.status == PENDING).execute()
    again = _start_worker(env)
    output, _ = again.communicate(timeout=30)

    assert again.returncode == 0, output
    assert "Sent 1, to retry 0, failed 0." in output
    assert set(_statuses().values()) == {SENT}
    assert sorted(m["reference"] for m in gateway.sent_messages) == ["m-1", "m-2", "m-3", "m-4"]


def test_killed_worker_process_loses_nothing(worker_env):
    env, gateway = worker_env
    gateway.fail_next(5, delay=0.3)  # slow gateway: the worker is killed mid-round
    _enqueue_test_messages([f"k-{n}" for n in range(5)])

    worker = _start_worker(env, "--loop", "--interval", "0.2")
    assert _wait_for(lambda: len(gateway.requests) >= 1)
    worker.kill()
    worker.communicate(timeout=20)

    # Whatever was claimed by the dead process comes back when its lease runs out.
    OutboxMessage.update(lease_expires_at=utcnow()).where(
        OutboxMessage.lease_expires_at.is_null(False)).execute()
    again = _start_worker(env)
    output, _ = again.communicate(timeout=30)

    assert again.returncode == 0, output
    assert set(_statuses().values()) == {SENT}
    assert sorted(m["reference"] for m in gateway.sent_messages) == [f"k-{n}" for n in range(5)]
