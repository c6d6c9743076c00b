"""The pages, as a phone without JavaScript uses them: choose a procedure, a day, a time; the
confirmation with its code; cancel and move; mistakes said beside the field; and the officers'
day list, marks, blocked slots and timetable, each limited to their commune and audited."""

from __future__ import annotations

import random

import pytest

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import make_citizen, procedure_by_code
from tests.bookings.conftest import TUESDAY, fresh_commune, make_booking, open_shop
from tests.bookings.pages import get_page, request_key
from tests.dossiers.helpers import path_of, post, sign_in_again
from tests.pages import check_page, page_text
from webapp.accounts.models import OFFICER
from webapp.audit.models import AuditEvent
from webapp.bookings import lifecycle as lc
from webapp.bookings.models import Booking, OpeningHours, ShopSchedule


@pytest.fixture
def person(app, in_app, fake_now):
    """A citizen of an open shop, signed in on her own client."""
    shop = open_shop(fresh_commune())
    citizen = make_citizen(commune=shop, full_name="Lê Thị Hoa")
    client = app.test_client()
    sign_in_again(client, citizen)
    return client, citizen, shop, procedure_by_code()




def test_a_citizen_books_a_time_without_javascript(person):
    client, citizen, shop, procedure = person
    html = get_page(client, "/dat-lich")
    assert procedure.slug in html
    response = client.get(f"/dat-lich?thu-tuc={procedure.slug}")
    assert response.status_code == 303
    days_path = path_of(response.location)
    days = get_page(client, days_path)
    assert "08/12/2026" in page_text(days)
    assert f'href="{days_path}/{TUESDAY.isoformat()}"' in days
    slots = get_page(client, f"{days_path}/{TUESDAY.isoformat()}")
    assert "07:30" in slots
    response = post(client, f"{days_path}/{TUESDAY.isoformat()}",
                    {"gio": "07:30", "request_key": request_key(slots)})
    assert response.status_code == 303
    detail = get_page(client, path_of(response.location))
    booking = Booking.get(Booking.citizen == citizen)
    assert booking.code in detail and "07:30" in detail
    assert shop.name in page_text(detail)


def test_a_double_tap_books_once(person):
    client, citizen, _shop, procedure = person
    path = f"/dat-lich/{procedure.slug}/{TUESDAY.isoformat()}"
    key = request_key(get_page(client, path))
    first = post(client, path, {"gio": "08:00", "request_key": key})
    second = post(client, path, {"gio": "08:00", "request_key": key})
    assert first.location == second.location
    assert Booking.select().where(Booking.citizen == citizen).count() == 1


def test_no_time_chosen_says_so_beside_the_field(person):
    client, _citizen, _shop, procedure = person
    path = f"/dat-lich/{procedure.slug}/{TUESDAY.isoformat()}"
    response = post(client, path, {"request_key": request_key(get_page(client, path))})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert 'class="error-message"' in html and "error-summary" in html


def test_a_taken_time_is_refused_and_another_offered(person):
    client, _citizen, shop, procedure = person
    for _ in range(2):
        make_booking(make_citizen(commune=shop), shop, start="09:00")
    from webapp.bookings.models import SlotCounter

    SlotCounter.create(commune=shop, day=TUESDAY, start="09:00", booked=2)
    path = f"/dat-lich/{procedure.slug}/{TUESDAY.isoformat()}"
    html = get_page(client, path)
    assert 'value="09:00"' not in html
    response = post(client, path, {"gio": "09:00", "request_key": request_key(html)})
    assert response.status_code == 200
    assert 'class="error-message"' in response.get_data(as_text=True)


def test_cancel_and_book_again(person):
    client, citizen, shop, procedure = person
    path = f"/dat-lich/{procedure.slug}/{TUESDAY.isoformat()}"
    post(client, path, {"gio": "08:00", "request_key": request_key(get_page(client, path))})
    booking = Booking.get(Booking.citizen == citizen)
    response = post(client, f"/lich-hen/{booking.code}/huy", {"version": booking.version})
    assert response.status_code == 303
    assert Booking.get_by_id(booking.id).status == lc.CANCELLED
    again = post(client, f"/lich-hen/{booking.code}/huy", {"version": booking.version})
    assert again.status_code == 303  # a second tap says nothing new
    detail = get_page(client, f"/lich-hen/{booking.code}")
    assert f"/lich-hen/{booking.code}/huy" not in detail and 'href="/dat-lich"' in detail


def test_move_to_another_day(person):
    client, citizen, _shop, procedure = person
    path = f"/dat-lich/{procedure.slug}/{TUESDAY.isoformat()}"
    post(client, path, {"gio": "08:00", "request_key": request_key(get_page(client, path))})
    booking = Booking.get(Booking.citizen == citizen)
    days = get_page(client, f"/lich-hen/{booking.code}/doi")
    assert f"/lich-hen/{booking.code}/doi/2026-12-09" in days
    slots = get_page(client, f"/lich-hen/{booking.code}/doi/2026-12-09")
    response = post(client, f"/lich-hen/{booking.code}/doi/2026-12-09",
                    {"gio": "14:00", "version": booking.version,
                     "request_key": request_key(slots)})
    assert response.status_code == 303
    moved = Booking.get_by_id(booking.id)
    assert (moved.day.isoformat(), moved.start) == ("2026-12-09", "14:00")


def test_a_second_booking_for_the_same_procedure_leads_to_the_first(person):
    client, citizen, shop, procedure = person
    booking = make_booking(citizen, shop, procedure, active_key=f"{citizen.id}:{procedure.id}")
    response = client.get(f"/dat-lich/{procedure.slug}")
    assert response.status_code == 303 and path_of(response.location) == \
        f"/lich-hen/{booking.code}"


def test_without_a_commune_she_is_asked_for_it(app, in_app, fake_now):
    client = app.test_client()
    sign_in_again(client, make_citizen(commune=None))
    html = get_page(client, "/dat-lich")
    assert 'href="/tai-khoan/thong-tin"' in html and 'name="thu-tuc"' not in html


def test_anothers_booking_is_not_found(app, person):
    _client, _citizen, shop, _procedure = person
    booking = make_booking(make_citizen(commune=shop), shop)
    stranger = app.test_client()
    sign_in_again(stranger, make_citizen(commune=shop))
    for path in (f"/lich-hen/{booking.code}", f"/lich-hen/{booking.code}/doi"):
        assert stranger.get(path).status_code == 404
    assert post(stranger, f"/lich-hen/{booking.code}/huy", {"version": 1}).status_code == 404
    assert Booking.get_by_id(booking.id).status == lc.BOOKED


# --- Officers ---------------------------------------------------------------------------------


@pytest.fixture
def office(app, in_app, fake_now):
    shop = open_shop(fresh_commune())
    client = app.test_client()
    officer = sign_in_staff(client, role=OFFICER, communes=[shop])
    return client, officer, shop


def test_the_day_list_shows_who_is_expected_masked_and_is_audited(office):
    client, officer, shop = office
    # A phone of its own: the session's database is shared with the other rooms' tests.
    phone = f"0912{random.randrange(10**6):06d}"
    citizen = make_citizen(commune=shop, full_name="Phạm Văn Lộc", phone=phone)
    booking = make_booking(citizen, shop)
    html = get_page(client, f"/can-bo/lich-hen?xa={shop.id}&ngay={TUESDAY.isoformat()}")
    assert "Phạm Văn Lộc" in html and booking.code in html
    assert phone not in html
    seen = AuditEvent.select().where((AuditEvent.action == "bookings.day_viewed")
                                     & (AuditEvent.object_id == f"{shop.id}:{TUESDAY}")
                                     & (AuditEvent.actor_id == officer.id))
    assert seen.count() == 1


def test_she_sees_who_opened_the_day_list_she_is_on(app, office):
    from webapp.privacy import services as privacy

    client, officer, shop = office
    citizen = make_citizen(commune=shop)
    make_booking(citizen, shop)
    get_page(client, f"/can-bo/lich-hen?xa={shop.id}&ngay={TUESDAY.isoformat()}")
    opened = privacy.who_opened(citizen, privacy.holdings(citizen))
    assert [(event.action, event.actor_id) for event, _name in opened] == [
        ("bookings.day_viewed", officer.id)]


def test_an_officer_marks_arrived(office):
    client, _officer, shop = office
    booking = make_booking(make_citizen(commune=shop), shop)
    response = post(client, f"/can-bo/lich-hen/{booking.code}/danh-dau",
                    {"action": "arrive", "version": 1})
    assert response.status_code == 303
    assert Booking.get_by_id(booking.id).status == lc.ARRIVED


def test_an_officer_of_another_commune_is_refused(app, office):
    _client, _officer, shop = office
    elsewhere = app.test_client()
    sign_in_staff(elsewhere, role=OFFICER, communes=[fresh_commune()])
    booking = make_booking(make_citizen(commune=shop), shop)
    assert elsewhere.get(f"/can-bo/lich-hen?xa={shop.id}").status_code == 403
    assert post(elsewhere, f"/can-bo/lich-hen/{booking.code}/danh-dau",
                {"action": "arrive", "version": 1}).status_code == 403
    assert elsewhere.get(f"/can-bo/lich-hen/cai-dat?xa={shop.id}").status_code == 403
    assert post(elsewhere, "/can-bo/lich-hen/cai-dat", {"xa": shop.id}).status_code == 403
    assert Booking.get_by_id(booking.id).status == lc.BOOKED


def test_an_officer_blocks_and_frees_a_slot(office):
    from webapp.bookings import schedule

    client, _officer, shop = office
    data = {"xa": shop.id, "ngay": TUESDAY.isoformat(), "gio": "10:00"}
    assert post(client, "/can-bo/lich-hen/khung-gio", {**data, "action": "block"}
                ).status_code == 303
    assert schedule.find_slot(shop, TUESDAY, "10:00").blocked
    assert post(client, "/can-bo/lich-hen/khung-gio", {**data, "action": "unblock"}
                ).status_code == 303
    assert not schedule.find_slot(shop, TUESDAY, "10:00").blocked


def test_an_officer_sets_the_timetable(app, in_app, fake_now):
    commune = fresh_commune()
    client = app.test_client()
    sign_in_staff(client, role=OFFICER, communes=[commune])
    html = get_page(client, "/can-bo/lich-hen/cai-dat")
    assert 'value="07:00"' in html  # the usual hours offered
    data = {"slot_minutes": "20", "capacity": "3", "h-0-morning-opens": "7:30",
            "h-0-morning-closes": "11:00", "h-5-morning-opens": "07:30",
            "h-5-morning-closes": "10:30"}
    response = post(client, "/can-bo/lich-hen/cai-dat", data)
    assert response.status_code == 303
    schedule_row = ShopSchedule.get(ShopSchedule.commune == commune)
    assert (schedule_row.slot_minutes, schedule_row.capacity) == (20, 3)
    hours = {(row.weekday, row.period): (row.opens, row.closes)
             for row in OpeningHours.select().where(OpeningHours.commune == commune)}
    assert hours == {(0, "morning"): ("07:30", "11:00"), (5, "morning"): ("07:30", "10:30")}
    assert AuditEvent.select().where((AuditEvent.action == "bookings.settings_changed")
                                     & (AuditEvent.object_id == str(commune.id))).count() == 1


def test_bad_hours_are_said_beside_the_field_and_kept(app, in_app, fake_now):
    commune = fresh_commune()
    client = app.test_client()
    sign_in_staff(client, role=OFFICER, communes=[commune])
    response = post(client, "/can-bo/lich-hen/cai-dat", {
        "slot_minutes": "30", "capacity": "0", "h-1-morning-opens": "11:00",
        "h-1-morning-closes": "08:00", "h-2-afternoon-opens": "sáng"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert html.count('aria-invalid="true"') == 3
    assert 'value="sáng"' in html and 'value="11:00"' in html
    assert ShopSchedule.get_or_none(ShopSchedule.commune == commune) is None


def test_an_officer_closes_a_day(office):
    from webapp.bookings import schedule

    client, _officer, shop = office
    response = post(client, "/can-bo/lich-hen/ngay-nghi",
                    {"xa": shop.id, "ngay": TUESDAY.isoformat(), "ly_do": "Tập huấn"})
    assert response.status_code == 303
    assert schedule.slots_of_day(shop, TUESDAY) == []
    post(client, "/can-bo/lich-hen/ngay-nghi",
         {"xa": shop.id, "ngay": TUESDAY.isoformat(), "action": "reopen"})
    assert schedule.slots_of_day(shop, TUESDAY) != []
