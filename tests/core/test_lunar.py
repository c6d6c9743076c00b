"""Vietnamese lunar calendar conversion (Hồ Ngọc Đức's algorithm, UTC+7)."""

from datetime import date, timedelta

import pytest

from webapp.core.lunar import (
    LunarDate,
    lunar_new_year,
    lunar_to_solar,
    lunar_year_last_day,
    solar_to_lunar,
)

VIETNAMESE_TET = {
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
}

HUNG_KINGS = {  # 10/3 lunar
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
}


@pytest.mark.parametrize(("year", "expected"), sorted(VIETNAMESE_TET.items()))
def test_tet_dates(year, expected):
    assert lunar_to_solar(1, 1, year) == expected
    assert lunar_new_year(year) == expected
    assert solar_to_lunar(expected) == LunarDate(1, 1, year, False)


@pytest.mark.parametrize(("year", "expected"), sorted(HUNG_KINGS.items()))
def test_hung_kings_commemoration(year, expected):
    assert lunar_to_solar(10, 3, year) == expected
    assert solar_to_lunar(expected) == LunarDate(10, 3, year, False)


def test_utc7_differs_from_chinese_utc8():
    # Tết Ất Sửu: 21 Jan 1985 in Việt Nam, a whole month before China's 20 Feb 1985.
    assert lunar_new_year(1985) == date(1985, 1, 21)
    assert lunar_new_year(1985, time_zone=8) == date(1985, 2, 20)
    # Tết Đinh Hợi: the new moon fell just before midnight in Hà Nội, after it in Beijing.
    assert lunar_new_year(2007) == date(2007, 2, 17)
    assert lunar_new_year(2007, time_zone=8) == date(2007, 2, 18)


def test_leap_month_2023_is_leap_second_month():
    # Quý Mão 2023 had a leap 2nd month (tháng 2 nhuận) starting 22 Mar 2023.
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(1, 2, 2023, True)
    assert lunar_to_solar(1, 2, 2023, leap=True) == date(2023, 3, 22)
    assert lunar_to_solar(1, 2, 2023) == date(2023, 2, 20)


def test_last_day_of_lunar_year():
    # Ất Tỵ's 12th month has 29 days: no "30 Tết" in 2026; the eve is 16 Feb.
    assert lunar_year_last_day(2025) == date(2026, 2, 16)
    assert solar_to_lunar(date(2026, 2, 16)) == LunarDate(29, 12, 2025, False)
    # Announced for 2026: Sat 14 Feb is 27 tháng Chạp Ất Tỵ.
    assert solar_to_lunar(date(2026, 2, 14)) == LunarDate(27, 12, 2025, False)


def test_late_gregorian_december_belongs_to_previous_lunar_year():
    assert solar_to_lunar(date(2025, 12, 31)).year == 2025
    assert solar_to_lunar(date(2026, 1, 1)).year == 2025


def test_leap_flag_on_a_month_that_is_not_leap_is_refused():
    with pytest.raises(ValueError, match="not_a_leap_month"):
        lunar_to_solar(1, 3, 2023, leap=True)
    with pytest.raises(ValueError, match="not_a_leap_month"):
        lunar_to_solar(1, 1, 2024, leap=True)  # 2024 has no leap month at all


def test_day_30_of_a_short_month_is_refused():
    with pytest.raises(ValueError, match="lunar_date_does_not_exist"):
        lunar_to_solar(30, 12, 2025)


@pytest.mark.parametrize("bad", [(0, 1, 2025), (31, 1, 2025), (1, 0, 2025), (1, 13, 2025)])
def test_out_of_range_lunar_fields_are_refused(bad):
    with pytest.raises(ValueError, match="lunar_date_out_of_range"):
        lunar_to_solar(*bad)


def test_round_trip_every_day_2019_to_2031():
    day = date(2019, 1, 1)
    previous = solar_to_lunar(day - timedelta(days=1))
    while day < date(2032, 1, 1):
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.day, lunar.month, lunar.year, lunar.leap) == day
        # Consecutive days: either the next lunar day, or day 1 of a new month after day 29/30.
        assert lunar.day == previous.day + 1 or (lunar.day == 1 and previous.day in (29, 30))
        previous = lunar
        day += timedelta(days=1)


def test_lunar_years_have_12_or_13_months_of_29_or_30_days():
    for year in range(1990, 2051):
        length = (lunar_new_year(year + 1) - lunar_new_year(year)).days
        assert length in (353, 354, 355, 383, 384, 385), year
