"""The reports' figures for the province office (the figures registry, /so-lieu): reports by
month and commune, by category; answered on time or overdue; the median working days to answer;
the share reopened. Exact numbers from a commune of the test's own."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from tests.backoffice.conftest import make_citizen
from tests.backoffice.test_figures import new_commune
from tests.public_figures.test_public_figures import commune_row, read_csv
from tests.reports.factories import make_report
from webapp.core import figure_sets
from webapp.public_figures import counting
from webapp.reports import figures
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportOutcome

MONTHS = ("2023-03", "2023-04")


def _empty_year(app) -> int:
    """A year in which no report was sent nor answered yet (the session's database is shared
    by every test, so a month's figures are exact only in a year nobody else used)."""
    with app.test_request_context():
        for year in range(1990, 2020):
            rows, total = figures.count((f"{year}-03", f"{year}-04"), figure_sets.BY_MONTH,
                                        dt.date(2023, 6, 1))
            if total.received == 0 and total.answered == 0:
                return year
    raise AssertionError("no empty year left")


def _answer(report, decided_at, on_time, days, reopened=False, decision=lc.FIXED):
    ReportOutcome.create(report=report, commune=report.commune_id, category=report.category,
                         decision=decision, decided_at=decided_at, due_date=decided_at.date(),
                         on_time=on_time, working_days=days)
    Report.update(status=decision, reopened=reopened).where(Report.id == report.id).execute()


def _reports_of(commune, year=2023):
    """Four reports in March and April of `year` (UTC times), three of them answered."""
    citizen = make_citizen()
    at = lambda *args: dt.datetime(year, *args)  # noqa: E731
    first = make_report(commune, citizen, category="lighting",
                        submitted_at=at(3, 2, 2, 0))
    second = make_report(commune, citizen, category="lighting",
                         submitted_at=at(3, 15, 9, 0))
    third = make_report(commune, citizen, category="roads",
                        submitted_at=at(3, 20, 1, 0))
    # 31 March at 18:00 UTC is 1 April at 01:00 in Việt Nam: an April report.
    make_report(commune, citizen, category="roads", submitted_at=at(3, 31, 18, 0))
    _answer(first, at(3, 20, 3, 0), on_time=True, days=5)
    _answer(second, at(4, 5, 3, 0), on_time=True, days=3, reopened=True)
    _answer(third, at(4, 10, 3, 0), on_time=False, days=12,
            decision=lc.NOT_FIXED)


def _row(rows, label):
    return next(row for row in rows if row.label == label)


def test_by_commune_received_by_category_answered_median_and_reopened(app, in_app):
    commune = new_commune("Xã Phản Ánh Đếm")
    _reports_of(commune)
    with app.test_request_context():
        rows, total = figures.count(MONTHS, figure_sets.BY_COMMUNE, dt.date(2023, 6, 1))
    mine = _row(rows, "Xã Phản Ánh Đếm")
    assert (mine.received, mine.by_category) == (4, {"lighting": 2, "roads": 2})
    assert (mine.answered, mine.on_time, mine.overdue) == (3, 2, 1)
    assert mine.median_days == 5
    assert round(mine.reopened_share, 1) == 33.3
    assert total.received >= 4 and total.answered >= 3  # the province's, with this commune's


def test_by_month_in_vietnams_months(app, in_app):
    year = _empty_year(app)
    _reports_of(new_commune("Xã Phản Ánh Tháng"), year)
    with app.test_request_context():
        rows, _total = figures.count((f"{year}-03", f"{year}-04"), figure_sets.BY_MONTH,
                                     dt.date(2023, 6, 1))
    march, april = rows
    assert [row.label for row in rows] == [f"03/{year}", f"04/{year}"]
    assert (march.received, march.by_category) == (3, {"lighting": 2, "roads": 1})
    assert (april.received, april.by_category) == (1, {"roads": 1})
    assert (march.answered, march.on_time, march.overdue, march.median_days) == (1, 1, 0, 5)
    assert (april.answered, april.on_time, april.overdue, april.median_days) == (2, 1, 1, 7.5)
    assert (march.reopened_share, april.reopened_share) == (0.0, 50.0)


def test_a_month_without_answers_shows_no_median_nor_share(app, in_app):
    with app.test_request_context():
        rows, _total = figures.count((f"{_empty_year(app)}-03",), figure_sets.BY_MONTH,
                                     dt.date(2023, 6, 1))
    assert (rows[0].answered, rows[0].median_days, rows[0].reopened_share) == (0, None, None)


def test_the_public_page_and_its_csv_show_the_reports_set(app, in_app, client, url,
                                                          client_page):
    counting.forget()  # the page keeps its counts for PUBLIC_FIGURES_SECONDS per process
    commune = new_commune("Xã Phản Ánh Công Khai")
    citizen = make_citizen(full_name="Phạm Thị Riêng", phone="0918765432")
    report = make_report(commune, citizen, category="environment",
                         description="Rác trước nhà số 8, gọi 0918765432",
                         submitted_at=dt.datetime(2025, 5, 6, 3, 0))
    _answer(report, dt.datetime(2025, 5, 9, 3, 0), on_time=True, days=3)
    page = client_page("public_figures.page", theo="xa", ky="nam-2025")
    assert "Phản ánh của người dân" in page.text
    assert page.html.count('<svg class="chart" role="img" aria-labelledby="chart-phan-anh-') == 3
    rows = read_csv(client.get(url("public_figures.csv_file", bang="phan-anh", theo="xa",
                                   ky="nam-2025")))
    mine = dict(zip(rows[0], commune_row(rows, "Xã Phản Ánh Công Khai"), strict=True))
    assert (mine["Phản ánh nhận được"], mine["Môi trường và rác thải"], mine["Đã trả lời"],
            mine["Trả lời đúng hạn"], mine["Trả lời quá hạn"]) == ("1", "1", "1", "1", "0")
    assert mine["Thời gian trả lời (trung vị, ngày làm việc)"] == "3,0"
    assert mine["Bị mở lại vì chưa khắc phục"] == "0,0 %"
    shown = page.html + "".join(",".join(row) for row in rows)
    for secret in ("Phạm Thị Riêng", "0918765432", "số 8", report.code):
        assert secret not in shown


def test_the_median_from_counts_is_the_median_of_the_answers():
    for days in ([5], [3, 12], [1, 1, 9], [2, 4, 4, 8], [0, 7, 7, 7, 30], [6, 2, 2, 9, 1, 1]):
        assert figures.median_of_counts(Counter(days)) == statistics.median(days), days
    assert figures.median_of_counts(Counter()) is None
