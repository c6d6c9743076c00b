"""A volunteer does a dossier for a citizen with her consent (issue 12): nothing of hers before
she agrees; the dossier is hers (her list, her phone) and says who helped; every write records
who acted for whom; the volunteer follows it only while the mandate is live; the paper path
and the officer seeing the evidence."""

from __future__ import annotations

import re

from tests.accounts.helpers import sign_in_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.dossiers.helpers import path_of, post, send, sign_in_again, submission_key
from webapp.accounts.models import OFFICER, VOLUNTEER, Citizen
from webapp.audit.models import AuditEvent
from webapp.dossiers.models import Dossier, DossierDraft, DossierEvent
from webapp.mandates import Mandate

from .helpers import ask, consent_by_code, consent_by_paper, fill


def _send_for_her(client, phone, **fields) -> Dossier:
    check = fill(client, consent_by_code(client, phone, **fields))
    response = send(client, check, submission_key(client, check))
    assert response.status_code == 303
    assert path_of(response.location).startswith("/tinh-nguyen/ho-so/")
    return Dossier.get(Dossier.code == path_of(response.location).rsplit("/", 1)[1])


def test_asking_shows_nothing_and_creates_nobody_until_she_agrees(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    phone = unique_phone()
    response = ask(client, phone)
    assert Citizen.by_phone(phone) is None
    page = client.get(path_of(response.location)).get_data(as_text=True)
    assert "0912 *** " in page or "*** " in page
    response = post(client, path_of(response.location), {"code": "12 34"})
    assert 'class="error-message"' in response.get_data(as_text=True)
    assert Citizen.by_phone(phone) is None


def test_bad_input_is_explained_beside_the_field_and_kept(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER)
    response = ask(client, "0123", name="Bà Tư")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="phone-error"' in html
    assert 'value="Bà Tư"' in html


def test_a_volunteer_sends_a_dossier_that_is_hers(app, in_app, client):
    volunteer = sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    phone = unique_phone()
    dossier = _send_for_her(client, phone)
    citizen = Citizen.by_phone(phone)
    assert dossier.citizen_id == citizen.id and dossier.contact_phone == phone
    assert dossier.mandate.helper_id == volunteer.id
    [event] = DossierEvent.select().where(DossierEvent.dossier == dossier)
    assert (event.actor_citizen_id, event.actor_staff_id) == (citizen.id, volunteer.id)
    assert "dossier_submitted" in [m["template"] for m in messages_to(phone)]
    writes = AuditEvent.select().where(AuditEvent.action == "dossier_draft.changed_for_citizen")
    assert writes.count() >= 5
    assert {(w.actor_type, w.actor_id, w.detail["for_citizen"]) for w in writes
            if w.detail["for_citizen"] == citizen.id} == {("staff", volunteer.id, citizen.id)}
    # The volunteer follows it; the citizen finds it in her dossiers.
    assert client.get(f"/tinh-nguyen/ho-so/{dossier.code}").status_code == 200
    her = app.test_client()
    sign_in_again(her, citizen)
    assert dossier.code in her.get("/ho-so-cua-toi").get_data(as_text=True)


def test_once_she_ends_it_the_volunteer_sees_nothing(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER)
    phone = unique_phone()
    dossier = _send_for_her(client, phone)
    draft_first = consent_by_code(client, phone, scope="procedure")
    her = app.test_client()
    sign_in_again(her, Citizen.by_phone(phone))
    for mandate in Mandate.select().where(Mandate.phone == phone):
        assert post(her, f"/tai-khoan/uy-quyen/{mandate.id}/ket-thuc").status_code == 303
    assert client.get(f"/tinh-nguyen/ho-so/{dossier.code}").status_code == 404
    assert client.get(draft_first).status_code == 404
    assert post(client, draft_first, {"full_name": "X"}).status_code == 404
    photo = dossier.attachments.first()
    assert client.get(f"/ho-so/tep/{photo.id}").status_code == 404
    assert her.get(f"/ho-so/tep/{photo.id}").status_code == 200


def test_another_volunteer_of_the_commune_sees_nothing(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER)
    phone = unique_phone()
    first = consent_by_code(client, phone)
    other = app.test_client()
    sign_in_staff(other, role=VOLUNTEER)
    assert other.get(first).status_code == 404
    draft = DossierDraft.get(DossierDraft.token == first.split("/")[2])
    photo_less = f"/ho-so-nhap/{draft.token}/kiem-tra"
    assert other.get(photo_less).status_code == 404
    mandate = Mandate.get(Mandate.phone == phone)
    assert other.get(f"/tinh-nguyen/uy-quyen/{mandate.id}/mau-giay").status_code == 404


def test_a_one_dossier_mandate_covers_one_dossier(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER)
    dossier = _send_for_her(client, unique_phone())
    assert post(client, f"/tinh-nguyen/uy-quyen/{dossier.mandate_id}/ho-so-moi").status_code == 404


def test_the_paper_path_and_the_officer_seeing_the_evidence(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    phone = unique_phone()
    check = fill(client, consent_by_paper(client, phone))
    response = send(client, check, submission_key(client, check))
    dossier = Dossier.get(Dossier.code == path_of(response.location).rsplit("/", 1)[1])
    assert dossier.mandate.evidence == "paper"
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER)
    page = officer.get(f"/can-bo/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Trần Thị Hạnh" in page
    assert f"/can-bo/ho-so/{dossier.code}/giay-uy-quyen" in page
    assert officer.get(f"/can-bo/ho-so/{dossier.code}/giay-uy-quyen").status_code == 200
    looks = AuditEvent.for_object("mandate", dossier.mandate_id)
    assert "mandate.paper_viewed" in [e.action for e in looks]
    assert client.get(f"/can-bo/ho-so/{dossier.code}/giay-uy-quyen").status_code == 403


def test_the_officer_sees_a_code_consent_with_the_number_masked(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    phone = unique_phone()
    dossier = _send_for_her(client, phone)
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER)
    page = officer.get(f"/can-bo/ho-so/{dossier.code}").get_data(as_text=True)
    assert re.search(r"helped-heading", page) and phone[-3:] in page
    assert officer.get(f"/can-bo/ho-so/{dossier.code}/giay-uy-quyen").status_code == 404
    # The live consent can be ended from here, and once ended its reason shows instead.
    end_page = f"/can-bo/uy-quyen/{dossier.mandate_id}/ket-thuc"
    assert f'href="{end_page}"' in page
    assert post(officer, end_page, {"reason": "Người giúp đã nghỉ"}).status_code == 303
    page = officer.get(f"/can-bo/ho-so/{dossier.code}").get_data(as_text=True)
    assert f'href="{end_page}"' not in page
    assert "Cơ quan đã kết thúc ủy quyền: Người giúp đã nghỉ" in page


def test_the_printable_paper_names_everyone(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    response = ask(client, unique_phone(), name="Lê Thị Tư", evidence="paper")
    mandate_id = path_of(response.location).split("/")[3]
    page = client.get(f"/tinh-nguyen/uy-quyen/{mandate_id}/mau-giay").get_data(as_text=True)
    assert "Lê Thị Tư" in page and "Trần Thị Hạnh" in page


def test_a_procedure_mandate_lets_her_start_another_dossier_from_her_page(app, in_app, client):
    sign_in_staff(client, role=VOLUNTEER)
    phone = unique_phone()
    check = fill(client, consent_by_code(client, phone, scope="procedure"))
    send(client, check, submission_key(client, check))
    mandate = Mandate.get(Mandate.phone == phone)
    home = client.get("/tinh-nguyen/").get_data(as_text=True)
    assert f"/tinh-nguyen/uy-quyen/{mandate.id}/ho-so-moi" in home
    response = post(client, f"/tinh-nguyen/uy-quyen/{mandate.id}/ho-so-moi")
    assert path_of(response.location).startswith("/ho-so-nhap/")
    assert DossierDraft.select().where(DossierDraft.mandate == mandate.id).count() == 2
