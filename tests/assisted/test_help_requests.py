""""Tôi cần người giúp" (issue 12): anyone asks (rate limited, a double tap is one request);
the commune's volunteers see it, one takes it (two at once: one winner, on both databases),
she is told, the taker calls and closes it with an outcome; her number is forgotten later."""

from __future__ import annotations

import datetime as dt
import random
import threading

from tests.accounts.helpers import create_staff, first_communes, sign_in_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import make_dossier
from tests.dossiers.helpers import path_of, post
from webapp.accounts.models import VOLUNTEER
from webapp.assisted import help_requests as service
from webapp.assisted import lifecycle as lc
from webapp.assisted.models import HelpRequest, HelpRequestEvent
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.tracking import lifecycle as tracked


def _ask(client, phone, commune, key="k" * 20, address="127.0.0.1", **fields):
    return post(client, "/can-giup-do", {"phone": phone, "commune": commune.code,
                                         "topic": "dossier", "request_key": key, **fields},
                environ_base={"REMOTE_ADDR": address})


def _made(app, phone, commune=None) -> HelpRequest:
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        return service.ask(phone=phone, commune=commune or first_communes(1)[0],
                           topic="dossier", details="", request_key=unique_phone() * 2)


def test_anyone_asks_and_a_double_tap_is_one_request(app, in_app, client):
    phone, [commune] = unique_phone(), first_communes(1)
    key = f"key-{phone}-xxxxxxxx"
    first = _ask(client, phone, commune, key)
    again = _ask(client, phone, commune, key)
    assert first.status_code == again.status_code == 303
    assert HelpRequest.select().where(HelpRequest.contact_phone == phone).count() == 1
    page = client.get(path_of(first.location)).get_data(as_text=True)
    assert HelpRequest.get(HelpRequest.contact_phone == phone).code in page


def test_bad_input_is_explained_and_kept(app, in_app, client):
    [commune] = first_communes(1)
    response = _ask(client, "0123", commune, details="Tôi cần làm giấy khai sinh cho cháu")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="phone-error"' in html
    assert "Tôi cần làm giấy khai sinh cho cháu" in html


def test_asking_is_rate_limited(app, in_app, client):
    [commune] = first_communes(1)
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
    answers = [_ask(client, unique_phone(), commune, f"key-{n}-{unique_phone()}",
                    address).status_code for n in range(6)]
    assert answers == [303] * 5 + [429]


def test_the_communes_volunteers_take_it_and_she_is_told(app, in_app, client):
    here, elsewhere = first_communes(2)
    phone = unique_phone()
    item = _made(app, phone, here)
    sign_in_staff(client, role=VOLUNTEER, communes=[here], full_name="Trần Thị Hạnh",
                  phone="0911222333")
    other = app.test_client()
    sign_in_staff(other, role=VOLUNTEER, communes=[elsewhere])
    queue = client.get("/tinh-nguyen/yeu-cau-giup-do").get_data(as_text=True)
    assert f"/yeu-cau-giup-do/{item.id}/nhan" in queue and phone not in queue
    assert f"/yeu-cau-giup-do/{item.id}/nhan" not in other.get(
        "/tinh-nguyen/yeu-cau-giup-do").get_data(as_text=True)
    assert post(other, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan",
                {"version": "1"}).status_code == 404
    response = post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan", {"version": "1"})
    assert path_of(response.location) == f"/tinh-nguyen/yeu-cau-giup-do/{item.id}"
    assert phone[-3:] in client.get(path_of(response.location)).get_data(as_text=True)
    [told] = messages_to(phone, "assisted_help_taken")
    assert "Trần Thị Hạnh" in told["text"] and item.code in told["text"]
    assert other.get(f"/tinh-nguyen/yeu-cau-giup-do/{item.id}").status_code == 404


def test_two_volunteers_taking_at_once_get_one_winner(app, in_app):
    [commune] = first_communes(1)
    item_id = _made(app, unique_phone(), commune).id
    helpers = [create_staff(app, role=VOLUNTEER, communes=[commune]) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def take(helper):
        with app.app_context(), database.connection_context():
            mine = HelpRequest.get_by_id(item_id)
            barrier.wait()
            try:
                service.take(mine, helper, mine.version)
                outcomes.append("won")
            except (tracked.StaleItem, tracked.IllegalTransition):
                outcomes.append("lost")

    threads = [threading.Thread(target=take, args=(helper,)) for helper in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["lost", "won"]
    taken = HelpRequest.get_by_id(item_id)
    assert taken.status == lc.TAKEN and taken.taken_by_id in {h.id for h in helpers}
    events = HelpRequestEvent.select().where(HelpRequestEvent.request == item_id)
    assert [e.to_status for e in events.order_by(HelpRequestEvent.id)] == [lc.OPEN, lc.TAKEN]
    assert len(messages_to(taken.contact_phone, "assisted_help_taken")) == 1


def test_the_second_taker_by_the_page_is_told_someone_was_faster(app, in_app, client):
    [commune] = first_communes(1)
    item = _made(app, unique_phone(), commune)
    sign_in_staff(client, role=VOLUNTEER, communes=[commune])
    other = app.test_client()
    sign_in_staff(other, role=VOLUNTEER, communes=[commune])
    assert post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan",
                {"version": "1"}).status_code == 303
    response = post(other, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan", {"version": "1"},
                    follow_redirects=True)
    assert "Người giúp khác đã nhận yêu cầu này trước." in response.get_data(as_text=True)


def test_she_is_reached_and_it_is_closed_with_the_dossier_sent(app, in_app, client):
    [commune] = first_communes(1)
    item = _made(app, unique_phone(), commune)
    sign_in_staff(client, role=VOLUNTEER, communes=[commune])
    post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan", {"version": "1"})
    assert post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/da-goi").status_code == 303
    missing = post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/dong",
                   {"outcome": "dossier_sent"})
    assert missing.status_code == 200 and 'id="dossier_code-error"' in missing.get_data(
        as_text=True)
    dossier = make_dossier(commune=commune)
    done = post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/dong",
                {"outcome": "dossier_sent", "dossier_code": dossier.code})
    assert done.status_code == 303
    closed = HelpRequest.get_by_id(item.id)
    assert (closed.status, closed.outcome, closed.dossier_id) == (lc.CLOSED, "dossier_sent",
                                                                  dossier.id)
    assert closed.first_contact_at is not None and closed.closed_at is not None


def test_could_not_reach_her_is_no_first_contact(app, in_app, client):
    [commune] = first_communes(1)
    item = _made(app, unique_phone(), commune)
    sign_in_staff(client, role=VOLUNTEER, communes=[commune])
    post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/nhan", {"version": "1"})
    post(client, f"/tinh-nguyen/yeu-cau-giup-do/{item.id}/dong", {"outcome": "not_reached"})
    closed = HelpRequest.get_by_id(item.id)
    assert closed.outcome == "not_reached" and closed.first_contact_at is None


def test_housekeeping_forgets_her_number_but_keeps_the_figures(app, in_app):
    [commune] = first_communes(1)
    item = _made(app, unique_phone(), commune)
    helper = create_staff(app, role=VOLUNTEER, communes=[commune])
    service.take(item, helper, 1)
    service.close(HelpRequest.get_by_id(item.id), helper, "helped_by_phone")
    with app.app_context():
        service.forget_old()
        assert HelpRequest.get_by_id(item.id).contact_phone
        service.forget_old(utcnow() + dt.timedelta(days=366))
    kept = HelpRequest.get_by_id(item.id)
    assert kept.contact_phone == "" and kept.outcome == "helped_by_phone"
