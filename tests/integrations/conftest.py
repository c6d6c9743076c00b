"""Fixtures: each fake served on its own loopback port, and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes import FakeEsms, FakeSmsGateway, FakeZalo, serve_wsgi
from tests.integrations.constants import PATIENT_TIMEOUT, REDIRECT_URI, SHORT_TIMEOUT
from webapp.integrations.esms import EsmsClient
from webapp.integrations.sms_gateway import SmsGatewayClient
from webapp.integrations.zalo_oauth import ZaloOAuthClient
from webapp.integrations.zalo_zns import ZnsClient


@pytest.fixture
def fake_zalo() -> FakeZalo:
    return FakeZalo(allowed_redirect_uris={REDIRECT_URI})


@pytest.fixture
def zalo_url(fake_zalo: FakeZalo) -> Iterator[str]:
    with serve_wsgi(fake_zalo) as url:
        yield url


@pytest.fixture
def oauth_client(fake_zalo: FakeZalo, zalo_url: str) -> ZaloOAuthClient:
    return ZaloOAuthClient(
        fake_zalo.app_id,
        fake_zalo.secret_key,
        REDIRECT_URI,
        oauth_base=zalo_url,
        graph_base=zalo_url,
        timeout=PATIENT_TIMEOUT,
    )


@pytest.fixture
def zns_client(fake_zalo: FakeZalo, zalo_url: str) -> ZnsClient:
    return ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url, timeout=PATIENT_TIMEOUT)


@pytest.fixture
def fake_sms() -> FakeSmsGateway:
    return FakeSmsGateway()


@pytest.fixture
def sms_url(fake_sms: FakeSmsGateway) -> Iterator[str]:
    with serve_wsgi(fake_sms) as url:
        yield url


@pytest.fixture
def sms_client(fake_sms: FakeSmsGateway, sms_url: str) -> SmsGatewayClient:
    return SmsGatewayClient(sms_url, fake_sms.api_key, "TAYNINH-DVC", timeout=PATIENT_TIMEOUT)


@pytest.fixture
def fake_esms() -> FakeEsms:
    return FakeEsms()


@pytest.fixture
def esms_url(fake_esms: FakeEsms) -> Iterator[str]:
    with serve_wsgi(fake_esms) as url:
        yield url


@pytest.fixture
def esms_client(fake_esms: FakeEsms, esms_url: str) -> EsmsClient:
    return EsmsClient(fake_esms.api_key, fake_esms.secret_key, "TAYNINH-DVC", base=esms_url,
                      timeout=PATIENT_TIMEOUT)


@pytest.fixture
def impatient_esms_client(fake_esms: FakeEsms, esms_url: str) -> EsmsClient:
    """A client that gives up before a deliberately slow answer (SLOW_ANSWER) comes."""
    return EsmsClient(fake_esms.api_key, fake_esms.secret_key, "TAYNINH-DVC", base=esms_url,
                      timeout=SHORT_TIMEOUT)
