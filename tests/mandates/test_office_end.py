"""The office ends a mandate (issue 12): an administrator, or an officer of the mandate's
commune, with a reason that is required, kept, audited and told to the citizen and the
helper; the helper can then open nothing under it. An officer of another commune is refused."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import first_communes, sign_in_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.assisted.helpers import consent_by_code
from tests.dossiers.helpers import post, sign_in_again
from webapp.accounts.models import ADMIN, OFFICER, VOLUNTEER, Citizen
from webapp.audit.models import AuditEvent
from webapp.mandates import Mandate

REASON = "Bà Tư xin dừng tại quầy một cửa."


@pytest.fixture
def helped(app, in_app):
    """A volunteer (with a phone) filling a draft for Bà Tư under a live mandate."""
    volunteer = app.test_client()
    helper = sign_in_staff(volunteer, role=VOLUNTEER, full_name="Trần Thị Hạnh",
                           phone=unique_phone())
    phone = unique_phone()
    draft = consent_by_code(volunteer, phone, scope="procedure")
    assert volunteer.get(draft).status_code == 200
    return volunteer, helper, draft, Mandate.get(Mandate.phone == phone)


def _end(client, mandate, reason=REASON):
    return post(client, f"/can-bo/uy-quyen/{mandate.id}/ket-thuc", {"reason": reason})


@pytest.mark.parametrize("role", [OFFICER, ADMIN])
def test_the_office_ends_it_with_a_reason_and_both_are_told(app, helped, role):
    volunteer, helper, draft, mandate = helped
    office = app.test_client()
    staff = sign_in_staff(office, role=role)  # an officer of the first commune, the mandate's
    listed = office.get("/can-bo/uy-quyen").get_data(as_text=True)
    assert "Lê Thị Tư" in listed and "Trần Thị Hạnh" in listed and mandate.phone not in listed
    assert "Kết thúc ủy quyền này" in office.get(
        f"/can-bo/uy-quyen/{mandate.id}/ket-thuc").get_data(as_text=True)

    response = _end(office, mandate)
    assert response.status_code == 303
    ended = Mandate.get_by_id(mandate.id)
    assert not ended.is_live() and ended.revoked_by_staff_id == staff.id
    assert ended.end_reason == REASON
    [to_her] = messages_to(mandate.phone, "mandates_ended_by_office")
    [to_helper] = messages_to(helper.phone, "mandates_ended_for_helper")
    quoted = f"Lý do: “{REASON.rstrip('.')}”."  # her words, without a doubled stop
    assert quoted in to_her["text"] and "Trần Thị Hạnh" in to_her["text"]
    assert quoted in to_helper["text"] and "Lê Thị Tư" in to_helper["text"]
    [audited] = AuditEvent.select().where((AuditEvent.action == "mandate.ended")
                                          & (AuditEvent.object_id == str(mandate.id)))
    assert (audited.actor_type, audited.actor_id) == ("staff", staff.id)
    assert audited.detail["reason"] == REASON
    # The helper can no longer act: the draft under it is "not found" to her.
    assert volunteer.get(draft).status_code == 404
    assert post(volunteer, draft, {"full_name": "X"}).status_code == 404
    # A double tap is one end, one pair of messages.
    assert _end(office, mandate, "Lần hai").status_code == 303
    assert Mandate.get_by_id(mandate.id).end_reason == REASON
    assert len(messages_to(mandate.phone, "mandates_ended_by_office")) == 1


def test_the_reason_is_required_and_said_beside_the_field(app, helped):
    _volunteer, _helper, _draft, mandate = helped
    office = app.test_client()
    sign_in_staff(office, role=OFFICER)
    response = _end(office, mandate, "   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="reason-error"' in html
    assert "Xin ghi lý do kết thúc" in html
    response = _end(office, mandate, "x" * 501)
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert "x" * 501 in response.get_data(as_text=True)  # what was typed is kept
    assert Mandate.get_by_id(mandate.id).is_live()


def test_an_officer_of_another_commune_is_refused(app, helped):
    volunteer, _helper, draft, mandate = helped
    other = app.test_client()
    sign_in_staff(other, role=OFFICER, communes=[first_communes(2)[1]])
    assert other.get(f"/can-bo/uy-quyen/{mandate.id}/ket-thuc").status_code == 404
    assert _end(other, mandate).status_code == 404
    assert "Lê Thị Tư" not in other.get("/can-bo/uy-quyen").get_data(as_text=True)
    assert Mandate.get_by_id(mandate.id).is_live()
    assert volunteer.get(draft).status_code == 200


def test_a_volunteer_cannot_end_it_from_the_office_pages(app, helped):
    volunteer, _helper, _draft, mandate = helped
    assert _end(volunteer, mandate).status_code == 403
    assert Mandate.get_by_id(mandate.id).is_live()


def test_she_sees_the_office_s_reason_on_her_page(app, helped):
    _volunteer, _helper, _draft, mandate = helped
    office = app.test_client()
    sign_in_staff(office, role=ADMIN)
    assert _end(office, mandate).status_code == 303
    her = app.test_client()
    sign_in_again(her, Citizen.get_by_id(mandate.citizen_id))
    page = her.get("/tai-khoan/uy-quyen").get_data(as_text=True)
    assert f"Lý do cơ quan đưa ra: {REASON}" in page
