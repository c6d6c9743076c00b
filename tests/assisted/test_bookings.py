"""A volunteer books a time at the one-stop shop for a citizen under her mandate, from the
assisted pages without JavaScript: the booking is hers (her list, her confirmation message),
says who booked it to her and to the officers, is in the audit log, and the volunteer sees it
only while the mandate is live; without a live mandate she is refused and told why."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import sign_in_staff
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import procedure_by_code
from tests.bookings.conftest import TUESDAY, fake_now, fresh_commune, open_shop  # noqa: F401
from tests.bookings.pages import get_page, request_key
from tests.dossiers.helpers import path_of, post, sign_in_again
from tests.mandates.helpers import given_mandate
from tests.pages import page_text
from webapp.accounts.models import OFFICER, VOLUNTEER
from webapp.audit.models import AuditEvent
from webapp.bookings.models import Booking
from webapp.mandates import Mandate
from webapp.mandates import services as mandates


@pytest.fixture
def helping(app, in_app, client, fake_now):  # noqa: F811 (the fixture imported above)
    """A volunteer signed in on `client` with a live mandate of a citizen of an open shop."""
    shop = open_shop(fresh_commune())
    volunteer = sign_in_staff(client, role=VOLUNTEER, communes=[shop],
                              full_name="Trần Thị Hạnh")
    procedure = procedure_by_code()
    mandate = given_mandate(app, helper=volunteer, commune=shop, name="Lê Thị Tư",
                            procedure_code=procedure.code)
    return volunteer, Mandate.get_by_id(mandate.id), shop, procedure




def _book_tuesday_0800(client, mandate):
    home = get_page(client, "/tinh-nguyen/")
    days_path = f"/tinh-nguyen/uy-quyen/{mandate.id}/dat-lich"
    assert f'href="{days_path}"' in home
    days = get_page(client, days_path)
    assert "Lê Thị Tư" in page_text(days)
    slots_path = f"{days_path}/{TUESDAY.isoformat()}"
    assert f'href="{slots_path}"' in days
    slots = get_page(client, slots_path)
    return slots_path, request_key(slots)


def test_a_volunteer_books_her_a_time_that_is_hers(app, client, helping):
    volunteer, mandate, shop, procedure = helping
    slots_path, key = _book_tuesday_0800(client, mandate)
    response = post(client, slots_path, {"gio": "08:00", "request_key": key})
    assert response.status_code == 303
    booking = Booking.get(Booking.citizen == mandate.citizen_id)
    assert path_of(response.location) == f"/tinh-nguyen/lich-hen/{booking.code}"
    assert (booking.booked_by_id, booking.mandate_id, booking.start) == (
        volunteer.id, mandate.id, "08:00")
    page = page_text(get_page(client, path_of(response.location)))
    assert booking.code in page and "08:00" in page and shop.name in page
    # The same confirmation she would get booking herself, to her phone.
    assert [m["template"] for m in messages_to(mandate.phone)].count("booking_booked") == 1
    assert AuditEvent.select().where((AuditEvent.action == "booking.viewed_by_helper")
                                     & (AuditEvent.object_id == str(booking.id))).exists()
    # A second tap of the same form books nothing more.
    again = post(client, slots_path, {"gio": "08:00", "request_key": key})
    assert again.location == response.location
    assert Booking.select().where(Booking.citizen == mandate.citizen_id).count() == 1
    # On the volunteer's page, in her own list, and in the officers' day list: who booked it.
    assert booking.code in get_page(client, "/tinh-nguyen/")
    her_client = app.test_client()
    sign_in_again(her_client, mandate.citizen)
    mine = page_text(get_page(her_client, f"/lich-hen/{booking.code}"))
    assert "Đặt bởi tình nguyện viên Trần Thị Hạnh" in mine
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER, communes=[shop])
    day = page_text(get_page(officer, f"/can-bo/lich-hen?xa={shop.id}&ngay={TUESDAY.isoformat()}"))
    assert "Đặt bởi tình nguyện viên Trần Thị Hạnh" in day
    # And her own list is where her bookings are.
    assert booking.code in get_page(her_client, "/dat-lich")


def test_once_she_ends_the_mandate_the_volunteer_is_refused_and_told_why(client, helping):
    _volunteer, mandate, _shop, _procedure = helping
    slots_path, key = _book_tuesday_0800(client, mandate)
    mandates.end(mandate, citizen=mandate.citizen)
    response = post(client, slots_path, {"gio": "08:00", "request_key": key})
    assert response.status_code == 303 and path_of(response.location) == "/tinh-nguyen/"
    home = page_text(get_page(client, "/tinh-nguyen/"))
    assert "Sự đồng ý của người này đã kết thúc" in home
    assert not Booking.select().where(Booking.citizen == mandate.citizen_id).exists()
    response = client.get(f"/tinh-nguyen/uy-quyen/{mandate.id}/dat-lich")
    assert response.status_code == 303 and path_of(response.location) == "/tinh-nguyen/"


def test_the_booking_page_closes_with_the_mandate(client, helping):
    volunteer, mandate, _shop, procedure = helping
    from webapp.bookings import services

    booking = services.book(mandate.citizen, procedure, TUESDAY, "09:00", helper=volunteer)
    get_page(client, f"/tinh-nguyen/lich-hen/{booking.code}")
    mandates.end(mandate, citizen=mandate.citizen)
    get_page(client, f"/tinh-nguyen/lich-hen/{booking.code}", status=404)


def test_another_volunteers_mandate_is_not_found(app, client, helping):
    _volunteer, mandate, shop, _procedure = helping
    other = app.test_client()
    sign_in_staff(other, role=VOLUNTEER, communes=[shop])
    get_page(other, f"/tinh-nguyen/uy-quyen/{mandate.id}/dat-lich", status=404)
    get_page(other, f"/tinh-nguyen/uy-quyen/{mandate.id}/dat-lich/{TUESDAY.isoformat()}",
             status=404)


def test_no_time_chosen_says_so_beside_the_field(client, helping):
    _volunteer, mandate, _shop, _procedure = helping
    slots_path, key = _book_tuesday_0800(client, mandate)
    response = post(client, slots_path, {"request_key": key})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="gio-error"' in html
    assert not Booking.select().where(Booking.citizen == mandate.citizen_id).exists()


def test_she_already_has_a_booking_for_the_procedure(client, helping):
    volunteer, mandate, _shop, procedure = helping
    from webapp.bookings import services

    booking = services.book(mandate.citizen, procedure, TUESDAY, "09:00")
    response = client.get(f"/tinh-nguyen/uy-quyen/{mandate.id}/dat-lich")
    assert response.status_code == 303
    assert booking.code in page_text(get_page(client, "/tinh-nguyen/"))
