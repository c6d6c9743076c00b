"""The province texts only numbers a citizen confirmed with a code, and every link it sends is
on its own public address, whatever Host header the visitor sent (issue 10, hole 3)."""

from __future__ import annotations

from tests.conftest import make_app
from tests.dossiers.helpers import (
    answer,
    error_message,
    path_of,
    post,
    send,
    signed_in_with_draft,
    submission_key,
)
from webapp.accounts.models import Citizen
from webapp.core.db import database
from webapp.dossiers.models import Dossier
from webapp.notifications.models import OutboxMessage

STRANGER = "0987 111 222"  # nobody confirmed this number
UNVERIFIED = "chỉ gửi tới số điện thoại Ông/Bà đã xác nhận"


def _messages_to(app, phone: str) -> list[OutboxMessage]:
    with app.app_context(), database.connection_context():
        return list(OutboxMessage.select().where(OutboxMessage.phone == phone))


def _dossiers_of(app, citizen) -> list[Dossier]:
    with app.app_context(), database.connection_context():
        return list(Dossier.select().where(Dossier.citizen == citizen.id))


def test_an_unconfirmed_contact_number_is_refused_beside_the_field(client, app):
    citizen, check = signed_in_with_draft(client)
    phone_question = check.replace("/kiem-tra", "/cau-hoi/phone")
    response = post(client, phone_question, {"phone": STRANGER})
    assert response.status_code == 200
    assert UNVERIFIED in error_message(response)
    assert STRANGER in response.get_data(as_text=True)  # what she typed is kept
    # Her confirmed number is still the answer, and goes through.
    assert answer(client, phone_question, phone=citizen.phone)


def test_a_number_changed_since_the_answer_sends_nothing_and_says_why(client, app):
    citizen, check = signed_in_with_draft(client)
    key = submission_key(client, check)
    with app.app_context(), database.connection_context():
        Citizen.update(phone="0912000111").where(Citizen.id == citizen.id).execute()
    response = send(client, check, key)
    assert response.status_code == 303
    recheck = client.get(path_of(response.location))
    assert "/cau-hoi/phone" in response.location
    assert UNVERIFIED in error_message(recheck)
    assert _dossiers_of(app, citizen) == []
    assert _messages_to(app, citizen.phone) == []


def test_links_in_messages_ignore_the_visitors_host_header(database_url):
    app = make_app(database_url, SERVER_NAME=None,
                   PUBLIC_BASE_URL="https://dichvucong.tayninh.example")
    client = app.test_client()
    evil = {"Host": "tayninh-smart.gov.vn.evil.example"}
    client.environ_base["HTTP_HOST"] = evil["Host"]
    citizen, check = signed_in_with_draft(client)
    assert send(client, check, submission_key(client, check)).status_code == 303
    (message,) = _messages_to(app, citizen.phone)[-1:]
    assert "evil.example" not in message.text
    assert "https://dichvucong.tayninh.example/tra-cuu-ho-so" in message.text


def test_production_refuses_hosts_other_than_its_own(database_url):
    app = make_app(database_url, SERVER_NAME=None, TRUSTED_HOSTS=["dichvucong.tayninh.example"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "dichvucong.tayninh.example"}).status_code == 200
    assert client.get("/", headers={"Host": "tayninh-smart.gov.vn.evil.example"}
                      ).status_code == 400
