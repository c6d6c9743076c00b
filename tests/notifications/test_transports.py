"""Choosing and configuring transports; SMS text without diacritics; the ZNS token file."""

from __future__ import annotations

import pytest

from tests.notifications.conftest import SIGN_IN_CODE, attempts_of, enqueue_committed
from webapp.notifications.transports import (
    NotificationSettingsError,
    SmsTransport,
    ZnsTransport,
    build_transports,
    development_page_enabled,
    to_ascii,
)

SMS_SETTINGS = {"SMS_GATEWAY_URL": "http://127.0.0.1:9", "SMS_GATEWAY_API_KEY": "k",
                "SMS_SENDER": "TAYNINH-DVC"}


def test_default_is_the_development_transport(app):
    assert [t.name for t in build_transports(app.config)] == ["development"]


def test_zns_then_sms(notify_app):
    transports = build_transports(notify_app.config)
    assert [type(t) for t in transports] == [ZnsTransport, SmsTransport]


@pytest.mark.parametrize("settings,complaint", [
    ({"NOTIFY_TRANSPORTS": ""}, "NOTIFY_TRANSPORTS is empty"),
    ({"NOTIFY_TRANSPORTS": "zns,carrier-pigeon"}, "at most once"),
    ({"NOTIFY_TRANSPORTS": "sms,sms", **SMS_SETTINGS}, "at most once"),
    ({"NOTIFY_TRANSPORTS": "sms"}, "SMS_GATEWAY_URL, SMS_GATEWAY_API_KEY, SMS_SENDER"),
    ({"NOTIFY_TRANSPORTS": "zns,sms", **SMS_SETTINGS},
     "needs ZALO_APP_ID, ZALO_SECRET_KEY to be set, to refresh the OA token .* \\(or set a fixed "
     "ZNS_ACCESS_TOKEN or ZNS_ACCESS_TOKEN_FILE"),
])
def test_unusable_settings_are_explained(settings, complaint):
    with pytest.raises(NotificationSettingsError, match=complaint):
        build_transports(settings)


@pytest.mark.parametrize("settings,enabled", [
    ({"APP_ENV": "development", "NOTIFY_TRANSPORTS": "development"}, True),
    ({"APP_ENV": "production", "NOTIFY_TRANSPORTS": "development"}, False),
    ({"APP_ENV": "development", "NOTIFY_TRANSPORTS": "zns,sms"}, False),
])
def test_development_page_only_with_local_messages_in_development(settings, enabled):
    assert development_page_enabled(settings) is enabled


def test_ascii_folding_keeps_the_words_readable():
    assert to_ascii("Hồ sơ HS-2026-0001 của Ông Đặng Văn Đức đã có kết quả “mới” – xem…") == (
        'Ho so HS-2026-0001 cua Ong Dang Van Duc da co ket qua "moi" - xem...')
    assert to_ascii("Mã 482913 ✓").isascii()


def test_sms_keeps_diacritics_unless_the_gateway_needs_ascii(notify_app, make_worker,
                                                            fake_sms):
    enqueue_committed(template="test_message", data={"app_name": "Tây Ninh Smart"},
                      reference="a")
    make_worker().run_once()
    notify_app.config["SMS_ASCII_ONLY"] = True
    enqueue_committed(template="test_message", data={"app_name": "Tây Ninh Smart"},
                      reference="b")
    make_worker().run_once()

    assert [m["text"] for m in fake_sms.sent_messages] == [
        "Đây là tin nhắn thử của Tây Ninh Smart. Ông/Bà không cần làm gì.",
        "Day la tin nhan thu cua Tay Ninh Smart. Ong/Ba khong can lam gi.",
    ]


def test_zns_token_is_read_from_its_file_at_every_send(notify_app, make_worker, clock,
                                                      fake_zalo, tmp_path):
    token_file = tmp_path / "zns-token"
    notify_app.config["ZNS_ACCESS_TOKEN_FILE"] = str(token_file)
    notify_app.config["NOTIFY_TRANSPORTS"] = "zns"
    worker = make_worker()
    message = enqueue_committed()

    assert worker.run_once() == {"retry": 1}  # no file yet: try again later
    token_file.write_text(fake_zalo.oa_access_token + "\n")  # a refresher wrote it
    clock.advance(3600)
    assert worker.run_once() == {"sent": 1}
    assert attempts_of(message) == [("zns", False, "provider_unavailable"), ("zns", True, None)]


def test_zns_only_without_template_fails_with_a_reason(notify_app, make_worker):
    notify_app.config["NOTIFY_TRANSPORTS"] = "zns"
    message = enqueue_committed(template=SIGN_IN_CODE.key)

    assert make_worker().run_once() == {"failed": 1}
    message = type(message).get_by_id(message.id)
    assert (message.last_error, message.attempts) == ("no_transport", 0)
