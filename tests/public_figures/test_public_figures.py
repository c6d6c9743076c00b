"""The public figures (/so-lieu): the province's dossiers by month, procedure and commune,
charts with their tables, a CSV, no personal data, counted at most every
PUBLIC_FIGURES_SECONDS, and a registry other rooms add their figures to (issue 15)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest

from tests.backoffice.conftest import make_citizen, make_dossier
from tests.backoffice.test_figures import decide, new_commune, rate
from webapp.core import figure_sets
from webapp.core.phones import mask_phone
from webapp.dossiers import lifecycle as lc
from webapp.public_figures import counting

MARCH = dt.datetime(2026, 3, 2, 2, 0)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def commune_row(rows, name):
    return next(row for row in rows if row[0] == name)


def test_the_page_shows_the_province_by_commune_with_charts_tables_and_a_csv(
        client, client_page, url, in_app):
    commune = new_commune("Xã Công Khai")
    done = [make_dossier(lc.CLOSED, commune=commune, submitted_at=MARCH) for _ in range(4)]
    for dossier, on_time in zip(done, (True, True, True, False), strict=True):
        decide(dossier, on_time)
    rate(done[0], 5)
    rate(done[1], 4)
    page = client_page("public_figures.page", theo="xa", ky="nam-2026")
    assert page.response.headers.get("Cache-Control", "") != "private, no-store"
    # The dossiers' three charts (the reports' and consultations' sets have their own).
    assert page.html.count('<svg class="chart" role="img" aria-labelledby="chart-ho-so-') == 3
    assert "<caption" in page.html and 'scope="row">Xã Công Khai</th>' in page.html
    assert "Số liệu dịch vụ công trực tuyến" in page.text
    # Only the public measures: the queue's state stays in the back office.
    assert "Chờ công dân bổ sung" not in page.text and "Đang xử lý, đã quá hạn" not in page.text
    response = client.get(url("public_figures.csv_file", bang="ho-so", theo="xa", ky="nam-2026"))
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    assert response.headers["Cache-Control"] == "public, max-age=300"
    rows = read_csv(response)
    heading = rows[0]
    mine = dict(zip(heading, commune_row(rows, "Xã Công Khai"), strict=True))
    assert heading[0] == "Xã, phường" and rows[-1][0] == "Tổng cộng"
    assert (mine["Nhận trực tuyến"], mine["Đã giải quyết"], mine["Đúng hạn"]) == ("4", "4", "3")
    assert mine["Tỷ lệ đúng hạn"] == "75,0 %" and mine["Điểm hài lòng trung bình (trên 5)"] == "4,5"


def test_figures_by_month_and_by_procedure(client, url, in_app):
    commune = new_commune("Xã Theo Tháng")
    make_dossier(commune=commune, submitted_at=MARCH)
    by_month = read_csv(client.get(url("public_figures.csv_file", theo="thang", ky="nam-2026")))
    assert [row[0] for row in by_month[1:4]] == ["01/2026", "02/2026", "03/2026"]
    by_procedure = read_csv(client.get(url("public_figures.csv_file", theo="thu-tuc",
                                           ky="nam-2026")))
    assert by_procedure[0][0] == "Thủ tục" and len(by_procedure) >= 3


def test_nothing_personal_is_ever_shown(client, client_page, url, in_app):
    """Render every period and grouping, page and CSV, and look for every fixture's personal
    data: phone (as typed and masked), name, ID number, address, the dossier's code."""
    commune = new_commune("Xã Riêng Tư")
    phone = f"0912{random.randrange(10**6):06d}"  # unique: the session's database is shared
    citizen = make_citizen(phone=phone, full_name="Trần Văn Bí Mật",
                           citizen_id="072199001234", address="Ấp Kín Đáo số 9")
    dossier = make_dossier(lc.CLOSED, commune=commune, citizen=citizen, submitted_at=MARCH,
                           answers={"full_name": citizen.full_name, "note": "Chuyện riêng"})
    decide(dossier)
    rate(dossier, 5)
    secrets = [phone, f"{phone[:4]} {phone[4:7]} {phone[7:]}", phone[1:], mask_phone(phone),
               "Trần Văn Bí Mật", "072199001234", "Ấp Kín Đáo", dossier.code, "Chuyện riêng"]
    seen = []
    for period in ("12-thang", "nam-2026", "nam-2025"):
        for grouping in ("thang", "thu-tuc", "xa"):
            page = client_page("public_figures.page", ky=period, theo=grouping)
            data = client.get(url("public_figures.csv_file", ky=period, theo=grouping))
            seen += [page.html, data.get_data(as_text=True)]
    assert "Xã Riêng Tư" in "".join(seen)  # the commune's row is there, without her
    for secret in secrets:
        assert not [text for text in seen if secret in text], secret


class FakeClock:
    def __init__(self, monkeypatch):
        self.now = dt.datetime(2026, 12, 2, 3, 0)
        monkeypatch.setattr(counting, "utcnow", lambda: self.now)


def test_counted_at_most_every_public_figures_seconds(app, in_app, monkeypatch):
    from playhouse.test_utils import count_queries

    clock = FakeClock(monkeypatch)
    commune = new_commune("Xã Đồng Hồ Giả")
    make_dossier(commune=commune, submitted_at=MARCH)
    dossiers = next(s for s in figure_sets.figure_sets() if s.key == "ho-so")
    months = ("2026-03",)

    def received():
        with app.test_request_context():
            found = counting.counted(dossiers, months, figure_sets.BY_COMMUNE)
        return next(r.received for r in found.rows if r.label == "Xã Đồng Hồ Giả"), found

    first, counted = received()
    make_dossier(commune=commune, submitted_at=MARCH)
    clock.now += dt.timedelta(seconds=299)
    with count_queries() as kept:
        again, same = received()
    assert (first, again) == (1, 1) and same is counted and kept.count == 0
    clock.now += dt.timedelta(seconds=1)
    assert received()[0] == 2
    app.config["PUBLIC_FIGURES_SECONDS"] = 60
    make_dossier(commune=commune, submitted_at=MARCH)
    clock.now += dt.timedelta(seconds=60)
    assert received()[0] == 3


@pytest.fixture
def bookings_figures(app):
    """Another room's figures, registered as a room would in its init_app."""

    class Row:
        def __init__(self, key, label, booked):
            self.key, self.label, self.booked = key, label, booked

    def count(months, grouping, today):
        rows = [Row(key, figure_sets.month_label(key), 7) for key in months]
        return rows, Row("total", "", 7 * len(rows))

    figure_set = figure_sets.FigureSet(
        key="lich-hen", title="Lịch hẹn thử", order=50, count=count,
        groupings=(figure_sets.BY_MONTH,), headline=("booked",),
        measures=(figure_sets.Measure("booked", "Số lịch hẹn thử", "booked",
                                      chart="Biểu đồ lịch hẹn thử"),))
    figure_sets.register(app, figure_set)
    return figure_set


def test_another_room_adds_its_figures_through_the_registry(client, client_page, url, in_app,
                                                            bookings_figures):
    page = client_page("public_figures.page", ky="nam-2025")
    assert "Lịch hẹn thử" in page.text and "Biểu đồ lịch hẹn thử" in page.text
    assert page.text.index("Hồ sơ trực tuyến") < page.text.index("Lịch hẹn thử")
    rows = read_csv(client.get(url("public_figures.csv_file", bang="lich-hen", ky="nam-2025")))
    assert rows[1] == ["01/2025", "7"] and rows[-1] == ["Tổng cộng", "84"]
    by_commune = client_page("public_figures.page", theo="xa")
    assert "Các số liệu này không được đếm theo cách này." in by_commune.text
    assert client.get(url("public_figures.csv_file", bang="lich-hen", theo="xa")
                      ).status_code == 404


def test_the_footer_links_to_the_figures(client_page, url):
    assert f'href="{url("public_figures.page")}"' in client_page("site.home").html
