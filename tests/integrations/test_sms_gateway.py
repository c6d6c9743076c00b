"""The generic SMS gateway client against FakeSmsGateway."""

from __future__ import annotations

import pytest

from tests.fakes import FakeSmsGateway, closed_port_url
from tests.integrations.constants import (
    PATIENT_TIMEOUT,
    SHORT_TIMEOUT,
    SLOW_ANSWER,
    impatient,
)
from webapp.integrations.results import SendError
from webapp.integrations.sms_gateway import SmsGatewayClient

TEXT = "Ho so HS-2025-0001 da co ket qua. Moi ong/ba den nhan tai UBND xa."


def test_send_success(sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway) -> None:
    result = sms_client.send("0912 345 678", TEXT, reference="notif-1")

    assert result.ok and result.error_code is None
    assert fake_sms.sent_messages == [
        {
            "to": "84912345678",
            "from": "TAYNINH-DVC",
            "text": TEXT,
            "reference": "notif-1",
            "id": result.provider_message_id,
        }
    ]


def test_resend_with_same_reference_sends_once(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway
) -> None:
    first = sms_client.send("0912345678", TEXT, reference="notif-2")
    second = sms_client.send("+84912345678", TEXT, reference="notif-2")

    assert first.ok and second.ok
    assert first.provider_message_id == second.provider_message_id
    assert len(fake_sms.requests) == 2
    assert len(fake_sms.sent_messages) == 1


def test_retry_after_timeout_does_not_send_twice(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway
) -> None:
    fake_sms.fail_next(delay=SLOW_ANSWER)  # the gateway sends, but answers too late

    lost = impatient(sms_client).send("0912345678", TEXT, reference="notif-3")
    sms_client.timeout = PATIENT_TIMEOUT  # the retry must get its answer
    retried = sms_client.send("0912345678", TEXT, reference="notif-3")

    assert (lost.ok, lost.error_code, lost.retryable) == (False, SendError.TIMEOUT, True)
    assert retried.ok
    assert [m["reference"] for m in fake_sms.sent_messages] == ["notif-3"]


def test_same_reference_for_another_message_conflicts(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway
) -> None:
    assert sms_client.send("0912345678", TEXT, reference="notif-4").ok
    result = sms_client.send("0912345678", "another text", reference="notif-4")
    assert (result.error_code, result.retryable) == (SendError.REFERENCE_CONFLICT, False)
    assert len(fake_sms.sent_messages) == 1


def test_invalid_phone_is_refused_before_any_request(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway
) -> None:
    result = sms_client.send("0276 3822 222", TEXT, reference="notif-5")
    assert (result.error_code, result.retryable) == (SendError.INVALID_PHONE, False)
    assert fake_sms.requests == []


def test_gateway_validation_error_is_not_retried(sms_client: SmsGatewayClient) -> None:
    result = sms_client.send("0912345678", "   ", reference="notif-6")
    assert (result.ok, result.error_code, result.retryable) == (False, SendError.REJECTED, False)
    assert result.error_detail == "http_422: empty_text"


@pytest.mark.parametrize("status", [400, 422])
def test_client_errors_are_not_retried(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway, status: int
) -> None:
    fake_sms.fail_next(http_status=status)
    result = sms_client.send("0912345678", TEXT, reference="notif-7")
    assert (result.error_code, result.retryable) == (SendError.REJECTED, False)
    assert fake_sms.sent_messages == []


def test_wrong_api_key_is_a_configuration_problem(fake_sms: FakeSmsGateway, sms_url: str) -> None:
    client = SmsGatewayClient(sms_url, "wrong-key", "TAYNINH-DVC")
    result = client.send("0912345678", TEXT, reference="notif-8")
    assert (result.error_code, result.retryable, result.error_detail) == (
        SendError.AUTH_FAILED,
        False,
        "http_401: unauthorized",
    )


def test_unregistered_sender_is_a_configuration_problem(
    fake_sms: FakeSmsGateway, sms_url: str
) -> None:
    client = SmsGatewayClient(sms_url, fake_sms.api_key, "UNKNOWN")
    result = client.send("0912345678", TEXT, reference="notif-9")
    assert (result.error_code, result.retryable) == (SendError.AUTH_FAILED, False)


def test_rate_limit_is_retryable(sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway) -> None:
    fake_sms.fail_next(http_status=429)
    result = sms_client.send("0912345678", TEXT, reference="notif-10")
    assert (result.error_code, result.retryable) == (SendError.RATE_LIMITED, True)
    assert sms_client.send("0912345678", TEXT, reference="notif-10").ok


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retryable(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway, status: int
) -> None:
    fake_sms.fail_next(count=2, http_status=status)
    results = [sms_client.send("0912345678", TEXT, reference="notif-11") for _ in range(3)]
    assert [(r.error_code, r.retryable) for r in results[:2]] == [
        (SendError.PROVIDER_UNAVAILABLE, True)
    ] * 2
    assert results[2].ok
    assert len(fake_sms.sent_messages) == 1


def test_accepted_without_id_is_retryable(
    sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway
) -> None:
    fake_sms.fail_next(http_status=200)  # 200 whose body has no id
    result = sms_client.send("0912345678", TEXT, reference="notif-12")
    assert (result.error_code, result.retryable) == (SendError.BAD_RESPONSE, True)


def test_connection_refused_is_retryable() -> None:
    client = SmsGatewayClient(closed_port_url(), "k", "TAYNINH-DVC", timeout=SHORT_TIMEOUT)
    result = client.send("0912345678", TEXT, reference="notif-13")
    assert (result.error_code, result.retryable) == (SendError.NETWORK, True)


def test_api_key_stays_out_of_repr(sms_client: SmsGatewayClient, fake_sms: FakeSmsGateway) -> None:
    assert fake_sms.api_key not in repr(sms_client)
