"""What the worker does with each kind of ZNS refusal, against the fake Zalo: the recipient
cannot get ZNS (SMS now), our side is wrong (SMS now, and the operator is told), a token
problem (refresh and retry), and the night and the daily quota (a dossier update waits for
ZNS; a sign-in code goes by SMS at once)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import lazy_gettext

from tests.fakes.zalo import DEFAULT_TEMPLATE_ID
from tests.notifications.conftest import (
    DOSSIER_DATA,
    attempts_of,
    enqueue_at,
    enqueue_committed,
    load_oa_token,
    reload,
)
from webapp.notifications.models import FAILED, PENDING, SENT
from webapp.notifications.templates import register
from webapp.notifications.worker import LONGEST_WAIT

MSISDN = "84987654321"
CODE_TEMPLATE_ID = "200002"  # the fake's ZNS template for sign-in codes
# A sign-in code with a ZNS template: worthless after 5 minutes, so it can never wait.
URGENT_CODE = register(
    "test_urgent_code",
    text=lazy_gettext("Code %(code)s."),
    zns_setting="ZNS_TEMPLATE_TEST_URGENT_CODE",
    zns_params=["code"],
    max_age_seconds=300,
)
# 2026-03-02 in Vietnam (UTC+7): 10:00 is 03:00 UTC, 23:00 is 16:00 UTC, 06:00 the next
# morning is 23:00 UTC, midnight is 17:00 UTC.
MORNING_UTC = dt.datetime(2026, 3, 2, 3, 0)
NIGHT_UTC = dt.datetime(2026, 3, 2, 16, 0)
NEXT_SIX_AM_UTC = dt.datetime(2026, 3, 2, 23, 0)
NEXT_MIDNIGHT_UTC = dt.datetime(2026, 3, 2, 17, 0)


@pytest.fixture
def zalo_on_the_clock(notify_app, fake_zalo, clock):
    """The fake Zalo keeps Vietnam's night on the test's clock; a sign-in code template."""
    fake_zalo.clock = clock
    fake_zalo.templates[CODE_TEMPLATE_ID] = {"code": 6}
    notify_app.config["ZNS_TEMPLATE_TEST_URGENT_CODE"] = CODE_TEMPLATE_ID
    return fake_zalo


def _code(clock, reference="code-1"):
    return enqueue_at(clock, template=URGENT_CODE.key, data={"code": "482913"},
                      reference=reference)


# --- The recipient cannot get ZNS: SMS at once ----------------------------------------------


@pytest.mark.parametrize(("refuse", "code"), [
    (lambda fake: fake.inactive.add(MSISDN), "recipient_inactive"),  # -114
    (lambda fake: fake.no_zalo_account.add(MSISDN), "no_zalo_account"),  # -118
    (lambda fake: fake.refused_oa.add(MSISDN), "recipient_refused"),  # -141
])
def test_a_recipient_who_cannot_get_zns_gets_an_sms_now(notify_app, make_worker, fake_zalo,
                                                        fake_sms, refuse, code):
    refuse(fake_zalo)
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, code), ("sms", True, None)]
    assert fake_zalo.sent_messages == [] and len(fake_sms.sent_messages) == 1


# --- Our template, data, app or OA is wrong: SMS at once (the operator is told: test_cli) ---


@pytest.mark.parametrize(("break_it", "code"), [
    (lambda fake, app: fake.templates_not_allowed.add(DEFAULT_TEMPLATE_ID),
     "template_not_allowed"),  # -117
    (lambda fake, app: fake.disabled_templates.add(DEFAULT_TEMPLATE_ID),
     "template_disabled"),  # -146
    (lambda fake, app: setattr(fake, "out_of_balance", True), "balance_too_low"),  # -115
    (lambda fake, app: setattr(fake, "oa_blocked", True), "oa_blocked"),  # -1351
    (lambda fake, app: app.config.update(ZALO_SECRET_KEY="not-the-apps-secret"),
     "appsecret_proof_invalid"),  # -1241
    (lambda fake, app: fake.templates[DEFAULT_TEMPLATE_ID].update(ho_ten=5),
     "invalid_template_data"),  # -1121: the name is longer than the template allows
])
def test_our_own_zns_problem_sends_an_sms_now(notify_app, make_worker, clock, fake_zalo,
                                              fake_sms, break_it, code):
    break_it(fake_zalo, notify_app)
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}
    clock.advance(7200)
    assert make_worker().run_once() == {}  # not retried on ZNS later

    assert attempts_of(message) == [("zns", False, code), ("sms", True, None)]
    assert fake_zalo.sent_messages == []


# --- A token problem: refresh, and send by ZNS ----------------------------------------------


@pytest.mark.parametrize("zalo_error", [-124, -216, -220])
def test_an_ended_token_is_refreshed_and_the_message_goes_by_zns(stored_zns, fake_zalo,
                                                                 make_worker, clock, fake_sms,
                                                                 zalo_error):
    load_oa_token(stored_zns, fake_zalo, refreshed_ago=3600)
    fake_zalo.expire_oa_access_tokens(error=zalo_error)
    message = enqueue_committed()
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    clock.advance(60)
    assert worker.run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "token_invalid"), ("zns", True, None)]
    assert fake_zalo.oa_refreshes == 2 and fake_sms.requests == []


# --- The night: a dossier update waits for 06:00, a sign-in code goes by SMS ---------------


def test_a_dossier_update_refused_at_night_waits_for_six_and_goes_by_zns(
    zalo_on_the_clock, make_worker, clock, fake_sms
):
    zalo_on_the_clock.night_blackout = True
    clock.set(NIGHT_UTC)
    message = enqueue_at(clock)
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    row = reload(message)
    assert (row.status, row.transport, row.last_error) == (PENDING, "zns",
                                                           "outside_sending_hours")
    assert row.next_attempt_at == NEXT_SIX_AM_UTC
    clock.set(NEXT_SIX_AM_UTC - dt.timedelta(minutes=1))
    assert worker.run_once() == {}  # still night
    clock.set(NEXT_SIX_AM_UTC)
    assert worker.run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "outside_sending_hours"), ("zns", True, None)]
    assert len(zalo_on_the_clock.sent_messages) == 1 and fake_sms.requests == []


def test_a_sign_in_code_refused_at_night_goes_by_sms_at_once(zalo_on_the_clock, make_worker,
                                                             clock, fake_sms):
    zalo_on_the_clock.night_blackout = True
    clock.set(NIGHT_UTC)
    message = _code(clock)

    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "outside_sending_hours"), ("sms", True, None)]
    assert fake_sms.sent_messages[0]["text"] == "Code 482913."


def test_a_message_never_waits_past_a_day_for_zns(zalo_on_the_clock, make_worker, clock,
                                                  fake_sms):
    zalo_on_the_clock.night_blackout = True
    clock.set(NIGHT_UTC - LONGEST_WAIT + dt.timedelta(hours=2))  # queued 22 hours earlier
    message = enqueue_at(clock)
    clock.set(NIGHT_UTC)  # and still unsent at night (ZNS was down all day, say)
    message_row = reload(message)

    assert make_worker().run_once() == {"sent": 1}  # 06:00 would make it 29 hours old

    assert attempts_of(message_row) == [("zns", False, "outside_sending_hours"),
                                        ("sms", True, None)]


# --- The daily quota: wait for its reset at midnight ---------------------------------------


def test_a_dossier_update_over_the_daily_quota_waits_for_its_reset(zalo_on_the_clock,
                                                                   make_worker, clock, fake_sms):
    zalo_on_the_clock.daily_quota = 1
    clock.set(MORNING_UTC)
    first = enqueue_at(clock, reference="dossier-event-1")
    second = enqueue_at(clock, reference="dossier-event-2")
    worker = make_worker()

    assert worker.run_once() == {"sent": 1, "retry": 1}
    row = reload(second)
    assert (row.last_error, row.next_attempt_at) == ("daily_quota", NEXT_MIDNIGHT_UTC)
    clock.set(NEXT_MIDNIGHT_UTC)
    assert worker.run_once() == {"sent": 1}

    assert attempts_of(first) == [("zns", True, None)]
    assert attempts_of(second) == [("zns", False, "daily_quota"), ("zns", True, None)]
    assert fake_sms.requests == []


def test_a_quota_reset_in_the_night_then_waits_for_the_morning(zalo_on_the_clock, make_worker,
                                                               clock, fake_sms):
    zalo_on_the_clock.daily_quota = 0
    zalo_on_the_clock.night_blackout = True
    clock.set(MORNING_UTC)
    message = enqueue_at(clock)
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}  # quota spent: until midnight
    zalo_on_the_clock.daily_quota = 5  # the new day's quota
    clock.set(NEXT_MIDNIGHT_UTC)
    assert worker.run_once() == {"retry": 1}  # midnight is night: until 06:00
    assert reload(message).next_attempt_at == NEXT_SIX_AM_UTC
    clock.set(NEXT_SIX_AM_UTC)
    assert worker.run_once() == {"sent": 1}

    assert [a[2] for a in attempts_of(message)] == ["daily_quota", "outside_sending_hours", None]
    assert fake_sms.requests == []


def test_a_sign_in_code_over_the_quota_goes_by_sms_at_once(zalo_on_the_clock, make_worker,
                                                           clock, fake_sms):
    zalo_on_the_clock.daily_quota = 0
    clock.set(MORNING_UTC)
    message = _code(clock)

    assert make_worker().run_once() == {"sent": 1}
    assert attempts_of(message) == [("zns", False, "daily_quota"), ("sms", True, None)]


def test_zns_only_with_a_message_that_cannot_wait_fails_with_the_reason(zalo_on_the_clock,
                                                                         notify_app, make_worker,
                                                                         clock):
    notify_app.config["NOTIFY_TRANSPORTS"] = "zns"
    zalo_on_the_clock.night_blackout = True
    clock.set(NIGHT_UTC)
    message = _code(clock)

    assert make_worker().run_once() == {"failed": 1}
    assert (reload(message).status, reload(message).last_error) == (FAILED,
                                                                    "outside_sending_hours")


def test_the_dossier_data_reaches_zns_after_the_wait(zalo_on_the_clock, make_worker, clock):
    zalo_on_the_clock.night_blackout = True
    clock.set(NIGHT_UTC)
    message = enqueue_at(clock)
    make_worker().run_once()
    clock.set(NEXT_SIX_AM_UTC)
    make_worker().run_once()

    [sent] = zalo_on_the_clock.sent_messages
    assert sent["template_data"] == DOSSIER_DATA
    assert sent["tracking_id"] == f"outbox-{message.id}"
    assert reload(message).status == SENT
