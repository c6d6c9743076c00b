"""`flask notifications ...`: the one-shot and looping worker, status and purge, loading the
Zalo OA token; the looping worker as a real process, stopped and restarted with messages still
pending."""

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
from tests.fakes.zalo import DEFAULT_TEMPLATE_ID
from tests.notifications.conftest import SENDER, SIGN_IN_CODE, enqueue_committed, load_oa_token
from webapp.config import PROJECT_ROOT
from webapp.core import db
from webapp.core.clock import utcnow
from webapp.integrations.zalo_oauth import ZaloOAuthClient, ZaloOAuthError
from webapp.notifications.messages import TEST_MESSAGE
from webapp.notifications.models import PENDING, SENT, OutboxMessage, ZaloOaToken


def _invoke(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["notifications", *args], **kwargs)


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


# --- The Zalo OA token -----------------------------------------------------------------------


def test_zns_token_is_read_from_stdin_spent_once_and_the_new_pair_stored(stored_zns, fake_zalo,
                                                                         zalo_url):
    granted = fake_zalo.grant_oa_refresh_token()

    result = _invoke(stored_zns, "zns-token", input=granted + "\n")

    assert result.exit_code == 0, result.output
    row = ZaloOaToken.current()
    assert f"The access token expires at {row.expires_at:%Y-%m-%d %H:%M} UTC" in result.output
    assert row.expires_at - utcnow() > dt.timedelta(hours=24)  # Zalo's 25 hours
    assert fake_zalo.oa_refreshes == 1 and fake_zalo.accepts_oa_access_token(row.access_token)
    for secret in (granted, row.refresh_token, row.access_token):
        assert secret not in result.output
    client = ZaloOAuthClient(fake_zalo.app_id, fake_zalo.secret_key, oauth_base=zalo_url)
    with pytest.raises(ZaloOAuthError):
        client.refresh_oa(granted)  # spent: the stored pair is the live one


def test_zns_token_also_takes_an_option(stored_zns, fake_zalo):
    result = _invoke(stored_zns, "zns-token", "--refresh-token",
                     fake_zalo.grant_oa_refresh_token())
    assert result.exit_code == 0, result.output
    assert ZaloOaToken.current() is not None


def test_refused_zns_token_is_explained_and_nothing_stored(stored_zns, fake_zalo):
    result = _invoke(stored_zns, "zns-token", input="not-a-refresh-token\n")

    assert result.exit_code == 1
    assert ("Zalo refused this refresh token (-14014: Invalid refresh token); nothing was "
            "stored. Authorise the Official Account again") in result.output
    assert ZaloOaToken.current() is None


def test_a_new_zns_token_replaces_a_refused_one(stored_zns, fake_zalo):
    load_oa_token(stored_zns, fake_zalo)
    ZaloOaToken.update(refused_at=utcnow(), refusal="-14014").execute()

    result = _invoke(stored_zns, "zns-token", input=fake_zalo.grant_oa_refresh_token())

    assert result.exit_code == 0, result.output
    assert ZaloOaToken.current().refused_at is None


def test_zns_token_answered_without_a_refresh_token_is_explained(stored_zns, fake_zalo):
    fake_zalo.omit_refresh_token = True
    result = _invoke(stored_zns, "zns-token", input=fake_zalo.grant_oa_refresh_token())

    assert result.exit_code == 1
    assert "sent no new one back" in result.output and "nothing was stored" in result.output
    assert ZaloOaToken.current() is None


def test_zns_token_needs_the_zalo_app(stored_zns):
    stored_zns.config["ZALO_APP_ID"] = ""
    result = _invoke(stored_zns, "zns-token", input="whatever\n")
    assert result.exit_code == 1
    assert "needs ZALO_APP_ID to be set" in result.output


def test_status_tells_the_zns_token_state_without_secrets(stored_zns, fake_zalo):
    none_yet = _invoke(stored_zns, "status").output
    row = load_oa_token(stored_zns, fake_zalo, refreshed_ago=3600)
    stored = _invoke(stored_zns, "status").output
    ZaloOaToken.update(refused_at=utcnow(), refusal="-14014").execute()
    refused = _invoke(stored_zns, "status").output

    assert "ZNS token: none stored; load one with `flask notifications zns-token`." in none_yet
    assert (f"ZNS token: access token expires at {row.expires_at:%Y-%m-%d %H:%M} UTC, last "
            f"refreshed at {row.updated_at:%Y-%m-%d %H:%M} UTC.") in stored
    assert "ZNS token: refused by Zalo at " in refused and "(-14014)" in refused
    for secret in (row.access_token, row.refresh_token):
        assert secret not in none_yet + stored + refused


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


# --- What the operator must mend -------------------------------------------------------------


def test_status_names_a_disabled_zns_template_and_what_to_do(notify_app, fake_zalo, fake_sms):
    fake_zalo.disabled_templates.add(DEFAULT_TEMPLATE_ID)
    enqueue_committed(reference="a")
    enqueue_committed(reference="b")
    _invoke(notify_app, "send")

    output = _invoke(notify_app, "status").output

    assert "Needs an operator (1 problem(s) in the last 7 days):" in output
    assert "- zns template_disabled for test_dossier_status: 2 time(s), last at " in output
    assert (f"Zalo disabled ZNS template {DEFAULT_TEMPLATE_ID} "
            "(ZNS_TEMPLATE_TEST_DOSSIER_STATUS) (low quality): have a new template approved "
            "and put its id in ZNS_TEMPLATE_TEST_DOSSIER_STATUS.") in output
    assert "zns -146" in output


def test_status_names_the_sms_text_esms_refused(esms_app, fake_esms):
    fake_esms.register_templates([])
    enqueue_committed(template=SIGN_IN_CODE.key, reference="code")
    _invoke(esms_app, "send")

    output = _invoke(esms_app, "status").output

    assert "- sms sms_template_mismatch for test_sign_in_code: 1 time(s)" in output
    assert ("the gateway refused the text of test_sign_in_code: it matches no template "
            f"registered for brand name {SENDER}. Register it as `flask notifications "
            "sms-templates` prints it") in output
    assert "esms 146" in output


def test_status_names_a_wrong_app_secret(notify_app, fake_zalo, fake_sms):
    notify_app.config["ZALO_SECRET_KEY"] = "not-the-apps-secret"
    enqueue_committed()
    _invoke(notify_app, "send")

    output = _invoke(notify_app, "status").output
    assert "zns appsecret_proof_invalid for test_dossier_status" in output
    assert "ZALO_SECRET_KEY must be the secret of the Zalo app linked to the Official Account"\
        in output
    assert "not-the-apps-secret" not in output


def test_a_problem_mended_is_no_longer_listed(notify_app, fake_zalo, fake_sms):
    fake_zalo.templates_not_allowed.add(DEFAULT_TEMPLATE_ID)
    enqueue_committed(reference="a")
    _invoke(notify_app, "send")
    assert "template_not_allowed" in _invoke(notify_app, "status").output

    fake_zalo.templates_not_allowed.clear()  # the operator fixed it with Zalo
    enqueue_committed(reference="b")
    _invoke(notify_app, "send")
    assert "Needs an operator" not in _invoke(notify_app, "status").output


def test_status_counts_messages_waiting_for_zns(notify_app, fake_zalo, fake_sms):
    fake_zalo.night_blackout = True
    fake_zalo.clock = lambda: dt.datetime(2026, 3, 2, 16, 0)  # 23:00 in Vietnam
    enqueue_committed()
    _invoke(notify_app, "send")  # the dossier update waits for the morning

    output = _invoke(notify_app, "status").output
    assert "Waiting for ZNS: 1 until 06:00, 0 until the daily quota resets." in output


def test_status_sums_up_the_delivery_reports(notify_app, fake_sms):
    for n, outcome in enumerate(["delivered", "delivered", "not_delivered"]):
        message = enqueue_committed(template=SIGN_IN_CODE.key, reference=f"c{n}")
        OutboxMessage.update(status=SENT, sent_at=utcnow(), delivery_status=outcome).where(
            OutboxMessage.id == message.id).execute()

    output = _invoke(notify_app, "status").output
    assert ("Delivery reports of the last 7 days: delivered: 2  not_delivered: 1  "
            "awaiting_report: 0") in output
