"""The officer ticks the papers she asks for (issue 11, item 13): the citizen's add-papers page
then offers exactly those, a side of the ID card alone where only that side was asked for, and
the photos she sends are filed as that paper and side."""

from __future__ import annotations

import io

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_dossier, procedure_by_code
from tests.backoffice.test_follow_up import csrf, fresh, jpeg
from webapp.dossiers import lifecycle as lc
from webapp.dossiers.models import Attachment, DossierEvent, RequestedPaper

SOCIAL_ALLOWANCE = "1.001776"  # its form: the ID card (front and back), a certificate, others
WORDS = "Ảnh mặt sau thẻ căn cước bị mờ, Ông/Bà chụp lại ở chỗ sáng."


def _received(app, owner):
    dossier = make_dossier("received", commune=first_commune(), citizen=owner,
                           procedure=procedure_by_code(SOCIAL_ALLOWANCE))
    officer = app.test_client()
    sign_in_staff(officer, role="officer", communes=[first_commune()])
    return dossier, officer


def _ask(officer, dossier, papers, words=WORDS):
    return officer.post(f"/can-bo/ho-so/{dossier.code}/yeu-cau-bo-sung", data={
        "csrf_token": csrf(officer), "version": str(dossier.version), "missing": words,
        "papers": papers})


def test_the_request_form_offers_each_paper_and_each_side_of_the_id_card(app, client, in_app):
    dossier, officer = _received(app, sign_in_citizen(client))
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/yeu-cau-bo-sung").get_data(as_text=True)
    values = [part.split('"', 1)[0]
              for part in html.split('name="papers" type="checkbox" value="')[1:]]
    assert values == ["citizen_id_card/front", "citizen_id_card/back", "disability_certificate",
                      "other_papers", "bo_sung"]
    assert 'type="checkbox"' in html and "Ảnh thẻ căn cước của người xin trợ cấp – Mặt sau" in html


def test_without_a_tick_nothing_is_sent_and_what_was_typed_stays(app, client, in_app):
    dossier, officer = _received(app, sign_in_citizen(client))
    for papers in ([], ["not_a_paper_of_this_form"]):  # nothing ticked, or a forged value
        response = _ask(officer, dossier, papers, words=WORDS)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Đánh dấu từng giấy tờ công dân cần gửi" in html
        assert f">{WORDS}</textarea>" in html
        assert fresh(dossier).status == lc.RECEIVED
    asked = RequestedPaper.select().join(DossierEvent).where(DossierEvent.dossier == dossier.id)
    assert asked.count() == 0


def test_she_is_offered_only_the_back_of_the_id_card_and_it_is_filed_as_such(app, client, in_app):
    dossier, officer = _received(app, sign_in_citizen(client))
    assert _ask(officer, dossier, ["citizen_id_card/back"]).status_code == 303
    assert fresh(dossier).status == lc.MORE_PAPERS_REQUESTED
    status = client.get(f"/tra-cuu-ho-so/{dossier.code}").get_data(as_text=True)
    assert "Giấy tờ cần gửi:" in status
    assert "<li>Ảnh thẻ căn cước của người xin trợ cấp – Mặt sau</li>" in status
    page = client.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung").get_data(as_text=True)
    assert 'type="radio"' not in page and "Giấy tờ khác" not in page
    assert '<input type="hidden" name="paper" value="citizen_id_card/back">' in page
    sent = client.post(f"/tra-cuu-ho-so/{dossier.code}/bo-sung", data={
        "csrf_token": csrf(client), "version": str(fresh(dossier).version),
        "paper": "citizen_id_card/back", "photos": [(io.BytesIO(jpeg()), "back.jpg")]},
        content_type="multipart/form-data")
    assert sent.status_code == 303 and fresh(dossier).status == lc.PAPERS_ADDED
    photo = Attachment.get(Attachment.dossier == dossier.id)
    assert (photo.paper_key, photo.side) == ("citizen_id_card", "back")
    # Without JavaScript there was no thumbnail before sending: the status page shows it now.
    status = client.get(f"/tra-cuu-ho-so/{dossier.code}").get_data(as_text=True)
    assert "Ông/Bà đã gửi 1 ảnh" in status
    assert f'src="/ho-so/tep/{photo.id}/nho"' in status
    assert client.get(f"/ho-so/tep/{photo.id}/nho").status_code == 200


def test_two_ticked_papers_are_the_only_choices_and_none_is_chosen_for_her(app, client, in_app):
    dossier, officer = _received(app, sign_in_citizen(client))
    _ask(officer, dossier, ["disability_certificate", "bo_sung"],
         words="Thiếu giấy xác nhận khuyết tật và giấy xác nhận của trưởng ấp.")
    page = client.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung").get_data(as_text=True)
    values = [part.split('"', 1)[0] for part in page.split('name="paper" type="radio" value="')[1:]]
    assert values == ["disability_certificate", "bo_sung"]
    assert " checked" not in page and "Giấy tờ khác" in page
    refused = client.post(f"/tra-cuu-ho-so/{dossier.code}/bo-sung", data={
        "csrf_token": csrf(client), "version": str(fresh(dossier).version),
        "paper": "citizen_id_card", "photos": [(io.BytesIO(jpeg()), "a.jpg")]},
        content_type="multipart/form-data")  # a paper that was not asked for
    assert refused.status_code == 200 and fresh(dossier).status == lc.MORE_PAPERS_REQUESTED
