"""Figures for communes and the province, the charts with their tables, and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import make_dossier
from webapp.backoffice import figures
from webapp.core.charts import bar_chart, shorten
from webapp.dossiers import lifecycle as lc


def new_commune(name):
    """A commune of its own, so that figures count only this test's dossiers."""
    import uuid

    from webapp.places.models import Commune

    return Commune.create(code=f"T{uuid.uuid4().hex[:8]}", name=name, kind="xa",
                          short_name=name, search_key=name.lower(), position=10_000)


def decide(dossier, on_time=True, days=3, at=dt.datetime(2026, 3, 10, 3, 0)):
    from webapp.dossiers.models import DossierOutcome

    DossierOutcome.create(dossier=dossier, commune=dossier.commune, procedure=dossier.procedure,
                          decision=lc.APPROVED, decided_at=at, due_date=dossier.due_date,
                          on_time=on_time, working_days=days)


def rate(dossier, score, at=dt.datetime(2026, 3, 11, 3, 0)):
    from webapp.dossiers.models import DossierRating

    DossierRating.create(dossier=dossier, score=score, created_at=at)


def test_figures_count_received_decided_on_time_waiting_and_satisfaction(in_app):
    from webapp.backoffice.models import CounterIntake

    commune = new_commune("Xã Số Liệu")
    march = dt.datetime(2026, 3, 2, 2, 0)
    done = [make_dossier(lc.CLOSED, commune=commune, submitted_at=march) for _ in range(4)]
    make_dossier(lc.MORE_PAPERS_REQUESTED, commune=commune, submitted_at=march)
    make_dossier(lc.RECEIVED, commune=commune, submitted_at=march, due_date=dt.date(2026, 3, 5))
    for dossier, on_time, days in zip(done, (True, True, True, False), (2, 3, 4, 7), strict=True):
        decide(dossier, on_time, days)
    rate(done[0], 5)
    rate(done[1], 3)
    CounterIntake.create(commune=commune, month="2026-03", count=18)
    scope = figures.Scope(commune_ids=(commune.id,), months=("2026-02", "2026-03"),
                          today=dt.date(2026, 3, 20))
    rows, total = figures.compute(scope)
    assert [row.key for row in rows] == ["2026-02", "2026-03"]
    march_row = rows[1]
    assert (march_row.received, march_row.waiting, march_row.overdue_open) == (6, 1, 1)
    assert (march_row.decided, march_row.on_time, march_row.late) == (4, 3, 1)
    assert march_row.on_time_rate == 75.0
    assert march_row.average_days == 4.0
    assert (march_row.ratings, march_row.average_score, march_row.satisfied_rate) == (2, 4.0, 50.0)
    assert march_row.online_share == 25.0  # 6 online, 18 on paper
    assert total.received == 6 and rows[0].received == 0


def test_the_online_share_is_unknown_without_counter_figures(in_app):
    commune = new_commune("Xã Chưa Ghi Sổ")
    make_dossier(commune=commune, submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    rows, total = figures.compute(figures.Scope(commune_ids=(commune.id,), months=("2026-03",)))
    assert rows[0].received == 1 and rows[0].online_share is None and total.online_share is None


def test_a_dossier_sent_late_on_the_last_evening_of_a_month_counts_in_that_month(in_app):
    commune = new_commune("Xã Giờ Địa Phương")
    # 31 March 22:30 in Việt Nam is 15:30 UTC: March, not April.
    make_dossier(commune=commune, submitted_at=dt.datetime(2026, 3, 31, 15, 30))
    rows, _ = figures.compute(figures.Scope(commune_ids=(commune.id,),
                                            months=("2026-03", "2026-04")))
    assert [row.received for row in rows] == [1, 0]


def test_figures_by_procedure_and_by_commune(in_app):
    first, second = new_commune("Xã Thứ Nhất"), new_commune("Xã Thứ Hai")
    march = dt.datetime(2026, 3, 2, 2, 0)
    for _ in range(3):
        make_dossier(commune=first, submitted_at=march)
    make_dossier(commune=second, submitted_at=march)
    scope = figures.Scope(commune_ids=(first.id, second.id), months=("2026-03",),
                          grouping=figures.BY_COMMUNE)
    rows, total = figures.compute(scope)
    assert [(row.key, row.received) for row in rows] == [(first.id, 3), (second.id, 1)]
    by_procedure, _ = figures.compute(figures.Scope(
        commune_ids=(first.id,), months=("2026-03",), grouping=figures.BY_PROCEDURE))
    assert len(by_procedure) == 1 and by_procedure[0].received == 3


def test_the_figures_make_a_fixed_number_of_queries(in_app):
    from playhouse.test_utils import count_queries

    commune = new_commune("Xã Đếm Truy Vấn")
    scope = figures.Scope(commune_ids=(commune.id,), months=("2026-03",))
    with count_queries() as few:
        figures.compute(scope)
    for _ in range(10):
        make_dossier(commune=commune, submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    with count_queries() as many:
        figures.compute(scope)
    assert few.count == many.count <= 5


def test_the_figures_are_counted_again_only_when_something_changed(in_app):
    from playhouse.test_utils import count_queries

    from webapp.backoffice.models import CounterIntake

    commune = new_commune("Xã Bộ Nhớ")
    march = dt.datetime(2026, 3, 2, 2, 0)
    scope = figures.Scope(commune_ids=(commune.id,), months=("2026-03",))
    sent = make_dossier(lc.CLOSED, commune=commune, submitted_at=march)
    rows, _ = figures.figures_for(scope)
    rows[0].received = 99  # a caller's changes never reach the kept copy
    with count_queries() as unchanged:
        rows, total = figures.figures_for(scope)
    assert unchanged.count == 4  # only the queries that tell whether anything changed
    assert rows[0].received == total.received == 1

    make_dossier(commune=commune, submitted_at=march)
    assert figures.figures_for(scope)[1].received == 2
    decide(sent)
    assert figures.figures_for(scope)[1].decided == 1
    rate(sent, 5)
    assert figures.figures_for(scope)[1].ratings == 1
    CounterIntake.create(commune=commune, month="2026-03", count=7)
    assert figures.figures_for(scope)[1].counter == 7


def test_the_figures_page_shows_charts_with_tables_and_offers_a_csv(client, client_page, url,
                                                                    in_app):
    commune = new_commune("Xã Biểu Đồ")
    make_dossier(commune=commune)
    sign_in_staff(client, communes=[commune])
    page = client_page("backoffice.figures_page", theo="thu-tuc")
    assert page.html.count('<svg class="chart" role="img"') == 3
    assert page.html.count("<table") == 4  # one beside each chart, and all the figures
    assert "Tải số liệu này về dạng tệp CSV" in page.text
    response = client.get(url("backoffice.figures_csv", theo="thu-tuc"))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Thủ tục" and rows[-1][0] == "Tổng cộng"


def test_an_officer_sees_only_the_figures_of_the_communes_served(client, client_page, in_app):
    mine, theirs = new_commune("Xã Của Tôi"), new_commune("Xã Người Khác")
    make_dossier(commune=theirs)
    sign_in_staff(client, communes=[mine])
    page = client_page("backoffice.figures_page", theo="xa", xa=theirs.code)
    assert "Xã Người Khác" not in page.text


def test_recording_paper_dossiers_at_the_counter(client, url, in_app):
    from webapp.backoffice.models import CounterIntake

    commune = new_commune("Xã Sổ Tiếp Nhận")
    sign_in_staff(client, communes=[commune])
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf_token"]
    month = figures.month_key(dt.date.today())
    bad = client.post(url("backoffice.counter_intake"), data={
        "csrf_token": token, "commune": str(commune.id), "month": month, "count": "nhiều"})
    assert bad.status_code == 200 and "ví dụ 120" in bad.get_data(as_text=True)
    for count in ("120", "1.250"):
        ok = client.post(url("backoffice.counter_intake"), data={
            "csrf_token": token, "commune": str(commune.id), "month": month, "count": count})
        assert ok.status_code == 303
    assert CounterIntake.get(CounterIntake.commune == commune).count == 1250


# --- The chart layout -----------------------------------------------------------------------


def test_bars_are_scaled_to_the_largest_value_or_a_fixed_maximum():
    chart = bar_chart("c", "Title", [("A", 10), ("B", 5), ("C", None)])
    assert [bar.width_percent for bar in chart.bars] == [64.0, 32.0, 0.0]
    assert chart.bars[2].display == "–"
    fixed = bar_chart("p", "Percent", [("A", 50)], maximum=100)
    assert fixed.bars[0].width_percent == 32.0


def test_rows_stack_in_em_so_text_keeps_the_page_size():
    chart = bar_chart("c", "Title", [("A", 1), ("B", 2)])
    assert chart.bars[1].label_y_em - chart.bars[0].label_y_em == pytest.approx(3.4)
    assert chart.height_em == pytest.approx(7.0)


def test_long_labels_are_shortened_at_a_word():
    label = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"
    short = shorten(label)
    assert short.endswith("…") and len(short) <= 34 and label.startswith(short[:-1])
