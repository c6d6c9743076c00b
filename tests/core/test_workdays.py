"""Working days of state offices: holidays, substitutes, overrides and dossier due dates."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.core.workdays import Holiday, HolidayCalendar, YearOverride, load_overrides


# A new calendar for each test, never one built at import or shared: each test must run the
# code that builds the calendar (mutation testing switches a mutant on only after the test
# modules were imported, and credits a test only with the code it ran itself).
def rules() -> HolidayCalendar:
    return HolidayCalendar.rules_only()


def announced() -> HolidayCalendar:
    return HolidayCalendar.default()


@pytest.fixture
def calendar() -> HolidayCalendar:
    """One announced calendar for all the examples of a property test."""
    return announced()


def examples(count: int) -> settings:
    """Hypothesis settings; the calendar fixture is shared by a test's examples on purpose
    (it is only read)."""
    return settings(max_examples=count, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def days_off(cal, year, first, last):
    """Holidays of `year` between two dates, as (date, name_key) pairs."""
    return [(h.date, h.name_key) for h in cal.holidays(year) if first <= h.date <= last]


def feb(day, year=2026):
    return date(year, 2, day)


# --- Holidays by rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", [rules, announced], ids=["rules", "announced"])
def test_tet_2026_is_16_to_20_february_without_substitutes(calendar):
    cal = calendar()
    tet = [d for d, key in days_off(cal, 2026, feb(1), feb(28)) if key == "tet"]
    assert tet == [feb(16), feb(17), feb(18), feb(19), feb(20)]
    assert not [key for _, key in days_off(cal, 2026, feb(1), feb(28)) if key != "tet"]
    # Offices close Sat 14 - Sun 22 Feb (9 days) and reopen Mon 23 Feb.
    assert [d for d in _days(feb(13), feb(23)) if cal.is_working_day(d)] == [feb(13), feb(23)]


def test_tet_with_a_weekend_inside_gets_consecutive_substitutes():
    # Tết 2027 is Sat 6 Feb: the eve is Fri 5 Feb, Sat and Sun are replaced by Wed 10 and Thu 11.
    assert days_off(rules(), 2027, feb(1, 2027), feb(28, 2027)) == [
        (feb(5, 2027), "tet"),
        (feb(6, 2027), "tet"),
        (feb(7, 2027), "tet"),
        (feb(8, 2027), "tet"),
        (feb(9, 2027), "tet"),
        (feb(10, 2027), "substitute"),
        (feb(11, 2027), "substitute"),
    ]


def test_30_april_and_1_may_both_on_weekend_2022():
    assert days_off(rules(), 2022, date(2022, 4, 29), date(2022, 5, 5)) == [
        (date(2022, 4, 30), "reunification_day"),  # Saturday
        (date(2022, 5, 1), "labour_day"),  # Sunday
        (date(2022, 5, 2), "substitute"),
        (date(2022, 5, 3), "substitute"),
    ]


def test_1_may_on_saturday_2027():
    assert days_off(rules(), 2027, date(2027, 4, 29), date(2027, 5, 5)) == [
        (date(2027, 4, 30), "reunification_day"),  # Friday
        (date(2027, 5, 1), "labour_day"),  # Saturday
        (date(2027, 5, 3), "substitute"),  # Monday
    ]


def test_30_april_on_sunday_2028_pushes_substitute_past_1_may():
    assert days_off(rules(), 2028, date(2028, 4, 29), date(2028, 5, 5)) == [
        (date(2028, 4, 30), "reunification_day"),  # Sunday
        (date(2028, 5, 1), "labour_day"),  # Monday
        (date(2028, 5, 2), "substitute"),  # Tuesday
    ]


def test_hung_kings_next_to_30_april_2023_keeps_every_day():
    # Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon: two substitutes, Tue 2/5 and Wed 3/5 (as announced).
    assert days_off(rules(), 2023, date(2023, 4, 28), date(2023, 5, 5)) == [
        (date(2023, 4, 29), "hung_kings"),
        (date(2023, 4, 30), "reunification_day"),
        (date(2023, 5, 1), "labour_day"),
        (date(2023, 5, 2), "substitute"),
        (date(2023, 5, 3), "substitute"),
    ]


def test_national_day_on_sunday_2029():
    # Default adjacent day 1 Sep is a Saturday too, so both move to Mon 3 and Tue 4 Sep.
    assert days_off(rules(), 2029, date(2029, 8, 30), date(2029, 9, 7)) == [
        (date(2029, 9, 1), "national_day"),
        (date(2029, 9, 2), "national_day"),
        (date(2029, 9, 3), "substitute"),
        (date(2029, 9, 4), "substitute"),
    ]


def test_hung_kings_2026_on_sunday_gets_monday_substitute():
    assert not rules().is_working_day(date(2026, 4, 27))
    assert Holiday(date(2026, 4, 27), "substitute") in rules().holidays(2026)


def test_a_normal_year_has_eleven_holidays_each_under_the_name_the_pages_translate():
    # 2029 has no weekend holiday except National Day; 11 days + its 2 substitutes.
    assert [(h.date.isoformat(), h.name_key) for h in rules().holidays(2029)] == [
        ("2029-01-01", "new_year"),
        ("2029-02-12", "tet"), ("2029-02-13", "tet"), ("2029-02-14", "tet"),
        ("2029-02-15", "tet"), ("2029-02-16", "tet"),
        ("2029-04-23", "hung_kings"),
        ("2029-04-30", "reunification_day"),
        ("2029-05-01", "labour_day"),
        ("2029-09-01", "national_day"), ("2029-09-02", "national_day"),
        ("2029-09-03", "substitute"), ("2029-09-04", "substitute"),
    ]


# --- Announced overrides ------------------------------------------------------------------------


def test_tet_2025_follows_the_announcement_not_the_rule():
    closed = [d for d, key in days_off(announced(), 2025, date(2025, 1, 1), feb(28, 2025))]
    assert closed == [date(2025, 1, 1)] + [date(2025, 1, d) for d in range(27, 32)]
    # The rule alone would have given 28/1 - 1/2 with Mon 3/2 as substitute.
    assert announced().is_working_day(feb(3, 2025))
    assert not rules().is_working_day(feb(3, 2025))
    assert not announced().is_working_day(date(2025, 1, 27))


def test_swapped_days_and_makeup_saturdays():
    swaps = {
        date(2025, 5, 2): date(2025, 4, 26),
        date(2026, 1, 2): date(2026, 1, 10),
        date(2026, 8, 31): date(2026, 8, 22),
    }
    for day_off, makeup_saturday in swaps.items():
        assert Holiday(day_off, "swap") in announced().holidays(day_off.year)
        assert not announced().is_working_day(day_off)
        assert announced().is_working_day(makeup_saturday)
        assert makeup_saturday in announced().makeup_working_days(makeup_saturday.year)
        assert rules().is_working_day(day_off) and not rules().is_working_day(makeup_saturday)


def test_every_announced_year_names_its_sources():
    overrides = load_overrides()
    assert sorted(overrides) == [2025, 2026]
    assert all(announced().sources(year) for year in overrides)
    assert announced().sources(2030) == ()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('year = 2025\nholiday = "tet"\nreplace = [2025-01-27]',
         "holiday arrangement for 2025 has no source"),
        ('year = 2025\nsource = "x"\nholiday = "xmas"\nreplace = [2025-12-25]',
         "unknown holiday key 'xmas' in arrangement for 2025"),
        ('year = 2025\nsource = "x"\ndays_off = [2024-12-31]',
         "holiday arrangement for 2025 has a value that is not a date in 2025"),
        ('year = 2025\nsource = "x"\nworking_days = [2025-04-28]',
         "make-up working days for 2025 must be Saturdays or Sundays"),
    ],
)
def test_bad_override_files_are_refused_with_the_reason(tmp_path, entry, message):
    path = tmp_path / "holidays.toml"
    path.write_text(f"[[arrangement]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        load_overrides(path)
    assert str(refused.value) == message  # the operator who edited the file reads this


def test_an_override_file_without_arrangements_changes_nothing(tmp_path):
    path = tmp_path / "holidays.toml"
    path.write_text("# nothing announced yet\n", encoding="utf-8")
    assert load_overrides(path) == {}


def test_several_arrangements_of_one_year_all_apply(tmp_path):
    path = tmp_path / "holidays.toml"
    path.write_text(
        '[[arrangement]]\nyear = 2027\nsource = "A"\nholiday = "tet"\n'
        "replace = [2027-02-08, 2027-02-09]\ndays_off = [2027-05-03]\n"
        "working_days = [2027-05-08]\n"
        '[[arrangement]]\nyear = 2027\nsource = "B"\nholiday = "national_day"\n'
        "replace = [2027-09-02, 2027-09-03]\ndays_off = [2027-12-31]\n"
        "working_days = [2027-12-18]\n",
        encoding="utf-8")
    override = load_overrides(path)[2027]
    assert override == YearOverride(
        replace={"tet": (date(2027, 2, 8), date(2027, 2, 9)),
                 "national_day": (date(2027, 9, 2), date(2027, 9, 3))},
        days_off=(date(2027, 5, 3), date(2027, 12, 31)),
        working_days=(date(2027, 5, 8), date(2027, 12, 18)),
        sources=("A", "B"))
    calendar = HolidayCalendar(load_overrides(path))
    assert [h.date for h in calendar.holidays(2027) if h.name_key == "tet"] == [
        date(2027, 2, 8), date(2027, 2, 9)]
    assert calendar.sources(2027) == ("A", "B")


def test_a_substitute_day_skips_a_day_already_off_by_swap():
    # Hùng Kings 2026 is Sunday 26 April; its substitute would be Monday 27, but if the
    # government had swapped Monday 27 off, the substitute moves to Tuesday 28.
    calendar = HolidayCalendar({2026: YearOverride(days_off=(date(2026, 4, 27),),
                                                   sources=("test",))})
    assert days_off(calendar, 2026, date(2026, 4, 26), date(2026, 4, 29)) == [
        (date(2026, 4, 26), "hung_kings"),
        (date(2026, 4, 27), "swap"),
        (date(2026, 4, 28), "substitute"),
    ]


# --- Counting working days ----------------------------------------------------------------------


def test_receiving_day_does_not_count():
    friday = date(2026, 3, 6)
    assert rules().add_working_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert rules().add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)


def test_zero_days_is_the_same_day_or_the_next_working_day():
    assert rules().add_working_days(date(2026, 3, 6), 0) == date(2026, 3, 6)
    assert rules().add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)  # Sat -> Mon


def test_received_on_a_weekend_is_deemed_received_on_the_next_working_day():
    saturday = date(2026, 3, 7)
    assert rules().add_working_days(saturday, 1) == date(2026, 3, 10)  # Mon is day 0, Tue day 1
    assert rules().add_working_days(saturday, 1) == rules().add_working_days(date(2026, 3, 9), 1)
    # Received on the last day of Tết 2026: deemed received Mon 23 Feb, due Tue 24 Feb.
    assert announced().add_working_days(feb(20), 1) == feb(24)


def test_add_working_days_across_tet_2026():
    assert announced().add_working_days(feb(13), 1) == feb(23)
    # Wed 11 Feb + 5: Thu 12, Fri 13, (Tết + weekends), Mon 23, Tue 24, Wed 25.
    assert announced().add_working_days(feb(11), 5) == feb(25)


def test_makeup_saturday_counts_as_a_working_day():
    # 2025: Thu 24/4 + 3 -> Fri 25, Sat 26 (make-up day), Mon 28.
    assert announced().add_working_days(date(2025, 4, 24), 3) == date(2025, 4, 28)
    assert rules().add_working_days(date(2025, 4, 24), 3) == date(2025, 4, 29)


def test_working_days_between():
    assert announced().working_days_between(feb(13), feb(23)) == 1
    assert announced().working_days_between(feb(11), feb(25)) == 5
    assert announced().working_days_between(feb(25), feb(11)) == -5
    assert announced().working_days_between(feb(11), feb(11)) == 0


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="^negative_working_days$"):
        rules().add_working_days(date(2026, 3, 2), -1)


# --- Pauses -------------------------------------------------------------------------------------


def test_pause_stops_the_clock():
    received = date(2026, 3, 2)  # Monday
    assert rules().due_date(received, 3, []) == date(2026, 3, 5)
    # Waiting for papers Tue 3 - Wed 4 Mar: Thu 5, Fri 6, Mon 9.
    assert rules().due_date(received, 3, [(date(2026, 3, 3), date(2026, 3, 4))]) == date(2026, 3, 9)


def test_pause_over_a_weekend_only_changes_nothing():
    received, pause = date(2026, 3, 2), [(date(2026, 3, 7), date(2026, 3, 8))]
    assert rules().due_date(received, 10, pause) == rules().add_working_days(received, 10)


def test_overlapping_pauses_count_once():
    received = date(2026, 3, 2)
    one = [(date(2026, 3, 3), date(2026, 3, 6))]
    overlapping = [(date(2026, 3, 3), date(2026, 3, 5)), (date(2026, 3, 4), date(2026, 3, 6))]
    assert rules().due_date(received, 2, one) == rules().due_date(received, 2, overlapping)
    assert rules().due_date(received, 2, one) == date(2026, 3, 10)


def test_pause_across_tet():
    # Received Tue 10 Feb 2026, 3 days; paused Wed 11 - Tue 24 Feb: Wed 25, Thu 26, Fri 27.
    pause = [(feb(11), feb(24))]
    assert announced().due_date(feb(10), 3, pause) == feb(27)


def test_pause_starting_on_the_receiving_day():
    pause = [(date(2026, 3, 2), date(2026, 3, 3))]
    assert rules().due_date(date(2026, 3, 2), 1, pause) == date(2026, 3, 4)
    # A same-day procedure is due the day it is received: nothing to pause.
    assert rules().due_date(date(2026, 3, 2), 0, pause) == date(2026, 3, 2)


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="^pause_ends_before_it_starts$"):
        rules().due_date(date(2026, 3, 2), 1, [(date(2026, 3, 5), date(2026, 3, 4))])


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


@examples(150)
@given(case=pause_lists(), n=working_day_counts)
def test_due_date_is_always_a_working_day_and_monotonic_in_n(calendar, case, n):
    received, pauses = case
    due = calendar.due_date(received, n, pauses)
    assert calendar.is_working_day(due)
    assert due >= received
    assert calendar.due_date(received, n + 1, pauses) > due


@examples(150)
@given(received=received_dates, n=st.integers(min_value=1, max_value=80))
def test_add_and_count_are_inverse(calendar, received, n):
    deemed_received = calendar.add_working_days(received, 0)
    due = calendar.add_working_days(received, n)
    assert due == calendar.due_date(received, n, [])
    assert calendar.working_days_between(deemed_received, due) == n
    assert calendar.working_days_between(deemed_received, due - timedelta(days=1)) == n - 1
    assert calendar.working_days_between(due, deemed_received) == -n


@examples(100)
@given(case=pause_lists(), n=working_day_counts)
def test_pauses_never_bring_the_due_date_forward(calendar, case, n):
    received, pauses = case
    assert calendar.due_date(received, n, pauses) >= calendar.add_working_days(received, n)


def _days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
