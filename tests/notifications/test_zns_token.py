"""The Zalo OA token kept in the database: refreshed before it expires, by one process at a
time, its single-use refresh token rotated; refusals and -124 answers; no secret in logs."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest

from tests.notifications.conftest import (
    attempts_of,
    enqueue_committed,
    load_oa_token,
    run_at_once,
)
from tests.waiting import wait_until
from webapp.core import db
from webapp.core.clock import utcnow
from webapp.integrations.zalo_oauth import ZaloOAuthClient, ZaloOAuthError
from webapp.notifications.models import ZaloOaToken
from webapp.notifications.transports import (
    TOKEN_FILE,
    TOKEN_FIXED,
    TOKEN_STORED,
    NotificationSettingsError,
    build_transports,
    stored_oa_token,
    zns_token_source,
)

DAY = 24 * 3600


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def spend(fake_zalo, zalo_url, refresh_token: str):
    """Use a refresh token at the fake as anyone else could (it works once)."""
    client = ZaloOAuthClient(fake_zalo.app_id, fake_zalo.secret_key, oauth_base=zalo_url)
    return client.refresh_oa(refresh_token)


# --- Choosing where the token comes from --------------------------------------------------


@pytest.mark.parametrize("settings,source", [
    ({"ZNS_ACCESS_TOKEN_FILE": "/run/zns", "ZNS_ACCESS_TOKEN": "t"}, TOKEN_FILE),
    ({"ZNS_ACCESS_TOKEN": "t"}, TOKEN_FIXED),
    ({"ZNS_ACCESS_TOKEN": "  "}, TOKEN_STORED),
    ({}, TOKEN_STORED),
])
def test_the_stored_token_is_used_when_no_fixed_one_is_set(settings, source):
    assert zns_token_source(settings) == source


def test_the_stored_token_needs_the_zalo_app(stored_zns):
    stored_zns.config["ZALO_SECRET_KEY"] = ""
    complaint = ("needs ZALO_SECRET_KEY to be set, to refresh the OA token loaded with "
                 "`flask notifications zns-token`")
    with pytest.raises(NotificationSettingsError, match=complaint):
        build_transports(stored_zns.config)


# --- Refreshing -----------------------------------------------------------------------------


def test_fresh_token_is_used_as_it_is(stored_zns, fake_zalo, make_worker):
    stored = load_oa_token(stored_zns, fake_zalo, refreshed_ago=3600)
    enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}

    assert fake_zalo.oa_refreshes == 1  # the loading only
    assert ZaloOaToken.current().access_token == stored.access_token


def test_nearly_expired_token_is_refreshed_once_and_rotated(stored_zns, fake_zalo, zalo_url,
                                                            make_worker):
    old = load_oa_token(stored_zns, fake_zalo, expires_in=120, refreshed_ago=DAY)
    first, second = enqueue_committed(reference="a"), enqueue_committed(reference="b")

    assert make_worker().run_once() == {"sent": 2}

    assert fake_zalo.oa_refreshes == 2  # the loading, and one refresh for both messages
    new = ZaloOaToken.current()
    assert new.refresh_token != old.refresh_token
    assert new.access_token != old.access_token
    expected_expiry = utcnow() + dt.timedelta(seconds=90000)
    assert abs(new.expires_at - expected_expiry) < dt.timedelta(minutes=1)
    assert attempts_of(first) == attempts_of(second) == [("zns", True, None)]
    with pytest.raises(ZaloOAuthError) as refused:  # the old refresh token is spent
        spend(fake_zalo, zalo_url, old.refresh_token)
    assert refused.value.code == "-14014"
    spend(fake_zalo, zalo_url, new.refresh_token)  # the stored one is the live one


def test_the_send_itself_refreshes_a_stale_token(stored_zns, fake_zalo):
    load_oa_token(stored_zns, fake_zalo, expires_in=60)
    provider = stored_oa_token(stored_zns.config)

    token = provider()

    assert fake_zalo.accepts_oa_access_token(token)
    assert token == ZaloOaToken.current().access_token
    assert provider() == token and fake_zalo.oa_refreshes == 2  # no second refresh


def test_the_worker_keeps_the_token_fresh_with_nothing_to_send(stored_zns, fake_zalo,
                                                              make_worker):
    old = load_oa_token(stored_zns, fake_zalo, expires_in=60)

    assert make_worker().run_once() == {}

    assert fake_zalo.oa_refreshes == 2
    assert ZaloOaToken.current().access_token != old.access_token


def test_two_processes_finding_it_stale_refresh_it_once(stored_zns, fake_zalo):
    load_oa_token(stored_zns, fake_zalo, expires_in=60)
    requests_before = len(fake_zalo.oa_token_requests)
    fake_zalo.fail_next("oa_access_token", 2, delay=0.15)  # a slow Zalo widens the race
    providers = [stored_oa_token(stored_zns.config) for _ in range(2)]
    tokens, failures = run_at_once(providers, timeout=20)

    assert failures == []
    assert len(fake_zalo.oa_token_requests) == requests_before + 1
    assert tokens[0] == tokens[1] == ZaloOaToken.current().access_token
    assert fake_zalo.accepts_oa_access_token(tokens[0])


def test_the_web_apps_writes_never_wait_for_zalo_during_a_refresh(stored_zns, fake_zalo):
    load_oa_token(stored_zns, fake_zalo, expires_in=60)
    stored_zns.config["NOTIFY_HTTP_TIMEOUT"] = 5  # Zalo is slow, but answers in the end
    # Zalo takes 3 s to answer: long enough that the write below, even on a busy machine,
    # happens while the refresh still waits.
    fake_zalo.fail_next("oa_access_token", 1, delay=3)
    provider = stored_oa_token(stored_zns.config)
    asked = len(fake_zalo.oa_token_requests)
    refreshing = threading.Thread(target=lambda: _with_connection(provider))
    refreshing.start()
    wait_until(lambda: len(fake_zalo.oa_token_requests) > asked, what="the refresh under way")
    with db.database.connection_context(), db.database.atomic():  # as a citizen's submit does
        enqueue_committed(reference="written-meanwhile")
    assert refreshing.is_alive()  # the write was done while Zalo was still answering
    refreshing.join(timeout=10)
    assert fake_zalo.oa_refreshes == 2
    assert fake_zalo.accepts_oa_access_token(ZaloOaToken.current().access_token)


def _with_connection(provider):
    with db.database.connection_context():
        provider()


# --- When Zalo refuses ------------------------------------------------------------------------


def test_refused_refresh_token_falls_back_to_sms_and_asks_for_a_person(
        stored_zns, fake_zalo, zalo_url, make_worker, fake_sms, logs):
    stale = load_oa_token(stored_zns, fake_zalo, expires_in=60)
    spend(fake_zalo, zalo_url, stale.refresh_token)  # spent elsewhere: Zalo refuses ours
    first = enqueue_committed(reference="a")
    worker = make_worker()

    assert worker.run_once() == {"sent": 1}

    assert attempts_of(first) == [("zns", False, "auth_failed"), ("sms", True, None)]
    row = ZaloOaToken.current()
    assert (row.refusal, row.refused_at is not None) == ("-14014", True)
    assert len(errors(logs)) == 1
    assert "authorises the Official Account again" in errors(logs)[0]
    assert "flask notifications zns-token" in errors(logs)[0]

    # Later messages go by SMS without asking Zalo again or repeating the error.
    requests = len(fake_zalo.oa_token_requests)
    second = enqueue_committed(reference="b")
    assert worker.run_once() == {"sent": 1}
    assert attempts_of(second) == [("zns", False, "auth_failed"), ("sms", True, None)]
    assert len(fake_zalo.oa_token_requests) == requests
    assert len(errors(logs)) == 1


def test_no_stored_token_falls_back_to_sms(stored_zns, make_worker, fake_zalo, logs):
    messages = [enqueue_committed(reference="a"), enqueue_committed(reference="b")]

    assert make_worker().run_once() == {"sent": 2}

    for message in messages:
        assert attempts_of(message) == [("zns", False, "auth_failed"), ("sms", True, None)]
    assert errors(logs) == ["No Zalo OA token is stored: ZNS cannot send until someone loads "
                            "a refresh token with `flask notifications zns-token`"]
    assert fake_zalo.oa_token_requests == []


def test_zalo_unreachable_is_retried_with_the_same_refresh_token(stored_zns, fake_zalo,
                                                                make_worker, clock):
    stale = load_oa_token(stored_zns, fake_zalo, expires_in=60)
    fake_zalo.fail_next("oa_access_token", 2, http_status=503)  # the worker's check, the send
    message = enqueue_committed()
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    assert attempts_of(message) == [("zns", False, "provider_unavailable")]
    assert ZaloOaToken.current().refresh_token == stale.refresh_token

    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}
    assert ZaloOaToken.current().refresh_token != stale.refresh_token


def test_refused_access_token_is_refreshed_at_the_next_attempt(stored_zns, fake_zalo,
                                                              make_worker, clock):
    old = load_oa_token(stored_zns, fake_zalo, refreshed_ago=3 * 3600)
    fake_zalo.expire_oa_access_tokens()  # Zalo ended it early
    message = enqueue_committed()
    worker = make_worker()

    assert worker.run_once() == {"retry": 1}
    assert ZaloOaToken.current().expires_at <= utcnow()

    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}
    assert attempts_of(message) == [("zns", False, "token_invalid"), ("zns", True, None)]
    assert ZaloOaToken.current().access_token != old.access_token
    assert fake_zalo.oa_refreshes == 2


def test_refused_token_just_issued_falls_back_without_refreshing(stored_zns, fake_zalo,
                                                                make_worker, logs):
    load_oa_token(stored_zns, fake_zalo)
    fake_zalo.expire_oa_access_tokens()  # refused at once: not an expiry
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "token_invalid"), ("sms", True, None)]
    assert fake_zalo.oa_refreshes == 1
    assert any("ZALO_APP_ID is the app linked" in line for line in errors(logs))


def test_a_token_replaced_meanwhile_is_not_expired(stored_zns, fake_zalo):
    load_oa_token(stored_zns, fake_zalo, refreshed_ago=3 * 3600)
    provider = stored_oa_token(stored_zns.config)
    provider()  # this process sends with the token ...
    newer = load_oa_token(stored_zns, fake_zalo, refreshed_ago=3 * 3600)  # ... another replaces

    assert provider.expire() is True  # the next send will use the newer one
    assert ZaloOaToken.current().expires_at == newer.expires_at


# --- Secrets --------------------------------------------------------------------------------


def test_tokens_never_reach_logs_or_reprs(stored_zns, fake_zalo, zalo_url, make_worker, clock,
                                          logs):
    loaded = load_oa_token(stored_zns, fake_zalo, expires_in=60, refreshed_ago=DAY)
    enqueue_committed(reference="refreshed")
    worker = make_worker()
    worker.run_once()  # refresh, send
    fake_zalo.expire_oa_access_tokens()
    ZaloOaToken.update(updated_at=utcnow() - dt.timedelta(days=1)).execute()
    enqueue_committed(reference="refused")
    worker.run_once()  # -124, expired
    refreshed = ZaloOaToken.current()
    spend(fake_zalo, zalo_url, refreshed.refresh_token)
    clock.advance(3600)
    worker.run_once()  # the refresh is refused
    transport = worker.transports[0]

    assert errors(logs) and "refreshed" in logs.text  # there was plenty to log ...
    secrets = (loaded.access_token, loaded.refresh_token, refreshed.access_token,
               refreshed.refresh_token, fake_zalo.secret_key)
    for secret in secrets:
        assert secret not in logs.text  # ... without a token
        for thing in (ZaloOaToken.current(), refreshed, transport.stored_token, transport.client):
            assert secret not in repr(thing) and secret not in str(thing)


def test_a_refresh_answered_without_a_refresh_token_is_refused_not_stored_empty(
        stored_zns, fake_zalo, make_worker, fake_sms, logs):
    stale = load_oa_token(stored_zns, fake_zalo, expires_in=60)
    fake_zalo.omit_refresh_token = True
    message = enqueue_committed()

    assert make_worker().run_once() == {"sent": 1}

    assert attempts_of(message) == [("zns", False, "auth_failed"), ("sms", True, None)]
    row = ZaloOaToken.current()
    assert row.refresh_token == stale.refresh_token  # never overwritten with nothing
    assert row.access_token == stale.access_token
    assert (row.refusal, row.refused_at is not None) == ("no_refresh_token", True)
    [error] = errors(logs)
    assert error.startswith("Zalo answered the OA token refresh without a new refresh token")
    assert "flask notifications zns-token" in error
