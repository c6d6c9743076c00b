"""Working days of state offices: holidays, substitutes, overrides and dossier due dates."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.core.workdays import Holiday, HolidayCalendar, load_overrides

RULES = HolidayCalendar.rules_only()
ANNOUNCED = HolidayCalendar.default()


def days_off(cal, year, first, last):
    """Holidays of `year` between two dates, as (date, name_key) pairs."""
    return [(h.date, h.name_key) for h in cal.holidays(year) if first <= h.date <= last]


def feb(day, year=2026):
    return date(year, 2, day)


# --- Holidays by rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("cal", [RULES, ANNOUNCED], ids=["rules", "announced"])
def test_tet_2026_is_16_to_20_february_without_substitutes(cal):
    tet = [d for d, key in days_off(cal, 2026, feb(1), feb(28)) if key == "tet"]
    assert tet == [feb(16), feb(17), feb(18), feb(19), feb(20)]
    assert not [key for _, key in days_off(cal, 2026, feb(1), feb(28)) if key != "tet"]
    # Offices close Sat 14 - Sun 22 Feb (9 days) and reopen Mon 23 Feb.
    assert [d for d in _days(feb(13), feb(23)) if cal.is_working_day(d)] == [feb(13), feb(23)]


def test_tet_with_a_weekend_inside_gets_consecutive_substitutes():
    # Tết 2027 is Sat 6 Feb: the eve is Fri 5 Feb, Sat and Sun are replaced by Wed 10 and Thu 11.
    assert days_off(RULES, 2027, feb(1, 2027), feb(28, 2027)) == [
        (feb(5, 2027), "tet"),
        (feb(6, 2027), "tet"),
        (feb(7, 2027), "tet"),
        (feb(8, 2027), "tet"),
        (feb(9, 2027), "tet"),
        (feb(10, 2027), "substitute"),
        (feb(11, 2027), "substitute"),
    ]


def test_30_april_and_1_may_both_on_weekend_2022():
    assert days_off(RULES, 2022, date(2022, 4, 29), date(2022, 5, 5)) == [
        (date(2022, 4, 30), "reunification_day"),  # Saturday
        (date(2022, 5, 1), "labour_day"),  # Sunday
        (date(2022, 5, 2), "substitute"),
        (date(2022, 5, 3), "substitute"),
    ]


def test_1_may_on_saturday_2027():
    assert days_off(RULES, 2027, date(2027, 4, 29), date(2027, 5, 5)) == [
        (date(2027, 4, 30), "reunification_day"),  # Friday
        (date(2027, 5, 1), "labour_day"),  # Saturday
        (date(2027, 5, 3), "substitute"),  # Monday
    ]


def test_30_april_on_sunday_2028_pushes_substitute_past_1_may():
    assert days_off(RULES, 2028, date(2028, 4, 29), date(2028, 5, 5)) == [
        (date(2028, 4, 30), "reunification_day"),  # Sunday
        (date(2028, 5, 1), "labour_day"),  # Monday
        (date(2028, 5, 2), "substitute"),  # Tuesday
    ]


def test_hung_kings_next_to_30_april_2023_keeps_every_day():
    # Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon: two substitutes, Tue 2/5 and Wed 3/5 (as announced).
    assert days_off(RULES, 2023, date(2023, 4, 28), date(2023, 5, 5)) == [
        (date(2023, 4, 29), "hung_kings"),
        (date(2023, 4, 30), "reunification_day"),
        (date(2023, 5, 1), "labour_day"),
        (date(2023, 5, 2), "substitute"),
        (date(2023, 5, 3), "substitute"),
    ]


def test_national_day_on_sunday_2029():
    # Default adjacent day 1 Sep is a Saturday too, so both move to Mon 3 and Tue 4 Sep.
    assert days_off(RULES, 2029, date(2029, 8, 30), date(2029, 9, 7)) == [
        (date(2029, 9, 1), "national_day"),
        (date(2029, 9, 2), "national_day"),
        (date(2029, 9, 3), "substitute"),
        (date(2029, 9, 4), "substitute"),
    ]


def test_hung_kings_2026_on_sunday_gets_monday_substitute():
    assert not RULES.is_working_day(date(2026, 4, 27))
    assert Holiday(date(2026, 4, 27), "substitute") in RULES.holidays(2026)


def test_a_normal_year_has_eleven_holidays():
    # 2029 has no weekend holiday except National Day; 11 days + its 2 substitutes.
    keys = [h.name_key for h in RULES.holidays(2029)]
    assert len(keys) - keys.count("substitute") == 11


# --- Announced overrides ------------------------------------------------------------------------


def test_tet_2025_follows_the_announcement_not_the_rule():
    announced = [d for d, key in days_off(ANNOUNCED, 2025, date(2025, 1, 1), feb(28, 2025))]
    assert announced == [date(2025, 1, 1)] + [date(2025, 1, d) for d in range(27, 32)]
    # The rule alone would have given 28/1 - 1/2 with Mon 3/2 as substitute.
    assert ANNOUNCED.is_working_day(feb(3, 2025))
    assert not RULES.is_working_day(feb(3, 2025))
    assert not ANNOUNCED.is_working_day(date(2025, 1, 27))


def test_swapped_days_and_makeup_saturdays():
    swaps = {
        date(2025, 5, 2): date(2025, 4, 26),
        date(2026, 1, 2): date(2026, 1, 10),
        date(2026, 8, 31): date(2026, 8, 22),
    }
    for day_off, makeup_saturday in swaps.items():
        assert Holiday(day_off, "swap") in ANNOUNCED.holidays(day_off.year)
        assert not ANNOUNCED.is_working_day(day_off)
        assert ANNOUNCED.is_working_day(makeup_saturday)
        assert makeup_saturday in ANNOUNCED.makeup_working_days(makeup_saturday.year)
        assert RULES.is_working_day(day_off) and not RULES.is_working_day(makeup_saturday)


def test_every_announced_year_names_its_sources():
    overrides = load_overrides()
    assert sorted(overrides) == [2025, 2026]
    assert all(ANNOUNCED.sources(year) for year in overrides)
    assert ANNOUNCED.sources(2030) == ()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('year = 2025\nholiday = "tet"\nreplace = [2025-01-27]', "no source"),
        ('year = 2025\nsource = "x"\nholiday = "xmas"\nreplace = [2025-12-25]', "unknown"),
        ('year = 2025\nsource = "x"\ndays_off = [2024-12-31]', "not a date in 2025"),
        ('year = 2025\nsource = "x"\nworking_days = [2025-04-28]', "Saturdays or Sundays"),
    ],
)
def test_bad_override_files_are_refused(tmp_path, entry, message):
    path = tmp_path / "holidays.toml"
    path.write_text(f"[[arrangement]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_overrides(path)


# --- Counting working days ----------------------------------------------------------------------


def test_receiving_day_does_not_count():
    friday = date(2026, 3, 6)
    assert RULES.add_working_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert RULES.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)


def test_zero_days_is_the_same_day_or_the_next_working_day():
    assert RULES.add_working_days(date(2026, 3, 6), 0) == date(2026, 3, 6)
    assert RULES.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)  # Sat -> Mon


def test_received_on_a_weekend_is_deemed_received_on_the_next_working_day():
    saturday = date(2026, 3, 7)
    assert RULES.add_working_days(saturday, 1) == date(2026, 3, 10)  # Mon is day 0, Tue day 1
    assert RULES.add_working_days(saturday, 1) == RULES.add_working_days(date(2026, 3, 9), 1)
    # Received on the last day of Tết 2026: deemed received Mon 23 Feb, due Tue 24 Feb.
    assert ANNOUNCED.add_working_days(feb(20), 1) == feb(24)


def test_add_working_days_across_tet_2026():
    assert ANNOUNCED.add_working_days(feb(13), 1) == feb(23)
    # Wed 11 Feb + 5: Thu 12, Fri 13, (Tết + weekends), Mon 23, Tue 24, Wed 25.
    assert ANNOUNCED.add_working_days(feb(11), 5) == feb(25)


def test_makeup_saturday_counts_as_a_working_day():
    # 2025: Thu 24/4 + 3 -> Fri 25, Sat 26 (make-up day), Mon 28.
    assert ANNOUNCED.add_working_days(date(2025, 4, 24), 3) == date(2025, 4, 28)
    assert RULES.add_working_days(date(2025, 4, 24), 3) == date(2025, 4, 29)


def test_working_days_between():
    assert ANNOUNCED.working_days_between(feb(13), feb(23)) == 1
    assert ANNOUNCED.working_days_between(feb(11), feb(25)) == 5
    assert ANNOUNCED.working_days_between(feb(25), feb(11)) == -5
    assert ANNOUNCED.working_days_between(feb(11), feb(11)) == 0


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="negative_working_days"):
        RULES.add_working_days(date(2026, 3, 2), -1)


# --- Pauses -------------------------------------------------------------------------------------


def test_pause_stops_the_clock():
    received = date(2026, 3, 2)  # Monday
    assert RULES.due_date(received, 3, []) == date(2026, 3, 5)
    # Waiting for papers Tue 3 - Wed 4 Mar: Thu 5, Fri 6, Mon 9.
    assert RULES.due_date(received, 3, [(date(2026, 3, 3), date(2026, 3, 4))]) == date(2026, 3, 9)


def test_pause_over_a_weekend_only_changes_nothing():
    received, pause = date(2026, 3, 2), [(date(2026, 3, 7), date(2026, 3, 8))]
    assert RULES.due_date(received, 10, pause) == RULES.add_working_days(received, 10)


def test_overlapping_pauses_count_once():
    received = date(2026, 3, 2)
    one = [(date(2026, 3, 3), date(2026, 3, 6))]
    overlapping = [(date(2026, 3, 3), date(2026, 3, 5)), (date(2026, 3, 4), date(2026, 3, 6))]
    assert RULES.due_date(received, 2, one) == RULES.due_date(received, 2, overlapping)
    assert RULES.due_date(received, 2, one) == date(2026, 3, 10)


def test_pause_across_tet():
    # Received Tue 10 Feb 2026, 3 days; paused Wed 11 - Tue 24 Feb: Wed 25, Thu 26, Fri 27.
    pause = [(feb(11), feb(24))]
    assert ANNOUNCED.due_date(feb(10), 3, pause) == feb(27)


def test_pause_starting_on_the_receiving_day():
    pause = [(date(2026, 3, 2), date(2026, 3, 3))]
    assert RULES.due_date(date(2026, 3, 2), 1, pause) == date(2026, 3, 4)
    # A same-day procedure is due the day it is received: nothing to pause.
    assert RULES.due_date(date(2026, 3, 2), 0, pause) == date(2026, 3, 2)


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="pause_ends_before_it_starts"):
        RULES.due_date(date(2026, 3, 2), 1, [(date(2026, 3, 5), date(2026, 3, 4))])


# --- Properties ---------------------------------------------------------------------------------

received_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2034, 12, 31))
working_day_counts = st.integers(min_value=0, max_value=80)


@st.composite
def pause_lists(draw):
    """Up to three pauses of up to 30 days starting within 60 days of the receipt."""
    received = draw(received_dates)
    pauses = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = received + timedelta(days=draw(st.integers(min_value=-5, max_value=60)))
        pauses.append((first, first + timedelta(days=draw(st.integers(min_value=0, max_value=30)))))
    return received, pauses


@settings(max_examples=150, deadline=None, database=None)
@given(case=pause_lists(), n=working_day_counts)
def test_due_date_is_always_a_working_day_and_monotonic_in_n(case, n):
    received, pauses = case
    due = ANNOUNCED.due_date(received, n, pauses)
    assert ANNOUNCED.is_working_day(due)
    assert due >= received
    assert ANNOUNCED.due_date(received, n + 1, pauses) > due


@settings(max_examples=150, deadline=None, database=None)
@given(received=received_dates, n=st.integers(min_value=1, max_value=80))
def test_add_and_count_are_inverse(received, n):
    deemed_received = ANNOUNCED.add_working_days(received, 0)
    due = ANNOUNCED.add_working_days(received, n)
    assert due == ANNOUNCED.due_date(received, n, [])
    assert ANNOUNCED.working_days_between(deemed_received, due) == n
    assert ANNOUNCED.working_days_between(deemed_received, due - timedelta(days=1)) == n - 1
    assert ANNOUNCED.working_days_between(due, deemed_received) == -n


@settings(max_examples=100, deadline=None, database=None)
@given(case=pause_lists(), n=working_day_counts)
def test_pauses_never_bring_the_due_date_forward(case, n):
    received, pauses = case
    assert ANNOUNCED.due_date(received, n, pauses) >= ANNOUNCED.add_working_days(received, n)


def _days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
