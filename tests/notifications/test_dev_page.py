"""The development page /dev/tin-nhan: only in development, shows whole messages, sends a
test message, and sends waiting messages when no worker runs."""

from __future__ import annotations

import pytest

from tests.conftest import make_app
from tests.notifications.conftest import clear_outbox
from webapp.core import db
from webapp.notifications.models import PENDING, SENT, OutboxMessage
from webapp.notifications.outbox import enqueue


@pytest.fixture
def app(database_url):
    """The app in development with local messages (`client` and `client_page` use it)."""
    app = make_app(database_url, APP_ENV="development", NOTIFY_TRANSPORTS="development")
    with app.app_context(), db.database.connection_context():
        clear_outbox()
    yield app
    if not db.database.is_closed():
        db.database.close()


@pytest.fixture
def dev_app(app):
    return app


@pytest.fixture
def dev_client(client):
    return client


def _csrf(client) -> str:
    client.get("/dev/tin-nhan")
    with client.session_transaction() as session:
        return session["csrf_token"]


def _messages():
    with db.database.connection_context():
        return list(OutboxMessage.select().order_by(OutboxMessage.id))


@pytest.mark.parametrize("settings", [
    {"APP_ENV": "production", "NOTIFY_TRANSPORTS": "development"},
    {"APP_ENV": "development", "NOTIFY_TRANSPORTS": "sms", "SMS_GATEWAY_URL": "http://x",
     "SMS_GATEWAY_API_KEY": "k", "SMS_SENDER": "s"},
])
def test_page_is_absent_outside_development(database_url, settings):
    client = make_app(database_url, **settings).test_client()
    assert client.get("/dev/tin-nhan").status_code == 404
    assert client.post("/dev/tin-nhan/gui-ngay").status_code in (400, 404)


def test_empty_page(dev_client, client_page):
    page = client_page("notifications_dev.messages")
    assert "Tin nhắn trên máy này" in page.text
    assert "Không có tin nhắn nào đang chờ." in page.text
    assert "Chưa có tin nhắn nào được gửi." in page.text


def test_sent_message_is_shown_in_full_with_its_number(dev_app, dev_client, client_page):
    with dev_app.app_context(), db.database.connection_context(), db.database.atomic():
        enqueue(template="test_message", phone="0912345678", data={"app_name": "Tây Ninh Smart"})
    page = client_page("notifications_dev.messages")
    assert "Có 1 tin nhắn đang chờ gửi." in page.text

    response = dev_client.post("/dev/tin-nhan/gui-ngay", data={"csrf_token": _csrf(dev_client)})

    assert response.status_code == 303
    page = client_page("notifications_dev.messages")
    assert "Đã gửi 1 tin nhắn." in page.text
    assert "Đây là tin nhắn thử của Tây Ninh Smart. Ông/Bà không cần làm gì." in page.text
    assert "Gửi tới 0912 345 678 lúc" in page.text
    assert "Không có tin nhắn nào đang chờ." in page.text


def test_test_message_goes_through_the_outbox(dev_client, client_page):
    response = dev_client.post("/dev/tin-nhan/gui-thu",
                               data={"csrf_token": _csrf(dev_client), "phone": "091 234 5678"})

    assert response.status_code == 303
    [message] = _messages()
    assert (message.status, message.phone, message.template) == (
        PENDING, "0912345678", "test_message")
    assert "Tin nhắn thử đang chờ gửi." in client_page("notifications_dev.messages").text


@pytest.mark.parametrize("typed,error", [
    ("", "Nhập số điện thoại di động."),
    ("0276 3822 222", "Nhập số điện thoại di động 10 chữ số, ví dụ 0912 345 678."),
])
def test_bad_number_is_explained_beside_the_field(dev_client, typed, error):
    response = dev_client.post("/dev/tin-nhan/gui-thu",
                               data={"csrf_token": _csrf(dev_client), "phone": typed})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Lỗi: Tin nhắn trên máy này" in html
    assert f'<span class="visually-hidden">Lỗi: </span>{error}</span>' in html
    assert f'value="{typed}"' in html
    assert _messages() == []


def test_posts_need_the_csrf_token(dev_client):
    assert dev_client.post("/dev/tin-nhan/gui-thu", data={"phone": "0912345678"}).status_code \
        == 400
    assert _messages() == []


def test_send_now_with_nothing_waiting(dev_client, client_page):
    dev_client.post("/dev/tin-nhan/gui-ngay", data={"csrf_token": _csrf(dev_client)})
    assert "Đã gửi 0 tin nhắn." in client_page("notifications_dev.messages").text
    assert {m.status for m in _messages()} <= {SENT}
