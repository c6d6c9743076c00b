"""ZNS template messages against FakeZalo: success, what each refusal means, and which failures
are worth retrying (never one whose answer was lost: ZNS would send it twice)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes import FakeZalo, closed_port_url
from tests.fakes.zalo import DEFAULT_TEMPLATE_ID
from tests.integrations.constants import SHORT_TIMEOUT, SLOW_ANSWER, impatient
from webapp.integrations.results import SendError
from webapp.integrations.zalo_oauth import ZaloOAuthClient, ZaloOAuthError, ZaloUnavailable
from webapp.integrations.zalo_zns import ZnsClient, to_zalo_phone

DATA = {"ho_ten": "Nguyễn Văn An", "ma_ho_so": "HS-2025-0001", "trang_thai": "Đã có kết quả"}


def _send(
    client: ZnsClient,
    phone: str = "0912345678",
    data: dict | None = None,
    template: str = DEFAULT_TEMPLATE_ID,
):
    return client.send_template(
        phone, template, DATA if data is None else data, tracking_id="track-1"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "091.234.5678",
        "+84912345678",
        "84912345678",
        "0084912345678",
        "+84 0912 345 678",
        "(+84) 912-345-678",
    ],
)
def test_to_zalo_phone_accepts_common_spellings(raw: str) -> None:
    assert to_zalo_phone(raw) == "84912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345",
        "02763822222",
        "0276 3822 222",
        "091234567",
        "09123456789",
        "+1 415 555 0100",
        "abc",
    ],
)
def test_to_zalo_phone_refuses_landlines_and_junk(raw: str) -> None:
    with pytest.raises(ValueError):
        to_zalo_phone(raw)


def test_send_success(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    result = _send(zns_client)

    assert result.ok and not result.retryable and result.error_code is None
    [sent] = fake_zalo.sent_messages
    assert result.provider_message_id == sent["msg_id"]
    assert sent["phone"] == "84912345678"
    assert sent["template_id"] == DEFAULT_TEMPLATE_ID
    assert sent["template_data"] == DATA
    assert sent["tracking_id"] == "track-1"
    assert "mode" not in sent


def test_development_mode_is_sent(fake_zalo: FakeZalo, zalo_url: str) -> None:
    client = ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url, development_mode=True)
    assert _send(client).ok
    assert fake_zalo.sent_messages[0]["mode"] == "development"


def test_development_mode_reaches_only_admins(fake_zalo: FakeZalo, zalo_url: str) -> None:
    fake_zalo.dev_admin_phones = {"84987654321"}
    client = ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url, development_mode=True)
    assert _send(client, phone="0987654321").ok
    refused = _send(client, phone="0912345678")
    assert (refused.error_code, refused.retryable) == (SendError.PROVIDER_CONFIGURATION, False)


def test_invalid_phone_is_refused_before_any_request(
    zns_client: ZnsClient, fake_zalo: FakeZalo
) -> None:
    result = _send(zns_client, phone="0276 3822 222")
    assert (result.ok, result.error_code, result.retryable) == (
        False,
        SendError.INVALID_PHONE,
        False,
    )
    assert fake_zalo.zns_requests == []


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("999999", DATA, SendError.INVALID_TEMPLATE),
        (DEFAULT_TEMPLATE_ID, {}, SendError.INVALID_TEMPLATE_DATA),
        (DEFAULT_TEMPLATE_ID, {"ho_ten": "An"}, SendError.INVALID_TEMPLATE_DATA),
        (DEFAULT_TEMPLATE_ID, {**DATA, "ho_ten": "x" * 31}, SendError.INVALID_TEMPLATE_DATA),
        (DEFAULT_TEMPLATE_ID, {**DATA, "them": "thừa"}, SendError.INVALID_TEMPLATE_DATA),
    ],
)
def test_bad_template_or_data_is_not_retried(
    zns_client: ZnsClient, fake_zalo: FakeZalo, template: str, data: dict, expected: SendError
) -> None:
    result = _send(zns_client, data=data, template=template)
    assert (result.ok, result.error_code, result.retryable) == (False, expected, False)
    assert result.error_detail and result.error_detail.startswith("zns -1")
    assert fake_zalo.sent_messages == []


def test_number_without_zalo_account(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.no_zalo_account.add("84912345678")
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.NO_ZALO_ACCOUNT, False)


def test_person_who_refused_the_oa(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.refused_oa.add("84912345678")
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.RECIPIENT_REFUSED, False)


@pytest.mark.parametrize(
    ("zalo_error", "expected", "retryable"),
    [
        (-100, SendError.PROVIDER_ERROR, True),
        # a token problem: retried once the token is refreshed
        (-124, SendError.TOKEN_INVALID, True),
        (-216, SendError.TOKEN_INVALID, True),
        (-220, SendError.TOKEN_INVALID, True),
        # quotas and the night: retried at a known time
        (-126, SendError.DAILY_QUOTA, True),
        (-133, SendError.OUTSIDE_SENDING_HOURS, True),
        (-144, SendError.DAILY_QUOTA, True),
        (-147, SendError.DAILY_QUOTA, True),
        # the recipient cannot get ZNS: SMS at once
        (-108, SendError.INVALID_PHONE, False),
        (-110, SendError.RECIPIENT_CANNOT_RECEIVE, False),
        (-114, SendError.RECIPIENT_INACTIVE, False),
        (-118, SendError.NO_ZALO_ACCOUNT, False),
        (-119, SendError.RECIPIENT_CANNOT_RECEIVE, False),
        (-139, SendError.RECIPIENT_REFUSED, False),
        (-141, SendError.RECIPIENT_REFUSED, False),
        # our template, data, app or OA is wrong: an operator must act; SMS at once
        (-101, SendError.PROVIDER_CONFIGURATION, False),
        (-105, SendError.PROVIDER_CONFIGURATION, False),
        (-109, SendError.INVALID_TEMPLATE, False),
        (-111, SendError.INVALID_TEMPLATE_DATA, False),
        (-112, SendError.INVALID_TEMPLATE_DATA, False),
        (-1121, SendError.INVALID_TEMPLATE_DATA, False),
        (-1122, SendError.INVALID_TEMPLATE_DATA, False),
        (-1124, SendError.INVALID_TEMPLATE_DATA, False),
        (-115, SendError.BALANCE_TOO_LOW, False),
        (-117, SendError.TEMPLATE_NOT_ALLOWED, False),
        (-1241, SendError.APPSECRET_PROOF_INVALID, False),
        (-125, SendError.OA_INVALID, False),
        (-131, SendError.INVALID_TEMPLATE, False),
        (-135, SendError.PROVIDER_CONFIGURATION, False),
        (-1351, SendError.OA_BLOCKED, False),
        (-145, SendError.TEMPLATE_DISABLED, False),
        (-146, SendError.TEMPLATE_DISABLED, False),
        (-9999, SendError.PROVIDER_ERROR, False),
    ],
)
def test_zalo_error_codes_are_classified(
    zns_client: ZnsClient,
    fake_zalo: FakeZalo,
    zalo_error: int,
    expected: SendError,
    retryable: bool,
) -> None:
    fake_zalo.fail_next("template", error=zalo_error)
    result = _send(zns_client)
    assert (result.ok, result.error_code, result.retryable) == (False, expected, retryable)
    assert str(zalo_error) in (result.error_detail or "")


def test_expired_token_is_retryable_and_next_token_works(
    fake_zalo: FakeZalo, zalo_url: str
) -> None:
    tokens = iter(["stale-token", fake_zalo.oa_access_token])
    client = ZnsClient(lambda: next(tokens), base=zalo_url)

    first = _send(client)
    second = _send(client)

    assert (first.error_code, first.retryable) == (SendError.TOKEN_INVALID, True)
    assert second.ok
    assert len(fake_zalo.sent_messages) == 1


def test_token_provider_unavailable_is_retryable(fake_zalo: FakeZalo, zalo_url: str) -> None:
    def provider() -> str:
        raise ZaloUnavailable("timeout")

    result = _send(ZnsClient(provider, base=zalo_url))
    assert (result.error_code, result.retryable) == (SendError.PROVIDER_UNAVAILABLE, True)
    assert fake_zalo.zns_requests == []


def test_refused_refresh_token_needs_a_person(fake_zalo: FakeZalo, zalo_url: str) -> None:
    def provider() -> str:
        raise ZaloOAuthError("-14014", "Invalid refresh token")

    result = _send(ZnsClient(provider, base=zalo_url))
    assert (result.error_code, result.retryable) == (SendError.AUTH_FAILED, False)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retryable(
    zns_client: ZnsClient, fake_zalo: FakeZalo, status: int
) -> None:
    fake_zalo.fail_next("template", http_status=status)
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.PROVIDER_UNAVAILABLE, True)
    assert _send(zns_client).ok  # only the next call was told to fail


def test_gateway_timeout_is_an_answer_lost(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("template", http_status=504)
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.ANSWER_LOST, False)


def test_rate_limit_is_retryable(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("template", http_status=429)
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.RATE_LIMITED, True)
    assert _send(zns_client).ok


def test_fail_next_counts(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("template", count=2, error=-144)
    results = [_send(zns_client) for _ in range(3)]
    assert [r.ok for r in results] == [False, False, True]


def test_unreadable_answer_is_not_sent_again(zns_client: ZnsClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("template", http_status=200)  # 200 with a text body
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.ANSWER_LOST, False)


def test_timeout_after_zalo_sent_is_an_answer_lost(
    zns_client: ZnsClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("template", delay=SLOW_ANSWER)  # Zalo sends, then answers too late
    result = _send(impatient(zns_client))
    assert (result.ok, result.error_code, result.retryable) == (
        False, SendError.ANSWER_LOST, False)
    assert len(fake_zalo.sent_messages) == 1  # it did go out: a retry would send it twice


def test_connection_refused_is_retryable() -> None:
    client = ZnsClient(lambda: "t", base=closed_port_url(), timeout=SHORT_TIMEOUT)
    result = _send(client)
    assert (result.error_code, result.retryable) == (SendError.NETWORK, True)


def test_only_the_newest_oa_token_is_accepted(
    fake_zalo: FakeZalo, zalo_url: str, oauth_client: ZaloOAuthClient
) -> None:
    before = fake_zalo.oa_access_token
    tokens = oauth_client.refresh_oa(fake_zalo.grant_oa_refresh_token())

    def send_with(token: str):
        return _send(ZnsClient(lambda: token, base=zalo_url))

    assert send_with(before).error_code == SendError.TOKEN_INVALID
    assert send_with(tokens.access_token).ok
    fake_zalo.expire_oa_access_tokens()
    assert send_with(tokens.access_token).error_code == SendError.TOKEN_INVALID


@pytest.mark.parametrize("error", [-124, -216, -220])
def test_ended_tokens_are_refused_with_zalos_code(
    zns_client: ZnsClient, fake_zalo: FakeZalo, error: int
) -> None:
    fake_zalo.expire_oa_access_tokens(error=error)
    result = _send(zns_client)
    assert (result.error_code, result.retryable) == (SendError.TOKEN_INVALID, True)
    assert f"zns {error}" in (result.error_detail or "")


@pytest.mark.parametrize(
    ("arrange", "zalo_error", "expected"),
    [
        (lambda fake: fake.inactive.add("84912345678"), -114, SendError.RECIPIENT_INACTIVE),
        (lambda fake: setattr(fake, "out_of_balance", True), -115, SendError.BALANCE_TOO_LOW),
        (lambda fake: fake.templates_not_allowed.add(DEFAULT_TEMPLATE_ID), -117,
         SendError.TEMPLATE_NOT_ALLOWED),
        (lambda fake: fake.disabled_templates.add(DEFAULT_TEMPLATE_ID), -146,
         SendError.TEMPLATE_DISABLED),
        (lambda fake: setattr(fake, "oa_blocked", True), -1351, SendError.OA_BLOCKED),
        (lambda fake: setattr(fake, "daily_quota", 0), -144, SendError.DAILY_QUOTA),
    ],
)
def test_the_fake_refuses_as_zalo_does(
    zns_client: ZnsClient, fake_zalo: FakeZalo, arrange, zalo_error: int, expected: SendError
) -> None:
    arrange(fake_zalo)
    result = _send(zns_client)
    assert result.error_code == expected
    assert (result.error_detail or "").startswith(f"zns {zalo_error}:")
    assert fake_zalo.sent_messages == []


def test_daily_quota_counts_the_days_sends(fake_zalo: FakeZalo, zns_client: ZnsClient) -> None:
    fake_zalo.daily_quota = 2
    results = [_send(zns_client) for _ in range(3)]
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].error_code == SendError.DAILY_QUOTA


@pytest.mark.parametrize(("utc_hour", "night"), [
    (14, False),  # 21:00 in Vietnam
    (15, True),  # 22:00
    (20, True),  # 03:00
    (22, True),  # 05:00
    (23, False),  # 06:00
    (2, False),  # 09:00
])
def test_no_zns_at_night_in_vietnam(
    fake_zalo: FakeZalo, zns_client: ZnsClient, utc_hour: int, night: bool
) -> None:
    fake_zalo.night_blackout = True
    fake_zalo.clock = lambda: dt.datetime(2026, 3, 2, utc_hour, 0)
    result = _send(zns_client)
    assert result.ok is not night
    if night:
        assert (result.error_code, result.retryable) == (SendError.OUTSIDE_SENDING_HOURS, True)


def test_appsecret_proof_is_sent_when_the_secret_is_known(
    fake_zalo: FakeZalo, zalo_url: str
) -> None:
    fake_zalo.require_zns_proof = True
    without = ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url)
    wrong = ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url, app_secret="not-it")
    right = ZnsClient(lambda: fake_zalo.oa_access_token, base=zalo_url,
                      app_secret=fake_zalo.secret_key)

    assert _send(without).error_code == SendError.APPSECRET_PROOF_INVALID
    assert _send(wrong).error_code == SendError.APPSECRET_PROOF_INVALID
    assert _send(right).ok
    assert len(fake_zalo.sent_messages) == 1
