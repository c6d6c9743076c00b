"""Results after closing only, never live: charts with their numbers and tables, the count by
commune, a CSV download; free-text answers for administrators with phone and ID numbers masked;
what the province will do; and no personal data of anyone on the public pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.accounts.helpers import first_communes, sign_in_citizen, sign_in_staff
from tests.consultations.conftest import make_consultation
from tests.dossiers.helpers import post
from webapp.audit.models import AuditEvent
from webapp.consultations import results, services
from webapp.consultations.models import Consultation, Question
from webapp.core.clock import local_today

PRIVATE_TEXT = "Gọi tôi số 0912 345 678 hoặc xem căn cước 072153000111."


def _answer(consultation, citizen, commune, single, multiple, scale, text, business=False):
    row = services.answer_row(consultation, citizen.phone, citizen)
    services.save_about(row, commune.id, business, "Tạp hóa Bà Tư" if business else "",
                        "3900123456" if business else "")
    values = (single, multiple, scale, text)
    for question, value in zip(services.questions_of(consultation), values, strict=True):
        services.save_draft_answer(row, question, value)
    assert services.send(consultation, citizen.phone)


def _close(consultation):
    Consultation.update(closes_on=local_today() - dt.timedelta(days=1)).where(
        Consultation.id == consultation.id).execute()
    return Consultation.get_by_id(consultation.id)


@pytest.fixture
def answered(app, in_app):
    """A consultation answered by three people of two communes (one for a business)."""
    here, there = first_communes(2)
    consultation = make_consultation(title="Chợ mới ở đâu?")
    people = [sign_in_citizen(app.test_client(), full_name=name, citizen_id=number)
              for name, number in (("Nguyễn Thị Mai", "072153000111"),
                                   ("Trần Văn Lâm", "072060000222"),
                                   ("Lê Thị Hoa", "072170000333"))]
    _answer(consultation, people[0], here, 0, [0, 1], 5, PRIVATE_TEXT)
    _answer(consultation, people[1], here, 0, [1], 4, "", business=True)
    _answer(consultation, people[2], there, 2, [0, 1, 2], 3, "Nên làm bãi xe.")
    return consultation, people, (here, there)


def test_nothing_is_counted_or_shown_before_closing(app, answered, client):
    consultation, _people, _ = answered
    admin = app.test_client()
    sign_in_staff(admin, role="admin")
    page = client.get(f"/lay-y-kien/{consultation.id}").get_data(as_text=True)
    assert 'id="ket-qua"' not in page and 'class="chart"' not in page
    assert client.get(f"/lay-y-kien/{consultation.id}/ket-qua.csv").status_code == 404
    assert admin.get(f"/can-bo/lay-y-kien/{consultation.id}/ket-qua").status_code == 404
    assert results.counted(consultation) is None
    assert Consultation.get_by_id(consultation.id).results is None


def test_after_closing_charts_tables_communes_and_csv(app, answered, client):
    consultation, _people, (here, there) = _close_answered(answered)
    html = client.get(f"/lay-y-kien/{consultation.id}").get_data(as_text=True)
    assert "3 người đã trả lời." in html and "Trong đó 1 trả lời thay mặt hộ kinh doanh." in html
    assert html.count('<svg class="chart"') == 4  # three questions with choices, the communes
    assert "<td class=\"num\">2 (66,7 %)</td>" in html  # "Gần trường": 2 of 3
    assert "Trung bình: 4,0 trên 5." in html
    assert "2 người đã viết ý kiến." in html
    assert f"<th scope=\"row\">{here.name}</th><td class=\"num\">2</td>" in html
    assert f"<th scope=\"row\">{there.name}</th><td class=\"num\">1</td>" in html
    assert PRIVATE_TEXT not in html and "Nên làm bãi xe." not in html  # texts: staff only
    response = client.get(f"/lay-y-kien/{consultation.id}/ket-qua.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["1. Ông/Bà chọn nơi nào?", "Gần trường", "2", "66.7"] in rows
    assert ["2. Chợ cần có gì?", "Nhà vệ sinh", "3", "100.0"] in rows
    assert [here.name, "2"] in rows and ["Tổng cộng", "3"] in rows


def _close_answered(answered):
    consultation, people, communes = answered
    return _close(consultation), people, communes


def test_the_counts_are_made_once_after_closing(app, answered):
    consultation, people, (here, _there) = _close_answered(answered)
    first = results.counted(consultation)
    assert Consultation.get_by_id(consultation.id).results == first
    later = Question.get((Question.consultation == consultation) & (Question.kind == "single"))
    assert first["questions"][str(later.id)] == {"0": 2, "2": 1}
    assert results.counted(Consultation.get_by_id(consultation.id)) == first


def test_the_daily_chore_counts_what_closed(app, answered):
    consultation, _people, _ = answered
    results.count_closed()
    assert Consultation.get_by_id(consultation.id).results is None  # still open
    _close(consultation)
    assert results.count_closed().startswith("Counted the results of")
    assert Consultation.get_by_id(consultation.id).results["total"] == 3
    assert results.count_closed() == "Counted the results of 0 closed consultation(s)."


def test_the_public_pages_show_nobodys_personal_data(app, answered, client):
    consultation, people, _ = _close_answered(answered)
    base = f"/lay-y-kien/{consultation.id}"
    pages = [client.get(path).get_data(as_text=True)
             for path in ("/lay-y-kien", base, f"{base}/ket-qua.csv")]
    for person in people:
        for value in (person.phone, person.full_name, person.citizen_id, person.phone[-6:]):
            assert all(value not in page for page in pages), value
    assert all("Tạp hóa Bà Tư" not in page and "3900123456" not in page for page in pages)


def test_administrators_read_the_free_texts_masked_and_the_look_is_audited(app, answered):
    consultation, _people, _ = _close_answered(answered)
    admin = app.test_client()
    sign_in_staff(admin, role="admin")
    question = Question.get((Question.consultation == consultation) & (Question.kind == "text"))
    summary = admin.get(f"/can-bo/lay-y-kien/{consultation.id}/ket-qua").get_data(as_text=True)
    assert f"/y-kien-viet/{question.id}" in summary
    html = admin.get(f"/can-bo/lay-y-kien/{consultation.id}/y-kien-viet/{question.id}"
                     ).get_data(as_text=True)
    assert "Nên làm bãi xe." in html
    assert "0912 *** 678" in html and "072••••••111" in html
    assert "345 678" not in html and "072153000111" not in html
    assert AuditEvent.select().where(
        (AuditEvent.action == "consultation.free_texts_viewed")
        & (AuditEvent.object_id == str(consultation.id))).count() == 1
    officer = app.test_client()
    sign_in_staff(officer, role="officer")
    assert officer.get(f"/can-bo/lay-y-kien/{consultation.id}/y-kien-viet/{question.id}"
                       ).status_code == 403


@pytest.mark.parametrize(("text", "shown"), [
    ("Số tôi 0912345678.", "Số tôi 0912 *** 678."),
    ("Gọi 0912.345.678 nhé", "Gọi 0912 *** 678 nhé"),
    ("Gọi +84 912 345 678", "Gọi 0912 *** 678"),
    ("CCCD 072153000111, CMND 123456789", "CCCD 072••••••111, CMND 123•••789"),
    ("Năm 2026 cần 3 cây cầu", "Năm 2026 cần 3 cây cầu"),
])
def test_the_masking_of_free_texts(text, shown):
    assert results.masked(text) == shown


def test_administrators_publish_what_the_province_will_do(app, answered, client):
    consultation, _people, _ = _close_answered(answered)
    admin = app.test_client()
    sign_in_staff(admin, role="admin")
    path = f"/can-bo/lay-y-kien/{consultation.id}/ket-luan"
    empty = post(admin, path, {"outcome": ""})
    assert empty.status_code == 200 and "Viết tỉnh đã quyết định gì" in empty.get_data(
        as_text=True)
    assert post(admin, path, {"outcome": "Chợ xây gần trường, khởi công tháng 3."}
                ).status_code == 303
    html = client.get(f"/lay-y-kien/{consultation.id}").get_data(as_text=True)
    assert "Kết quả và việc tỉnh sẽ làm" in html and "khởi công tháng 3" in html
