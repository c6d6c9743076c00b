"""The eSMS.vn client against FakeEsms: what it sends, and what each answer means."""

from __future__ import annotations

import logging

import pytest

from tests.fakes import FakeEsms, closed_port_url
from tests.integrations.constants import SHORT_TIMEOUT, SLOW_ANSWER
from webapp.integrations.esms import EsmsClient, request_id
from webapp.integrations.results import SendError

TEXT = "Hồ sơ TN-7K4-Q2M9 đã có kết quả."


def test_send_success(esms_client: EsmsClient, fake_esms: FakeEsms) -> None:
    result = esms_client.send("0912 345 678", TEXT, "dossier-event-1")

    [sent] = fake_esms.sent_messages
    assert result.ok and result.provider_message_id == sent["SMSID"]
    assert {key: sent[key] for key in ("ApiKey", "SecretKey", "Phone", "Content", "Brandname",
                                        "SmsType", "IsUnicode", "Sandbox", "RequestId")} == {
        "ApiKey": fake_esms.api_key, "SecretKey": fake_esms.secret_key,
        "Phone": "0912345678", "Content": TEXT, "Brandname": "TAYNINH-DVC", "SmsType": "2",
        "IsUnicode": "1", "Sandbox": "0", "RequestId": "dossier-event-1"}
    assert "CallbackUrl" not in sent  # no delivery reports asked for


def test_text_without_diacritics_is_not_unicode(esms_client: EsmsClient,
                                                fake_esms: FakeEsms) -> None:
    assert esms_client.send("0912345678", "Ho so da co ket qua.", "r-1").ok
    assert fake_esms.sent_messages[0]["IsUnicode"] == "0"


def test_a_retry_after_a_lost_answer_is_not_sent_twice(
    esms_client: EsmsClient, impatient_esms_client: EsmsClient, fake_esms: FakeEsms
) -> None:
    fake_esms.fail_next(delay=SLOW_ANSWER)  # eSMS takes it, the answer comes too late

    lost = impatient_esms_client.send("0912345678", TEXT, "dossier-event-2")
    retried = esms_client.send("0912345678", TEXT, "dossier-event-2")

    assert (lost.ok, lost.error_code, lost.retryable) == (False, SendError.TIMEOUT, True)
    assert retried.ok and retried.provider_message_id is None  # 124 "Request exist"
    assert len(fake_esms.sent_messages) == 1
    assert fake_esms.balance == 1_000_000 - 800  # charged once


def test_long_references_become_a_stable_request_id(esms_client: EsmsClient,
                                                    fake_esms: FakeEsms) -> None:
    reference = "backoffice-dossier-event-" + "x" * 60
    assert len(request_id(reference)) <= 50 and request_id(reference) == request_id(reference)
    assert request_id(reference) != request_id(reference + "y")

    esms_client.send("0912345678", TEXT, reference)
    assert esms_client.send("0912345678", TEXT, reference).provider_message_id is None
    assert len(fake_esms.sent_messages) == 1


def test_text_outside_the_registered_templates_is_refused_for_good(
    esms_client: EsmsClient, fake_esms: FakeEsms
) -> None:
    fake_esms.register_templates(["Ho so {P1,20} da co ket qua."])

    assert esms_client.send("0912345678", "Ho so TN-7K4-Q2M9 da co ket qua.", "r-2").ok
    refused = esms_client.send("0912345678", "Ho so TN-7K4-Q2M9 da xong.", "r-3")

    assert (refused.error_code, refused.retryable) == (SendError.SMS_TEMPLATE_MISMATCH, False)
    assert refused.error_detail.startswith("esms 146:")
    assert len(fake_esms.sent_messages) == 1


def test_placeholders_have_their_registered_length(esms_client: EsmsClient,
                                                   fake_esms: FakeEsms) -> None:
    fake_esms.register_templates(["Ma {P1,6}."])
    assert esms_client.send("0912345678", "Ma 482913.", "r-4").ok
    assert not esms_client.send("0912345678", "Ma 4829130.", "r-5").ok


def test_low_balance_is_retried_while_someone_tops_up(esms_client: EsmsClient,
                                                      fake_esms: FakeEsms) -> None:
    fake_esms.balance = 100
    low = esms_client.send("0912345678", TEXT, "r-6")
    fake_esms.balance = 50_000
    assert (low.error_code, low.retryable) == (SendError.BALANCE_TOO_LOW, True)
    assert low.error_detail.startswith("esms 103:")
    assert esms_client.send("0912345678", TEXT, "r-6").ok


@pytest.mark.parametrize(("change", "expected"), [
    (lambda fake: setattr(fake, "secret_key", "rotated"), SendError.AUTH_FAILED),
    (lambda fake: fake.brandnames.clear(), SendError.PROVIDER_CONFIGURATION),
    (lambda fake: fake.blocked_phones.add("0912345678"), SendError.RECIPIENT_CANNOT_RECEIVE),
])
def test_account_and_recipient_refusals_are_final(esms_client: EsmsClient, fake_esms: FakeEsms,
                                                  change, expected: SendError) -> None:
    change(fake_esms)
    result = esms_client.send("0912345678", TEXT, "r-7")
    assert (result.ok, result.error_code, result.retryable) == (False, expected, False)
    assert fake_esms.sent_messages == []


def test_invalid_phone_is_refused_before_any_request(esms_client: EsmsClient,
                                                     fake_esms: FakeEsms) -> None:
    result = esms_client.send("0276 3822 222", TEXT, "r-8")
    assert (result.error_code, result.retryable) == (SendError.INVALID_PHONE, False)
    assert fake_esms.requests == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(esms_client: EsmsClient, fake_esms: FakeEsms,
                                   status: int) -> None:
    fake_esms.fail_next(http_status=status)
    result = esms_client.send("0912345678", TEXT, "r-9")
    assert (result.error_code, result.retryable) == (SendError.PROVIDER_UNAVAILABLE, True)
    assert esms_client.send("0912345678", TEXT, "r-9").ok
    assert len(fake_esms.sent_messages) == 1


def test_connection_refused_is_retried() -> None:
    client = EsmsClient("k", "s", "B", base=closed_port_url(), timeout=SHORT_TIMEOUT)
    result = client.send("0912345678", TEXT, "r-10")
    assert (result.error_code, result.retryable) == (SendError.NETWORK, True)


def test_sandbox_is_checked_but_neither_charged_nor_delivered(
    fake_esms: FakeEsms, esms_url: str
) -> None:
    client = EsmsClient(fake_esms.api_key, fake_esms.secret_key, "TAYNINH-DVC", base=esms_url,
                        sandbox=True)
    assert client.send("0912345678", TEXT, "r-11").ok
    assert fake_esms.sent_messages == [] and fake_esms.balance == 1_000_000
    assert fake_esms.sandbox_messages[0]["Sandbox"] == "1"
    fake_esms.brandnames.clear()
    assert client.send("0912345678", TEXT, "r-12").error_code == (
        SendError.PROVIDER_CONFIGURATION)  # still checked


def test_callback_url_is_sent_when_configured(fake_esms: FakeEsms, esms_url: str) -> None:
    callback = "https://dichvucong.example.vn/bao-cao-tin-nhan/esms/s3cr3t"
    client = EsmsClient(fake_esms.api_key, fake_esms.secret_key, "TAYNINH-DVC", base=esms_url,
                        callback_url=callback)
    assert client.send("0912345678", TEXT, "r-13").ok
    assert fake_esms.sent_messages[0]["CallbackUrl"] == callback
    assert "s3cr3t" not in repr(client)


def test_logs_carry_no_phone_number_nor_secret(fake_esms: FakeEsms, esms_url: str,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = EsmsClient(fake_esms.api_key, fake_esms.secret_key, "TAYNINH-DVC", base=esms_url,
                        timeout=SHORT_TIMEOUT, callback_url="https://x.example/c/s3cr3t")
    fake_esms.register_templates([])
    client.send("0912345678", TEXT, "r-14")  # 146
    fake_esms.fail_next(delay=SLOW_ANSWER)
    client.send("0912345678", TEXT, "r-15")  # timeout
    assert "esms" in caplog.text.lower()
    for secret in ("912345678", "912 345 678", fake_esms.secret_key, "s3cr3t"):
        assert secret not in caplog.text
