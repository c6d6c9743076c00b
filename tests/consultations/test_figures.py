"""The consultations' figures for the province office (the figures registry, /so-lieu):
answers per consultation by commune and by the month it closed; closed consultations only, so
that the figures never steer the answers of an open one. Exact numbers."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.backoffice.test_figures import new_commune
from tests.consultations.conftest import make_consultation
from tests.public_figures.test_public_figures import commune_row, read_csv
from webapp.consultations import figures
from webapp.consultations.models import ConsultationAnswer
from webapp.core import figure_sets
from webapp.core.clock import local_today, utcnow
from webapp.public_figures import counting

_phones = itertools.count(1)


def _answers(consultation, commune, count, sent=True):
    for _ in range(count):
        ConsultationAnswer.create(consultation=consultation, phone=f"09{next(_phones):08d}",
                                  commune=commune, answers={"1": 0},
                                  sent_at=utcnow() if sent else None)


def _closed(year, month, day=10):
    return make_consultation(opens_on=dt.date(year, month, 1),
                             closes_on=dt.date(year, month, day), with_questions=False)


def _empty_year(app) -> int:
    """A year no consultation closed in yet (the session's database is shared)."""
    with app.test_request_context():
        for year in range(1990, 2020):
            _rows, total = figures.count((f"{year}-05", f"{year}-06"), figure_sets.BY_MONTH,
                                         local_today())
            if total.answers == 0:
                return year
    raise AssertionError("no empty year left")


def test_answers_per_consultation_by_commune_and_by_month(app, in_app):
    year = _empty_year(app)
    here, there = new_commune("Xã Ý Kiến Một"), new_commune("Xã Ý Kiến Hai")
    may, june, june_too = _closed(year, 5), _closed(year, 6), _closed(year, 6, 20)
    _answers(may, here, 3)
    _answers(may, there, 1)
    _answers(june, here, 5)
    _answers(june, None, 2)  # commune not said
    _answers(june_too, there, 4)
    _answers(june_too, there, 6, sent=False)  # begun, never sent: not an answer
    _closed(year, 6, 25)  # closed, nobody answered
    months = (f"{year}-05", f"{year}-06")
    with app.test_request_context():
        by_commune, total = figures.count(months, figure_sets.BY_COMMUNE, local_today())
        by_month, month_total = figures.count(months, figure_sets.BY_MONTH, local_today())
    rows = {row.label: row for row in by_commune}
    assert (rows["Xã Ý Kiến Một"].answers, rows["Xã Ý Kiến Một"].consultations) == (8, 2)
    assert rows["Xã Ý Kiến Một"].answers_per_consultation == 4.0
    assert (rows["Xã Ý Kiến Hai"].answers, rows["Xã Ý Kiến Hai"].consultations) == (5, 2)
    assert rows["Xã Ý Kiến Hai"].answers_per_consultation == 2.5
    assert (rows["Không rõ xã, phường"].answers, by_commune[-1].label) == (
        2, "Không rõ xã, phường")
    assert (total.answers, total.consultations) == (15, 3)
    may_row, june_row = by_month
    assert (may_row.answers, may_row.consultations, may_row.answers_per_consultation) == (
        4, 1, 4.0)
    assert (june_row.answers, june_row.consultations) == (11, 2)
    assert june_row.answers_per_consultation == 5.5
    assert (month_total.answers, month_total.consultations) == (15, 3)


def test_an_open_consultation_is_never_counted(app, in_app):
    commune = new_commune("Xã Đang Hỏi")
    open_one = make_consultation(with_questions=False)  # open today, for ten more days
    _answers(open_one, commune, 7)
    today = local_today()
    with app.test_request_context():
        months = figure_sets.periods(today)[0].months
        rows, _total = figures.count(months, figure_sets.BY_COMMUNE, today)
    assert "Xã Đang Hỏi" not in [row.label for row in rows]


def test_the_public_csv_has_the_consultations_set(app, in_app, client, url):
    counting.forget()  # the page keeps its counts for PUBLIC_FIGURES_SECONDS per process
    commune = new_commune("Xã Ý Kiến Công Khai")
    consultation = _closed(2025, 8)
    _answers(consultation, commune, 3)
    rows = read_csv(client.get(url("public_figures.csv_file", bang="lay-y-kien", theo="xa",
                                   ky="nam-2025")))
    assert rows[0] == ["Xã, phường", "Số ý kiến nhận được",
                       "Cuộc lấy ý kiến đã kết thúc có ý kiến", "Số ý kiến mỗi cuộc lấy ý kiến"]
    assert commune_row(rows, "Xã Ý Kiến Công Khai") == ["Xã Ý Kiến Công Khai", "3", "1", "3,0"]
