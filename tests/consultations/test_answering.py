"""Answering a consultation: one question per page without JavaScript, one answer per confirmed
phone (changeable until closing), businesses answering as businesses, the audience's communes,
and many concurrent sends from one phone leaving one answer."""

from __future__ import annotations

import datetime as dt
import threading

from tests.accounts.helpers import first_communes, sign_in_citizen
from tests.consultations.conftest import make_consultation
from tests.dossiers.helpers import post, sign_in_again
from webapp.consultations.models import BUSINESSES, CITIZENS, ConsultationAnswer, Question
from webapp.core.clock import local_today


def _path(consultation, tail=""):
    return f"/lay-y-kien/{consultation.id}{tail}"


def _answer_all(client, consultation, commune, single="1", multiple=("0", "2"), scale="4",
                text="Cần thêm cây xanh."):
    assert post(client, _path(consultation, "/tra-loi"),
                {"commune": str(commune.id), "as_business": "no"}).status_code == 303
    for number, value in enumerate((single, list(multiple), scale, text), start=1):
        response = post(client, _path(consultation, f"/cau-hoi/{number}"), {"answer": value})
        assert response.status_code == 303, response.get_data(as_text=True)
    return post(client, _path(consultation, "/xem-lai"))


def _rows(consultation):
    return list(ConsultationAnswer.select().where(
        ConsultationAnswer.consultation == consultation))


def test_she_answers_each_question_on_its_page_and_can_change_until_closing(app, in_app):
    commune = first_communes(1)[0]
    consultation = make_consultation()
    client = app.test_client()
    citizen = sign_in_citizen(client, commune=commune)
    page = client.get(_path(consultation)).get_data(as_text=True)
    assert "Tôi góp ý kiến" in page
    start = client.get(_path(consultation, "/tra-loi")).get_data(as_text=True)
    assert f'<option value="{commune.id}" selected>' in start  # from her profile
    assert client.get(_path(consultation, "/cau-hoi/1")).status_code == 303  # about her first
    post(client, _path(consultation, "/tra-loi"), {"commune": str(commune.id),
                                                   "as_business": "no"})
    question = client.get(_path(consultation, "/cau-hoi/1")).get_data(as_text=True)
    assert "Câu hỏi 1 trên 4" in question and "Gần chùa" in question
    assert _answer_all(client, consultation, commune).status_code == 303
    [row] = _rows(consultation)
    questions = list(Question.select().where(Question.consultation == consultation)
                     .order_by(Question.position))
    assert row.phone == citizen.phone and row.sent_at is not None and row.draft == {}
    assert row.answers == {str(questions[0].id): 1, str(questions[1].id): [0, 2],
                           str(questions[2].id): 4, str(questions[3].id): "Cần thêm cây xanh."}
    assert "Ông/Bà đã trả lời" in client.get(_path(consultation)).get_data(as_text=True)

    # Changing: the pages start from what she sent; the new answers replace the old.
    post(client, _path(consultation, "/tra-loi"), {"commune": str(commune.id),
                                                   "as_business": "no"})
    assert "checked" in client.get(_path(consultation, "/cau-hoi/1")).get_data(as_text=True)
    post(client, _path(consultation, "/cau-hoi/1"), {"answer": "2"})
    assert ConsultationAnswer.get_by_id(row.id).answers[str(questions[0].id)] == 1  # not yet
    review = client.get(_path(consultation, "/xem-lai")).get_data(as_text=True)
    assert "Bờ sông" in review and "Bãi xe, Mái che" in review
    post(client, _path(consultation, "/xem-lai"))
    [changed] = _rows(consultation)
    assert changed.answers[str(questions[0].id)] == 2
    assert changed.answers[str(questions[3].id)] == "Cần thêm cây xanh."


def test_a_missing_answer_is_explained_and_a_skipped_page_is_asked_again(app, in_app):
    commune = first_communes(1)[0]
    consultation = make_consultation()
    client = app.test_client()
    sign_in_citizen(client, commune=commune)
    post(client, _path(consultation, "/tra-loi"), {"commune": str(commune.id),
                                                   "as_business": "no"})
    response = post(client, _path(consultation, "/cau-hoi/1"), {})
    assert response.status_code == 200 and "Chọn một câu trả lời." in response.get_data(
        as_text=True)
    response = post(client, _path(consultation, "/cau-hoi/3"), {"answer": "9"})
    assert "Chọn một số từ 1 đến 5." in response.get_data(as_text=True)
    sent = post(client, _path(consultation, "/xem-lai"))  # questions 1-3 not answered
    assert sent.headers["Location"].endswith("/cau-hoi/1")
    assert _rows(consultation)[0].sent_at is None


def test_a_business_answers_as_a_business_with_its_tax_code_as_typed(app, in_app):
    commune = first_communes(1)[0]
    consultation = make_consultation(audience=BUSINESSES)
    client = app.test_client()
    sign_in_citizen(client, commune=commune)
    response = post(client, _path(consultation, "/tra-loi"), {
        "commune": str(commune.id), "business_name": "Tạp hóa Bà Tư", "tax_code": "39001234"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mã số thuế có 10 chữ số" in html
    assert 'value="Tạp hóa Bà Tư"' in html  # nothing typed is lost
    response = post(client, _path(consultation, "/tra-loi"), {"commune": str(commune.id)})
    assert "Viết tên hộ kinh doanh" in response.get_data(as_text=True)
    response = post(client, _path(consultation, "/tra-loi"), {
        "commune": str(commune.id), "business_name": "Tạp hóa Bà Tư",
        "tax_code": "3900123456-001"})
    assert response.status_code == 303
    [row] = _rows(consultation)
    assert (row.as_business, row.business_name, row.tax_code) == (
        True, "Tạp hóa Bà Tư", "3900123456-001")


def test_only_the_audiences_communes_may_answer(app, in_app):
    listed, other = first_communes(2)
    consultation = make_consultation(audience=CITIZENS, communes=[listed])
    client = app.test_client()
    sign_in_citizen(client, commune=other)
    start = client.get(_path(consultation, "/tra-loi")).get_data(as_text=True)
    assert f'value="{other.id}"' not in start and f'value="{listed.id}"' in start
    response = post(client, _path(consultation, "/tra-loi"), {"commune": str(other.id)})
    assert "Chỉ người dân các xã trong danh sách" in response.get_data(as_text=True)
    assert _rows(consultation) == []


def test_answers_are_taken_only_while_it_is_open(app, in_app):
    commune = first_communes(1)[0]
    today = local_today()
    closed = make_consultation(opens_on=today - dt.timedelta(days=10),
                               closes_on=today - dt.timedelta(days=1))
    later = make_consultation(opens_on=today + dt.timedelta(days=1))
    client = app.test_client()
    sign_in_citizen(client, commune=commune)
    for consultation in (closed, later):
        response = post(client, _path(consultation, "/tra-loi"), {"commune": str(commune.id),
                                                                  "as_business": "no"})
        assert response.headers["Location"].endswith(_path(consultation))
        assert post(client, _path(consultation, "/xem-lai")).headers["Location"].endswith(
            _path(consultation))
        assert _rows(consultation) == []


def test_many_concurrent_answers_from_one_phone_leave_one(app, in_app):
    commune = first_communes(1)[0]
    consultation = make_consultation()
    first = app.test_client()
    citizen = sign_in_citizen(first, commune=commune)
    clients = [first] + [app.test_client() for _ in range(7)]
    for client in clients[1:]:
        sign_in_again(client, citizen)
    for client in clients:
        post(client, "/", {})  # each client gets its CSRF token before the race
    barrier = threading.Barrier(len(clients))
    results, errors = [], []

    def answer(client, choice):
        try:
            barrier.wait(timeout=30)
            results.append(_answer_all(client, consultation, commune, single=choice).status_code)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(repr(error))

    threads = [threading.Thread(target=answer, args=(client, str(index % 3)))
               for index, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and results == [303] * len(clients)
    rows = _rows(consultation)
    assert len(rows) == 1 and rows[0].sent_at is not None
    assert ConsultationAnswer.select().where(
        ConsultationAnswer.phone == citizen.phone).count() == 1
