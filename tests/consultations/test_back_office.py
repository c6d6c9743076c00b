"""Making and publishing a consultation in the back office: administrators for the province,
officers for their commune only; bad input explained beside the field; every change audited."""

from __future__ import annotations

import datetime as dt
import io

from tests.accounts.helpers import first_communes, sign_in_staff
from tests.consultations.conftest import make_consultation
from tests.dossiers.helpers import post
from tests.uploads.builders import build_pdf, simple_objects
from webapp.accounts.models import ADMIN, OFFICER
from webapp.audit.models import AuditEvent
from webapp.consultations.models import (
    CITIZENS,
    Consultation,
    ConsultationCommune,
    ConsultationDocument,
    Question,
)
from webapp.core.clock import local_today

BASE = "/can-bo/lay-y-kien"


def _details(**overrides) -> dict:
    today = local_today()
    values = {"title": "Đường nào cần sửa trước?", "asker": "Sở Xây dựng",
              "purpose": "Để chọn đường sửa trong năm tới.", "description": "",
              "audience": "everyone", "opens_on": today.isoformat(),
              "closes_on": (today + dt.timedelta(days=14)).isoformat()}
    return {**values, **overrides}


def _audited(action: str, consultation_id: int) -> bool:
    return AuditEvent.select().where((AuditEvent.action == action) & (
        AuditEvent.object_id == str(consultation_id))).exists()


def test_an_administrator_makes_asks_and_publishes_a_province_wide_consultation(app, in_app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    communes = first_communes(2)
    response = post(client, f"{BASE}/moi", _details(
        audience=CITIZENS, communes=[str(c.id) for c in communes],
        document=(io.BytesIO(build_pdf(simple_objects())), "du-thao.pdf")),
        content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    consultation = Consultation.select().order_by(Consultation.id.desc()).first()
    assert consultation.commune is None and consultation.audience == CITIZENS
    assert {link.commune_id for link in ConsultationCommune.select().where(
        ConsultationCommune.consultation == consultation)} == {c.id for c in communes}
    assert ConsultationDocument.get(ConsultationDocument.consultation == consultation)

    detail = f"{BASE}/{consultation.id}"
    assert post(client, f"{detail}/cong-bo").status_code == 303
    assert Consultation.get_by_id(consultation.id).published_at is None  # no question yet
    assert "Thêm ít nhất một câu hỏi" in client.get(detail).get_data(as_text=True)

    post(client, f"{detail}/cau-hoi", {"kind": "single", "text": "Đường nào trước?",
                                        "options": "Đường 1\nĐường 2\n"})
    post(client, f"{detail}/cau-hoi", {"kind": "scale", "text": "Mức cần thiết?",
                                        "options": "bỏ qua"})
    questions = list(Question.select().where(Question.consultation == consultation)
                     .order_by(Question.position))
    assert [(q.kind, q.options) for q in questions] == [("single", ["Đường 1", "Đường 2"]),
                                                         ("scale", [])]
    assert post(client, f"{detail}/cong-bo").status_code == 303
    assert post(client, f"{detail}/cong-bo").status_code == 303  # a double click
    assert Consultation.get_by_id(consultation.id).published_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "consultation.published").where(
        AuditEvent.object_id == str(consultation.id)).count() == 1
    for action in ("consultation.created", "consultation.document_added",
                   "consultation.question_added"):
        assert _audited(action, consultation.id), action

    # Published: questions and details no longer change.
    post(client, f"{detail}/cau-hoi", {"kind": "text", "text": "Thêm?"})
    assert Question.select().where(Question.consultation == consultation).count() == 2
    assert post(client, f"{detail}/sua", _details(title="Khác")).status_code == 303
    assert Consultation.get_by_id(consultation.id).title == "Đường nào cần sửa trước?"

    public = client.get(f"/lay-y-kien/{consultation.id}").get_data(as_text=True)
    assert "Đường nào cần sửa trước?" in public and "Sở Xây dựng" in public
    document = client.get(f"/lay-y-kien/{consultation.id}/tai-lieu")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert "attachment" in document.headers["Content-Disposition"]


def test_bad_input_is_explained_beside_the_field_and_nothing_typed_is_lost(app, in_app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    before = Consultation.select().count()
    response = post(client, f"{BASE}/moi", _details(
        title="", audience=CITIZENS, opens_on="31/12/2026", closes_on="1/12/2026",
        purpose="Lý do rõ ràng"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and Consultation.select().count() == before
    assert "Viết tiêu đề" in html
    assert "Chọn các xã" in html
    assert "Ngày kết thúc phải" in html
    assert "Lý do rõ ràng" in html and 'value="31/12/2026"' in html


def test_a_pdf_is_required_for_the_draft_document(app, in_app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    response = post(client, f"{BASE}/moi", _details(
        document=(io.BytesIO(b"<html><script>alert(1)</script>"), "du-thao.pdf")),
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "phải là tệp PDF" in response.get_data(as_text=True)


def test_a_choice_question_needs_two_choices(app, in_app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    with in_app.app_context():
        consultation = make_consultation(published=False, with_questions=False)
    response = post(client, f"{BASE}/{consultation.id}/cau-hoi",
                    {"kind": "multiple", "text": "Cần gì?", "options": "Một"})
    assert response.status_code == 200
    assert "ít nhất hai lựa chọn" in response.get_data(as_text=True)
    assert "Cần gì?" in response.get_data(as_text=True)


def test_officers_make_consultations_for_their_commune_and_see_no_others(app, in_app):
    mine, other = first_communes(2)
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER, communes=[mine])
    response = post(officer, f"{BASE}/moi", _details(audience=CITIZENS))
    assert response.status_code == 303
    made = Consultation.select().order_by(Consultation.id.desc()).first()
    assert made.commune_id == mine.id
    assert [link.commune_id for link in ConsultationCommune.select().where(
        ConsultationCommune.consultation == made)] == [mine.id]

    elsewhere = make_consultation(commune=other, published=False)
    province = make_consultation(commune=None, published=False)
    for consultation in (elsewhere, province):
        assert officer.get(f"{BASE}/{consultation.id}").status_code == 404
        assert post(officer, f"{BASE}/{consultation.id}/cong-bo").status_code == 404
        assert Consultation.get_by_id(consultation.id).published_at is None
    listing = officer.get(BASE).get_data(as_text=True)
    assert f"{BASE}/{made.id}" in listing and f"{BASE}/{elsewhere.id}" not in listing
    assert f"{BASE}/{province.id}" not in listing


def test_drafts_are_not_public(app, in_app, client):
    draft = make_consultation(published=False)
    assert client.get(f"/lay-y-kien/{draft.id}").status_code == 404
    assert f"/lay-y-kien/{draft.id}" not in client.get("/lay-y-kien").get_data(as_text=True)


def test_a_form_sent_twice_makes_one_consultation_and_one_question(app, in_app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    before = Consultation.select().count()
    details = _details(title="Gửi hai lần?")
    first, second = post(client, f"{BASE}/moi", details), post(client, f"{BASE}/moi", details)
    assert first.headers["Location"] == second.headers["Location"]
    assert Consultation.select().count() == before + 1
    made = Consultation.select().order_by(Consultation.id.desc()).first()
    question = {"kind": "text", "text": "Ý kiến khác?"}
    post(client, f"{BASE}/{made.id}/cau-hoi", question)
    post(client, f"{BASE}/{made.id}/cau-hoi", question)
    assert Question.select().where(Question.consultation == made).count() == 1
