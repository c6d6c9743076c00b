"""Fixtures for the notifications room: an app wired to the fake Zalo and SMS servers (the
generic gateway, or eSMS), an empty outbox, a clock the tests can move forward, two message
kinds to send, and the Zalo OA token stored in the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask_babel import lazy_gettext

from tests.conftest import make_app
from tests.fakes import FakeEsms, FakeSmsGateway, FakeZalo, serve_wsgi
from tests.fakes.zalo import DEFAULT_TEMPLATE_ID
from tests.integrations.constants import PATIENT_TIMEOUT
from webapp.core import db
from webapp.core.clock import utcnow
from webapp.notifications.models import OutboxAttempt, OutboxMessage, ZaloOaToken
from webapp.notifications.outbox import enqueue
from webapp.notifications.templates import register
from webapp.notifications.transports import stored_oa_token
from webapp.notifications.worker import Worker

PHONE = "0987 654 321"
MSISDN_LOCAL = "0987654321"  # PHONE as the SMS gateways write it
# Every spelling of PHONE that would give it away in a log line.
PHONE_SPELLINGS = ("987654321", "987 654 321", "987.654.321", "654 321", "654321")
SENDER = "TAYNINH-DVC"

# A kind with an approved ZNS template (the fake's default one) and an SMS text.
DOSSIER_STATUS = register(
    "test_dossier_status",
    text=lazy_gettext("Dossier %(ma_ho_so)s of %(ho_ten)s: %(trang_thai)s."),
    zns_setting="ZNS_TEMPLATE_TEST_DOSSIER_STATUS",
    zns_params=["ho_ten", "ma_ho_so", "trang_thai"],
)
DOSSIER_DATA = {"ho_ten": "Nguyễn Thị Tư", "ma_ho_so": "HS-2026-0001",
                "trang_thai": "Đã có kết quả"}
# A kind whose ZNS template is not configured: it always goes by SMS.
SIGN_IN_CODE = register(
    "test_sign_in_code",
    text=lazy_gettext("Code %(code)s."),
    zns_setting="ZNS_TEMPLATE_TEST_SIGN_IN_CODE",
    zns_params=["code"],
)


# A provider that answers later than the worker waits: the worker's timeout in tests that lose
# an answer (`impatient`), and the fakes' delay. Generous, so that on a busy machine only the
# deliberately late answer is late.
IMPATIENT_TIMEOUT = 1.0
LATE_ANSWER = 2.5


class Clock:
    """Real time plus an offset the test moves forward, so retries come due without waiting."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)

    def set(self, moment: dt.datetime) -> None:
        """Make it `moment` (naive UTC) now, and let time run on from there."""
        self.offset = moment - utcnow()


def clear_outbox() -> None:
    OutboxAttempt.delete().execute()
    OutboxMessage.delete().execute()


@pytest.fixture
def fake_zalo() -> FakeZalo:
    return FakeZalo()


@pytest.fixture
def fake_sms() -> FakeSmsGateway:
    return FakeSmsGateway(senders={SENDER})


@pytest.fixture
def zalo_url(fake_zalo) -> Iterator[str]:
    with serve_wsgi(fake_zalo) as url:
        yield url


@pytest.fixture
def sms_url(fake_sms) -> Iterator[str]:
    with serve_wsgi(fake_sms) as url:
        yield url


@pytest.fixture
def fake_esms() -> FakeEsms:
    return FakeEsms(brandnames={SENDER})


@pytest.fixture
def esms_url(fake_esms) -> Iterator[str]:
    with serve_wsgi(fake_esms) as url:
        yield url


def provider_settings(fake_zalo: FakeZalo, zalo_url: str, fake_sms: FakeSmsGateway,
                      sms_url: str) -> dict:
    """Configuration pointing the real transports at the fakes (ZNS first, then SMS)."""
    return {
        "NOTIFY_TRANSPORTS": "zns,sms",
        "NOTIFY_HTTP_TIMEOUT": PATIENT_TIMEOUT,
        "ZNS_BASE_URL": zalo_url,
        "ZNS_ACCESS_TOKEN": fake_zalo.oa_access_token,
        "ZNS_TEMPLATE_TEST_DOSSIER_STATUS": DEFAULT_TEMPLATE_ID,
        "SMS_GATEWAY_URL": sms_url,
        "SMS_GATEWAY_API_KEY": fake_sms.api_key,
        "SMS_SENDER": SENDER,
    }


@pytest.fixture
def notify_app(database_url, fake_zalo, zalo_url, fake_sms, sms_url) -> Iterator[Flask]:
    """An app whose transports are ZNS then SMS, both fakes; inside its context, with an
    open connection, an empty outbox and no stored Zalo OA token."""
    app = make_app(database_url, **provider_settings(fake_zalo, zalo_url, fake_sms, sms_url))
    with app.app_context(), db.database.connection_context():
        clear_outbox()
        ZaloOaToken.delete().execute()
        yield app
    if not db.database.is_closed():
        db.database.close()


@pytest.fixture
def esms_app(notify_app, fake_esms, esms_url) -> Flask:
    """notify_app with SMS through eSMS's own API (the fake), delivery reports not asked for."""
    notify_app.config.update(SMS_PROVIDER="esms", ESMS_API_KEY=fake_esms.api_key,
                             ESMS_SECRET_KEY=fake_esms.secret_key, ESMS_BASE_URL=esms_url)
    return notify_app


@pytest.fixture
def impatient(notify_app) -> Flask:
    """notify_app with workers that stop waiting after IMPATIENT_TIMEOUT."""
    notify_app.config["NOTIFY_HTTP_TIMEOUT"] = IMPATIENT_TIMEOUT
    return notify_app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_worker(notify_app, clock):
    """Build a worker like `flask notifications send` does, on the test's clock."""

    def build(**policy) -> Worker:
        worker = Worker.from_config(notify_app.config, clock=clock)
        if policy:
            worker.policy = dataclasses.replace(worker.policy, **policy)
        return worker

    return build


def enqueue_committed(template=DOSSIER_STATUS.key, phone=PHONE, data=None, reference=None):
    """Enqueue in a transaction of its own, as a view would around its event."""
    if data is None:
        data = DOSSIER_DATA if template == DOSSIER_STATUS.key else {"code": "482913"}
    with db.database.atomic():
        return enqueue(template=template, phone=phone, data=data, reference=reference)


def enqueue_at(clock: Clock, **kwargs) -> OutboxMessage:
    """Enqueue as `enqueue_committed` does, as if at the test clock's time."""
    message = enqueue_committed(**kwargs)
    now = clock()
    OutboxMessage.update(created_at=now, next_attempt_at=now).where(
        OutboxMessage.id == message.id).execute()
    return reload(message)


def reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.get_by_id(message.id)


def attempts_of(message: OutboxMessage) -> list[tuple]:
    """(transport, ok, error_code) of each recorded attempt, in order."""
    return [(a.transport, a.ok, a.error_code) for a in OutboxAttempt.for_message(message)]


@pytest.fixture
def stored_zns(notify_app, fake_zalo, zalo_url) -> Flask:
    """notify_app with ZNS taking the OA token from the database (none stored yet), and the
    Zalo app's id and secret to refresh it at the fake."""
    notify_app.config.update(ZNS_ACCESS_TOKEN="", ZALO_APP_ID=fake_zalo.app_id,
                             ZALO_SECRET_KEY=fake_zalo.secret_key, ZALO_OAUTH_BASE=zalo_url)
    return notify_app


def load_oa_token(app: Flask, fake_zalo: FakeZalo, *, expires_in: float | None = None,
                  refreshed_ago: float = 0) -> ZaloOaToken:
    """Store a real pair from the fake, as `flask notifications zns-token` does, then age it:
    expiring `expires_in` seconds from now, refreshed `refreshed_ago` seconds ago."""
    stored_oa_token(app.config).load(fake_zalo.grant_oa_refresh_token())
    changes = {ZaloOaToken.updated_at: utcnow() - dt.timedelta(seconds=refreshed_ago)}
    if expires_in is not None:
        changes[ZaloOaToken.expires_at] = utcnow() + dt.timedelta(seconds=expires_in)
    ZaloOaToken.update(changes).execute()
    return ZaloOaToken.current()


@pytest.fixture
def logs(caplog):
    """Everything our code and the HTTP library say (the SQL logger, which shows query
    parameters at DEBUG, is the database layer's concern and stays at INFO here)."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="webapp")
    caplog.set_level(logging.DEBUG, logger="urllib3")
    return caplog


def run_at_once(jobs: list[Callable[[], object]], timeout: float = 60) -> tuple[list, list]:
    """Run each job in a thread of its own, with its own connection, all released together
    (as processes racing each other); return (their results, the exceptions they raised)."""
    start = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job) -> None:
        try:
            with db.database.connection_context():
                start.wait()
                results.append(job())
        except Exception as error:  # surfaced to the test: a thread's failure must fail it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
