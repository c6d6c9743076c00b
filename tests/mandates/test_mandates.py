"""A citizen's mandates: asked by a helper without looking her up, given by the code she reads
out, listed in her account and ended by her, in the audit log, in "Dữ liệu của tôi", and
cleaned up by housekeeping on a faked clock."""

from __future__ import annotations

import datetime as dt

from tests.accounts.helpers import create_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import first_commune, make_citizen, procedure_by_code
from tests.dossiers.helpers import post, sign_in_again
from tests.mandates.helpers import given_mandate, last_consent_code
from webapp.accounts.models import VOLUNTEER, Citizen
from webapp.audit.models import AuditEvent
from webapp.core.clock import utcnow
from webapp.core.personal_data import collect_all
from webapp.mandates import CODE, PAPER, PROCEDURE, Mandate, MandatePaper, services


def _ask(app, phone, name="Lê Thị Tư", evidence=CODE):
    with app.test_request_context():
        helper = create_staff(app, role=VOLUNTEER, full_name="Trần Thị Hạnh")
        return services.ask(helper, person_name=name, phone=phone, commune=first_commune(),
                            procedure=procedure_by_code(), scope=PROCEDURE, evidence=evidence)


def test_asking_looks_nobody_up_and_the_code_says_who_asks_for_what(app, in_app):
    phone = unique_phone()
    mandate = _ask(app, phone)
    assert mandate.citizen_id is None and Citizen.by_phone(phone) is None
    with app.test_request_context():
        services.send_code(mandate)
    [message] = messages_to(phone, "mandates_consent_code")
    assert "Trần Thị Hạnh" in message["text"] and "Lê Thị Tư" in message["text"]
    assert first_commune().name in message["text"]
    assert procedure_by_code().content["vi"]["title"] in message["text"]
    assert not mandate.is_live()


def test_a_wrong_code_gives_nothing_and_the_right_one_creates_her(app, in_app):
    phone = unique_phone()
    mandate = _ask(app, phone)
    with app.test_request_context():
        services.send_code(mandate)
        code = last_consent_code(phone)
        wrong = "000000" if code != "000000" else "111111"
        assert services.confirm_code(mandate, wrong).status == "wrong"
        assert Citizen.by_phone(phone) is None
        assert services.confirm_code(mandate, code).status == "ok"
    mandate = Mandate.get_by_id(mandate.id)
    citizen = Citizen.by_phone(phone)
    assert mandate.is_live() and mandate.citizen_id == citizen.id
    assert (citizen.full_name, citizen.commune_id) == ("Lê Thị Tư", first_commune().id)
    assert mandate.ends_at - mandate.starts_at == dt.timedelta(days=30)
    assert [m["template"] for m in messages_to(phone)] == ["mandates_consent_code",
                                                            "mandates_started"]
    actions = [e.action for e in AuditEvent.for_object("mandate", mandate.id)]
    assert actions == ["mandate.asked", "mandate.started"]


def test_an_existing_citizen_is_found_by_number_and_left_as_she_is(app, in_app):
    citizen = make_citizen(full_name="Phạm Thị Lụa", phone=unique_phone())
    mandate = given_mandate(app, phone=citizen.phone, name="Bà Lụa")
    assert Mandate.get_by_id(mandate.id).citizen_id == citizen.id
    assert Citizen.get_by_id(citizen.id).full_name == "Phạm Thị Lụa"


def test_she_sees_her_mandates_and_ends_one(app, in_app, client):
    mandate = given_mandate(app)
    citizen = Citizen.get_by_id(Mandate.get_by_id(mandate.id).citizen_id)
    sign_in_again(client, citizen)
    page = client.get("/tai-khoan/uy-quyen").get_data(as_text=True)
    assert "Trần Thị Hạnh" in page and "End it now" not in page  # Vietnamese by default
    assert "Kết thúc ngay" in page
    response = post(client, f"/tai-khoan/uy-quyen/{mandate.id}/ket-thuc")
    assert response.status_code == 303
    ended = Mandate.get_by_id(mandate.id)
    assert not ended.is_live() and ended.revoked_by_citizen_id == citizen.id
    assert post(client, f"/tai-khoan/uy-quyen/{mandate.id}/ket-thuc").status_code == 303
    actions = [e.action for e in AuditEvent.for_object("mandate", mandate.id)]
    assert actions.count("mandate.ended") == 1


def test_nobody_else_ends_her_mandate(app, in_app, client):
    mandate = given_mandate(app)
    sign_in_again(client, make_citizen(phone=unique_phone()))
    assert post(client, f"/tai-khoan/uy-quyen/{mandate.id}/ket-thuc").status_code == 404
    assert Mandate.get_by_id(mandate.id).is_live()


def test_her_data_lists_the_mandate_and_a_deletion_keeps_only_what_proves_a_dossier(app,
                                                                                   in_app):
    kept, gone = given_mandate(app), None
    citizen = Citizen.get_by_id(Mandate.get_by_id(kept.id).citizen_id)
    gone = given_mandate(app, phone=citizen.phone)
    services.record_dossier(kept.id, 12345)
    with app.test_request_context():
        [(_section, items)] = [(s, i) for s, i in collect_all(citizen) if s.key == "mandates"]
        assert len(items) == 2
        from webapp.mandates.personal_data import MANDATES

        assert MANDATES.erase(citizen) == 1
    assert Mandate.get_or_none(Mandate.id == gone.id) is None
    assert Mandate.get_or_none(Mandate.id == kept.id) is not None


def test_housekeeping_forgets_unanswered_requests_and_old_papers(app, in_app):
    phone = unique_phone()
    unanswered = _ask(app, phone)
    paper_mandate = given_mandate(app)
    MandatePaper.create(mandate=paper_mandate, storage_name=f"x{paper_mandate.id}.jpg",
                        media_type="image/jpeg", size=1, sha256="0")
    Mandate.update(evidence=PAPER).where(Mandate.id == paper_mandate.id).execute()
    with app.app_context():
        services.purge()
        assert Mandate.get_or_none(Mandate.id == unanswered.id) is not None
        assert MandatePaper.of_mandate(paper_mandate.id) is not None
        later = utcnow() + dt.timedelta(days=30 + 366)
        report = services.purge(later)
    assert "photo(s)" in report
    assert Mandate.get_or_none(Mandate.id == unanswered.id) is None
    assert MandatePaper.of_mandate(paper_mandate.id) is None
