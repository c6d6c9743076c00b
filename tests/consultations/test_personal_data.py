"""Her answers in "Dữ liệu của tôi" and its download, nobody else's; a deletion request deletes
answers to open consultations and leaves closed ones only as anonymous counts; answers never
sent go once the consultation has closed."""

from __future__ import annotations

import datetime as dt
import json

from tests.accounts.helpers import first_communes, sign_in_citizen
from tests.consultations.conftest import make_consultation
from webapp.consultations import personal_data, services
from webapp.consultations.models import Consultation, ConsultationAnswer, Question
from webapp.core.clock import local_today


def _answered(consultation, citizen, text, sent=True):
    row = services.answer_row(consultation, citizen.phone, citizen)
    services.save_about(row, first_communes(1)[0].id, True, "Tạp hóa Bà Tư", "3900123456")
    question = Question.get((Question.consultation == consultation) & (Question.kind == "text"))
    services.save_draft_answer(row, question, text)
    if sent:
        services.send(consultation, citizen.phone)
    return ConsultationAnswer.get_by_id(row.id)


def test_her_answers_are_in_her_data_and_nobody_elses(app, in_app):
    consultation = make_consultation(title="Chợ mới ở đâu?")
    mai_client, lan_client = app.test_client(), app.test_client()
    mai, lan = sign_in_citizen(mai_client), sign_in_citizen(lan_client)
    _answered(consultation, mai, "Ý kiến riêng của Mai")
    _answered(consultation, lan, "Ý kiến riêng của Lan")
    body = json.loads(mai_client.get("/du-lieu-cua-toi/tai-ve").get_data(as_text=True))
    [section] = [s for s in body["sections"] if s["section"] == "consultations"]
    text = json.dumps(section, ensure_ascii=False)
    assert "Ý kiến riêng của Mai" in text and "Chợ mới ở đâu?" in text
    assert "Ý kiến riêng của Lan" not in text and lan.phone not in text
    page = mai_client.get("/du-lieu-cua-toi").get_data(as_text=True)
    assert "Ý kiến riêng của Mai" in page and "Ý kiến riêng của Lan" not in page


def test_a_deletion_deletes_open_answers_and_anonymises_counted_ones(app, in_app):
    today = local_today()
    still_open = make_consultation()
    counted = make_consultation()
    client = app.test_client()
    citizen = sign_in_citizen(client)
    _answered(still_open, citizen, "Mở")
    kept = _answered(counted, citizen, "Đã đếm")
    Consultation.update(closes_on=today - dt.timedelta(days=1)).where(
        Consultation.id == counted.id).execute()
    assert personal_data.erase(citizen) == 2
    assert services.answer_of(still_open, citizen.phone) is None
    row = ConsultationAnswer.get_by_id(kept.id)
    assert (row.citizen_id, row.business_name, row.tax_code) == (None, "", "")
    assert citizen.phone not in row.phone and row.sent_at is not None
    assert personal_data.collect(citizen) == []


def test_answers_never_sent_go_after_closing(app, in_app):
    today = local_today()
    consultation = make_consultation()
    open_one = make_consultation()
    citizen = sign_in_citizen(app.test_client())
    unsent = _answered(consultation, citizen, "Chưa gửi", sent=False)
    still_open = _answered(open_one, citizen, "Chưa gửi", sent=False)
    other = sign_in_citizen(app.test_client())
    sent = _answered(consultation, other, "Đã gửi")
    Consultation.update(closes_on=today - dt.timedelta(days=1)).where(
        Consultation.id == consultation.id).execute()
    personal_data.purge_unsent()
    assert ConsultationAnswer.get_or_none(ConsultationAnswer.id == unsent.id) is None
    assert ConsultationAnswer.get_or_none(ConsultationAnswer.id == still_open.id)
    assert ConsultationAnswer.get_or_none(ConsultationAnswer.id == sent.id)
