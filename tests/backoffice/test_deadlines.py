"""Due dates in working days: Tết, substitute days, and the clock paused for the citizen."""

from __future__ import annotations

import datetime as dt

import pytest

from webapp.core import clock
from webapp.dossiers.lifecycle import DEADLINES as deadlines
from webapp.dossiers.lifecycle import MORE_PAPERS_REQUESTED, PAPERS_ADDED, RECEIVED
from webapp.tracking.deadlines import StatusChange

D = dt.date


def ask(on):
    return StatusChange(on, RECEIVED, MORE_PAPERS_REQUESTED)


def answer(on):
    return StatusChange(on, MORE_PAPERS_REQUESTED, PAPERS_ADDED)


@pytest.mark.parametrize(("received", "days", "due"), [
    # Thu 12 Feb 2026, 5 days: Fri 13, then offices close Sat 14 - Sun 22 for Tết Bính Ngọ.
    (D(2026, 2, 12), 5, D(2026, 2, 26)),
    # Received on the last working day before Tết: the first counted day is after Tết.
    (D(2026, 2, 13), 1, D(2026, 2, 23)),
    # Sent during Tết: deemed received Mon 23 Feb, which is not counted.
    (D(2026, 2, 17), 1, D(2026, 2, 24)),
    # Tết Đinh Mùi 2027 starts on a Saturday: Wed 10 and Thu 11 Feb are substitute days.
    (D(2027, 2, 4), 2, D(2027, 2, 15)),
    # Hùng Kings 2026 on Sun 26 Apr -> substitute Mon 27 Apr; then 30 Apr and 1 May.
    (D(2026, 4, 24), 2, D(2026, 4, 29)),
    (D(2026, 4, 24), 3, D(2026, 5, 4)),
    # National Day 2026: 31 Aug swapped to Sat 22 Aug, a make-up working day.
    (D(2026, 8, 21), 1, D(2026, 8, 22)),
    # A same-day procedure sent on a Saturday is due the next working day.
    (D(2026, 3, 7), 0, D(2026, 3, 9)),
])
def test_due_date_skips_weekends_holidays_and_substitute_days(received, days, due):
    assert deadlines.due_date(received, days) == due


def test_waiting_for_papers_stops_the_clock_and_gives_back_the_days_left():
    # Received Mon 2 Feb 2026, 5 days. Tue 3 counts (the officer worked on it and asked for
    # papers); Wed 4 - Mon 9 the citizen has the dossier; then 4 days remain: Tue 10 - Fri 13.
    changes = [ask(D(2026, 2, 3)), answer(D(2026, 2, 9))]
    assert deadlines.due_date(D(2026, 2, 2), 5) == D(2026, 2, 9)
    assert deadlines.due_date(D(2026, 2, 2), 5, changes) == D(2026, 2, 13)


def test_a_pause_across_tet_only_counts_working_days_after_the_answer():
    changes = [ask(D(2026, 2, 11)), answer(D(2026, 2, 24))]
    assert deadlines.due_date(D(2026, 2, 10), 3, changes) == D(2026, 2, 26)


def test_several_requests_pause_the_clock_each_time():
    changes = [ask(D(2026, 3, 3)), answer(D(2026, 3, 5)),
               StatusChange(D(2026, 3, 9), PAPERS_ADDED, MORE_PAPERS_REQUESTED),
               answer(D(2026, 3, 10))]
    # Mon 2 received; counted: Tue 3, Fri 6, Mon 9, Wed 11, Thu 12 -> due Thu 12.
    assert deadlines.due_date(D(2026, 3, 2), 5, changes) == D(2026, 3, 12)


def test_papers_sent_back_the_same_day_pause_nothing():
    changes = [ask(D(2026, 3, 3)), answer(D(2026, 3, 3))]
    assert deadlines.due_date(D(2026, 3, 2), 2, changes) == D(2026, 3, 4)


def test_an_open_pause_runs_until_today_when_asked():
    changes = [ask(D(2026, 3, 3))]
    assert deadlines.pauses(changes) == []
    assert deadlines.pauses(changes, today=D(2026, 3, 6)) == [(D(2026, 3, 4), D(2026, 3, 6))]
    assert deadlines.due_date(D(2026, 3, 2), 2, changes, today=D(2026, 3, 6)) == D(2026, 3, 9)


def test_the_due_date_is_the_same_whatever_order_the_history_is_read_in():
    changes = [ask(D(2026, 2, 3)), answer(D(2026, 2, 9))]
    assert deadlines.due_date(D(2026, 2, 2), 5, changes[::-1]) == D(2026, 2, 13)


def test_processing_time_leaves_out_the_days_spent_waiting_for_the_citizen():
    changes = [ask(D(2026, 2, 3)), answer(D(2026, 2, 9))]
    assert deadlines.processing_working_days(D(2026, 2, 2), D(2026, 2, 13)) == 9
    assert deadlines.processing_working_days(D(2026, 2, 2), D(2026, 2, 13), changes) == 5
    # Across Tết only the working days count.
    assert deadlines.processing_working_days(D(2026, 2, 12), D(2026, 2, 26)) == 5


def test_days_are_counted_in_vietnam_time():
    # 20:00 UTC on 12 Feb is 03:00 on 13 Feb in Việt Nam.
    assert clock.local_date(dt.datetime(2026, 2, 12, 20, 0)) == D(2026, 2, 13)
    assert clock.local_date(dt.datetime(2026, 2, 12, 16, 59)) == D(2026, 2, 12)


def test_remaining_working_days_go_negative_when_late():
    assert clock.remaining_working_days(D(2026, 2, 26), D(2026, 2, 12)) == 5
    assert clock.remaining_working_days(D(2026, 2, 23), D(2026, 2, 24)) == -1


def test_the_fast_count_of_working_days_agrees_with_the_calendar():
    cal = clock.calendar()
    start = D(1999, 12, 20)
    for offset in range(0, 10_000, 37):
        on = start + dt.timedelta(days=offset)
        for span in (-400, -3, 0, 1, 9, 120):
            due = on + dt.timedelta(days=span)
            assert clock.remaining_working_days(due, on) == cal.working_days_between(on, due)
