"""SMS through eSMS.vn's own API (SMS_PROVIDER=esms), end to end against the fake eSMS: the
worker's retries are safe, the operator's problems are final, and eSMS's delivery reports reach
the running app and land on the message."""

from __future__ import annotations

import pytest

from tests.fakes import serve_wsgi
from tests.integrations.constants import PATIENT_TIMEOUT
from tests.notifications.conftest import (
    LATE_ANSWER,
    MSISDN_LOCAL,
    SENDER,
    SIGN_IN_CODE,
    attempts_of,
    enqueue_committed,
    reload,
)
from webapp.core import ratelimit
from webapp.notifications.models import (
    AWAITING_REPORT,
    DELIVERED,
    FAILED,
    NOT_DELIVERED,
    SENT,
    OutboxMessage,
)
from webapp.notifications.transports import (
    NotificationSettingsError,
    SmsTransport,
    build_transports,
)

SECRET = "callback-" + "s3cr3t" * 5


def _code(reference="code-1"):
    return enqueue_committed(template=SIGN_IN_CODE.key, reference=reference)


def test_esms_is_chosen_by_configuration(esms_app):
    sms = build_transports(esms_app.config)[-1]
    assert isinstance(sms, SmsTransport)
    assert type(sms.client).__name__ == "EsmsClient"


@pytest.mark.parametrize(("settings", "complaint"), [
    ({"SMS_PROVIDER": "esms"}, "needs ESMS_API_KEY, ESMS_SECRET_KEY, SMS_SENDER"),
    ({"SMS_PROVIDER": "carrier-pigeon"}, "SMS_PROVIDER=carrier-pigeon: use one of generic, "
     "esms"),
    ({"SMS_PROVIDER": "esms", "ESMS_API_KEY": "k", "ESMS_SECRET_KEY": "s", "SMS_SENDER": "B",
      "ESMS_CALLBACK_SECRET": "x"}, "needs PUBLIC_BASE_URL"),
])
def test_unusable_esms_settings_are_explained(settings, complaint):
    with pytest.raises(NotificationSettingsError, match=complaint):
        build_transports({"NOTIFY_TRANSPORTS": "sms", **settings})


def test_a_sign_in_code_goes_by_esms(esms_app, make_worker, fake_esms):
    message = _code()

    assert make_worker().run_once() == {"sent": 1}

    [sent] = fake_esms.sent_messages
    assert (sent["Phone"], sent["Brandname"], sent["RequestId"]) == (MSISDN_LOCAL, SENDER,
                                                                     "code-1")
    assert sent["Content"] == "Code 482913." and sent["IsUnicode"] == "0"
    assert reload(message).provider_message_id == sent["SMSID"]


def test_zns_refusal_falls_back_to_esms(esms_app, make_worker, fake_zalo, fake_esms):
    fake_zalo.inactive.add("84987654321")
    message = enqueue_committed(reference="dossier-event-7")

    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "recipient_inactive"), ("sms", True, None)]
    assert fake_esms.sent_messages[0]["Content"] == (
        "Dossier HS-2026-0001 of Nguyễn Thị Tư: Đã có kết quả.")
    assert fake_esms.sent_messages[0]["IsUnicode"] == "1"


def test_a_lost_esms_answer_is_retried_and_sent_once(esms_app, impatient, make_worker, clock,
                                                     fake_esms):
    fake_esms.fail_next(delay=LATE_ANSWER)  # eSMS takes it; the answer comes too late
    message = _code()

    assert make_worker().run_once() == {"retry": 1}
    clock.advance(60)
    esms_app.config["NOTIFY_HTTP_TIMEOUT"] = PATIENT_TIMEOUT
    assert make_worker().run_once() == {"sent": 1}  # eSMS answers 124: it had it already

    assert attempts_of(message) == [("sms", False, "timeout"), ("sms", True, None)]
    assert len(fake_esms.sent_messages) == 1
    assert [r["RequestId"] for r in fake_esms.requests] == ["code-1", "code-1"]


def test_a_text_esms_does_not_know_fails_for_good(esms_app, make_worker, clock, fake_esms):
    fake_esms.register_templates(["Ma dang nhap {P1,6}."])
    message = _code()
    worker = make_worker()

    assert worker.run_once() == {"failed": 1}
    clock.advance(7200)
    assert worker.run_once() == {}

    row = reload(message)
    assert (row.status, row.last_error) == (FAILED, "sms_template_mismatch")
    assert fake_esms.sent_messages == []


def test_low_balance_is_retried_until_someone_tops_up(esms_app, make_worker, clock,
                                                      fake_esms):
    fake_esms.balance = 0
    message = _code()
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    assert reload(message).last_error == "balance_too_low"
    fake_esms.balance = 100_000
    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}
    assert reload(message).status == SENT


def test_sandbox_sends_nothing_for_real(esms_app, make_worker, fake_esms):
    esms_app.config["ESMS_SANDBOX"] = True
    message = _code()

    assert make_worker().run_once() == {"sent": 1}
    assert fake_esms.sent_messages == [] and len(fake_esms.sandbox_messages) == 1
    assert fake_esms.sandbox_messages[0]["Sandbox"] == "1"
    assert reload(message).status == SENT


# --- Delivery reports, from the fake eSMS to the running app ---------------------------------


@pytest.fixture
def reporting_app(esms_app):
    """esms_app served on a loopback port, with eSMS told to report there."""
    esms_app.config["ESMS_CALLBACK_SECRET"] = SECRET
    forget_report_limits()
    with serve_wsgi(esms_app) as url:
        esms_app.config["PUBLIC_BASE_URL"] = url
        yield esms_app
    forget_report_limits()


def forget_report_limits():
    """The rate limits are counted in the shared test database: start each test afresh."""
    keys = [ratelimit._hashed(f"{prefix}:127.0.0.1")
            for prefix in ("esms-report", "esms-report-refused")]
    ratelimit.RateLimitHit.delete().where(ratelimit.RateLimitHit.key.in_(keys)).execute()


def test_the_callback_url_carries_the_secret(reporting_app, make_worker, fake_esms):
    _code()
    make_worker().run_once()
    url = reporting_app.config["PUBLIC_BASE_URL"]
    assert fake_esms.sent_messages[0]["CallbackUrl"] == f"{url}/bao-cao-tin-nhan/esms/{SECRET}"


@pytest.mark.parametrize(("delivered", "outcome"), [(True, DELIVERED), (False, NOT_DELIVERED)])
def test_a_delivery_report_lands_on_the_message(reporting_app, make_worker, fake_esms,
                                                delivered, outcome):
    message = _code()
    make_worker().run_once()

    answer = fake_esms.report(fake_esms.sent_messages[0], delivered=delivered)

    assert (answer.status_code, answer.text) == (200, "OK")
    row = reload(message)
    assert (row.delivery_status, row.status) == (outcome, SENT)
    assert row.delivery_reported_at is not None


def test_a_late_interim_report_does_not_hide_the_final_one(reporting_app, make_worker,
                                                           fake_esms):
    message = _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages

    fake_esms.report(sent, send_status="7", delivered=False)  # with the network
    assert reload(message).delivery_status == AWAITING_REPORT
    fake_esms.report(sent, delivered=True)
    fake_esms.report(sent, send_status="7", delivered=False)  # arrives late
    assert reload(message).delivery_status == DELIVERED


def test_a_report_after_a_lost_answer_is_matched_by_request_id(reporting_app, impatient,
                                                               make_worker, clock, fake_esms):
    fake_esms.fail_next(delay=LATE_ANSWER)
    message = _code()
    make_worker().run_once()
    clock.advance(60)
    reporting_app.config["NOTIFY_HTTP_TIMEOUT"] = PATIENT_TIMEOUT
    make_worker().run_once()  # 124: sent, but without eSMS's id
    assert reload(message).provider_message_id is None

    fake_esms.report(fake_esms.sent_messages[0])

    row = reload(message)
    assert row.delivery_status == DELIVERED
    assert row.provider_message_id == fake_esms.sent_messages[0]["SMSID"]


def test_a_report_for_another_message_changes_nothing(reporting_app, make_worker, fake_esms,
                                                      logs):
    message = _code()
    make_worker().run_once()
    stranger = {**fake_esms.sent_messages[0], "SMSID": "not-ours", "RequestId": "not-ours"}

    assert fake_esms.report(stranger).status_code == 200  # or eSMS would call again
    assert reload(message).delivery_status is None
    assert "delivery report for no message of ours" in logs.text


def test_a_wrong_secret_is_a_not_found_and_guessing_is_stopped(reporting_app, make_worker,
                                                               fake_esms):
    _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages
    guess = {**sent, "CallbackUrl": sent["CallbackUrl"].replace(SECRET, "guess")}

    answers = [fake_esms.report(guess).status_code for _ in range(12)]

    assert answers[:10] == [404] * 10 and answers[10:] == [429, 429]
    assert _message_by_reference("code-1").delivery_status is None


def test_reports_are_rate_limited_per_address(reporting_app, make_worker, fake_esms,
                                              monkeypatch):
    from webapp.notifications import delivery_reports

    monkeypatch.setattr(delivery_reports, "REPORTS_PER_MINUTE", 3)
    _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages

    answers = [fake_esms.report(sent).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_reports_are_refused_unless_esms_sends_them(reporting_app, make_worker, fake_esms):
    _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages
    reporting_app.config["SMS_PROVIDER"] = "generic"
    assert fake_esms.report(sent).status_code == 404
    reporting_app.config.update(SMS_PROVIDER="esms", ESMS_CALLBACK_SECRET="")
    assert fake_esms.report(sent).status_code == 404


def test_reports_leave_no_phone_number_nor_secret_in_the_logs(reporting_app, make_worker,
                                                              fake_esms, logs):
    _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages
    fake_esms.report(sent)
    fake_esms.report({**sent, "CallbackUrl": sent["CallbackUrl"].replace(SECRET, "guess")})

    # The app's log lines (urllib3's come from the fake eSMS calling us, as eSMS's would).
    app_lines = "\n".join(record.getMessage() for record in logs.records
                          if record.name.startswith("webapp"))
    assert "eSMS delivery report for outbox message" in app_lines
    for secret in (SECRET, "987654321", "987 654 321", fake_esms.secret_key):
        assert secret not in app_lines


def _message_by_reference(reference):
    return OutboxMessage.get(OutboxMessage.reference == reference)


def test_secret_is_compared_whole(reporting_app, make_worker, fake_esms):
    _code()
    make_worker().run_once()
    [sent] = fake_esms.sent_messages
    shorter = {**sent, "CallbackUrl": sent["CallbackUrl"][:-3]}
    longer = {**sent, "CallbackUrl": sent["CallbackUrl"] + "x"}
    assert [fake_esms.report(guess).status_code for guess in (shorter, longer)] == [404, 404]
