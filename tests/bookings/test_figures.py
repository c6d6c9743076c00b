"""The bookings' figures for the province office: bookings by month of their day, by commune
and by procedure; arrived, did not come, cancelled; the share a volunteer booked; exact
numbers, on both databases, and on the figures page and its CSV."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.accounts.helpers import create_staff
from tests.backoffice.conftest import make_citizen, procedure_by_code
from tests.bookings.conftest import fresh_commune, make_booking
from tests.public_figures.test_public_figures import commune_row, read_csv
from webapp.accounts.models import VOLUNTEER
from webapp.bookings import figures
from webapp.bookings import lifecycle as lc
from webapp.core import clock
from webapp.core.figure_sets import BY_COMMUNE, BY_MONTH, BY_PROCEDURE
from webapp.public_figures import counting

# Each test books in a year of its own that no other test books in (the database outlives a
# test): the province-wide rows are that test's alone.
_years = itertools.count(2040)


@pytest.fixture
def province(app, in_app):
    """Two communes' bookings in March and April of a year (one each side, not counted)."""
    year = next(_years)
    here, there = fresh_commune(), fresh_commune()
    volunteer = create_staff(app, role=VOLUNTEER, communes=[here])
    first, second = procedure_by_code(), procedure_by_code("1.000656")

    def booked(commune, day, status, procedure=first, helped=False):
        make_booking(make_citizen(commune=commune), commune, procedure,
                     day=dt.date.fromisoformat(f"{year}-{day}"), status=status,
                     booked_by=volunteer if helped else None)

    booked(here, "03-10", lc.ARRIVED, helped=True)
    booked(here, "03-10", lc.NO_SHOW)
    booked(here, "03-10", lc.BOOKED)
    booked(here, "03-31", lc.CANCELLED, helped=True)
    booked(here, "04-02", lc.ARRIVED, procedure=second)
    booked(there, "04-30", lc.NO_SHOW)
    booked(here, "02-28", lc.ARRIVED)  # before the months asked for
    booked(there, "05-01", lc.ARRIVED, helped=True)  # after them
    return here, there, first, second, (f"{year}-03", f"{year}-04")


def _numbers(row):
    return (row.bookings, row.arrived, row.no_show, row.cancelled, row.by_volunteer,
            row.volunteer_share)


def test_by_month_every_month_with_its_marks_and_the_volunteers_share(province):
    *_rest, months = province
    rows, total = figures.count(months, BY_MONTH)
    year = months[0][:4]
    assert [(row.label, *_numbers(row)) for row in rows] == [
        (f"03/{year}", 4, 1, 1, 1, 2, 50.0),
        (f"04/{year}", 2, 1, 1, 0, 0, 0.0),
    ]
    assert _numbers(total)[:5] == (6, 2, 2, 1, 2)
    assert total.volunteer_share == pytest.approx(100 / 3)


def test_a_month_without_bookings_is_a_row_of_zeros_and_an_unknown_share(in_app):
    rows, total = figures.count(("2039-07",), BY_MONTH)
    assert [(row.label, *_numbers(row)) for row in rows] == [("07/2039", 0, 0, 0, 0, 0, None)]
    assert total.volunteer_share is None


def test_by_commune_and_by_procedure(app, province):
    here, there, first, second, months = province
    rows, _total = figures.count(months, BY_COMMUNE)
    by_name = {row.label: _numbers(row) for row in rows}
    assert by_name == {here.name: (5, 2, 1, 1, 2, 40.0), there.name: (1, 0, 1, 0, 0, 0.0)}
    with app.test_request_context("/"):  # the titles in the reader's language (Vietnamese)
        rows, _total = figures.count(months, BY_PROCEDURE)
    by_title = {row.label: row.bookings for row in rows}
    assert by_title == {first.content["vi"]["title"]: 5, second.content["vi"]["title"]: 1}


def test_the_figures_page_and_its_csv_show_a_communes_bookings(app, in_app, client):
    counting.forget()
    commune = fresh_commune()
    today = clock.local_today()
    for status in (lc.ARRIVED, lc.ARRIVED, lc.NO_SHOW, lc.CANCELLED):
        make_booking(make_citizen(commune=commune), commune, day=today, status=status)
    page = client.get("/so-lieu?theo=xa").get_data(as_text=True)
    assert "Lịch hẹn tại bộ phận một cửa" in page
    rows = read_csv(client.get("/so-lieu.csv?bang=lich-hen&theo=xa"))
    assert rows[0] == ["Xã, phường", "Lịch hẹn", "Đã đến", "Không đến", "Đã hủy",
                       "Do tình nguyện viên đặt giúp (%)"]
    assert commune_row(rows, commune.name) == [commune.name, "4", "2", "1", "1", "0,0 %"]
    counting.forget()
