"""Vietnamese lunar calendar (âm lịch) <-> Gregorian calendar.

Implements Hồ Ngọc Đức's astronomical algorithm ("Thuật toán tính âm lịch"), which follows
the traditional rules: a lunar month starts on the day of the new moon, month 11 always
contains the winter solstice, and in a 13-month year the first month without a principal
solar term (trung khí) is the leap month.

Days are reckoned in UTC+7 (Hà Nội). This matters: the same rules applied in UTC+8 give the
Chinese calendar, and the two occasionally differ, e.g. Tết 2007 was 17 Feb in Việt Nam but
18 Feb in China, and Tết 1985 was 21 Jan in Việt Nam but 20 Feb in China.

Accurate for roughly 1800-2199; outside that the lunar-phase series loses precision.
Pure standard library on purpose: no ephemeris files or third-party packages to install.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import NamedTuple

__all__ = [
    "VIETNAM_TIME_ZONE",
    "LunarDate",
    "lunar_new_year",
    "lunar_to_solar",
    "lunar_year_last_day",
    "solar_to_lunar",
]

VIETNAM_TIME_ZONE = 7.0

# Julian Day Number = proleptic Gregorian ordinal + this offset (JDN of 0001-01-01 is 1721426).
_JDN_OFFSET = 1721425
# Mean synodic month, and the Julian day of the new moon of 1900-01-01 used as k = 0.
_SYNODIC_MONTH = 29.530588853
_EPOCH_NEW_MOON = 2415021.076998695
_DEG = math.pi / 180


class LunarDate(NamedTuple):
    """A day in the Vietnamese lunar calendar; `leap` marks the intercalary month (tháng nhuận)."""

    day: int
    month: int
    year: int
    leap: bool = False


# --- Julian day numbers -----------------------------------------------------------------------


def _jdn(d: date) -> int:
    return d.toordinal() + _JDN_OFFSET


def _date_from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _JDN_OFFSET)


# --- Astronomy --------------------------------------------------------------------------------


def _new_moon_jd(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1900-01-01 (Meeus, ch. 49)."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DEG)
    m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * _DEG  # Sun anomaly
    mpr = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * _DEG  # Moon
    f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * _DEG  # latitude arg
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(m)
        + 0.0021 * math.sin(2 * m)
        - 0.4068 * math.sin(mpr)
        + 0.0161 * math.sin(2 * mpr)
        - 0.0004 * math.sin(3 * mpr)
        + 0.0104 * math.sin(2 * f)
        - 0.0051 * math.sin(m + mpr)
        - 0.0074 * math.sin(m - mpr)
        + 0.0004 * math.sin(2 * f + m)
        - 0.0004 * math.sin(2 * f - m)
        - 0.0006 * math.sin(2 * f + mpr)
        + 0.0010 * math.sin(2 * f - mpr)
        + 0.0005 * math.sin(2 * mpr + m)
    )
    return jd + correction - _delta_t(t)


def _delta_t(t: float) -> float:
    """TT - UT in days; the polynomial changes form before ~1800 (t < -11 centuries)."""
    t2, t3 = t * t, t * t * t
    if t < -11:
        return 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    return -0.000278 + 0.000265 * t + 0.000262 * t2


def _sun_longitude(jd: float) -> float:
    """Apparent solar longitude in radians, normalised to [0, 2*pi), at Julian day `jd` (UT)."""
    t = (jd - 2451545.0) / 36525
    t2 = t * t
    m = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _DEG
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000290 * math.sin(3 * m)
    )
    return ((l0 + dl) * _DEG) % (2 * math.pi)


# --- Calendar rules ---------------------------------------------------------------------------


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number of the local civil day that contains the k-th new moon."""
    return math.floor(_new_moon_jd(k) + 0.5 + tz / 24)


def _sun_sector(jdn: int, tz: float) -> int:
    """Which 30-degree sector (0..11) the sun is in at the start of local day `jdn`.

    Sector 9 starts at the winter solstice (270 degrees); a month with no change of sector
    contains no principal term and so is the leap month.
    """
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


def _month11_start(year: int, tz: float) -> int:
    """Julian day number on which lunar month 11 (the solstice month) of `year` begins."""
    k = math.floor((_jdn(date(year, 12, 31)) - 2415021) / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    # If the last new moon of the year is already past the solstice, month 11 began a moon earlier.
    if _sun_sector(start, tz) >= 9:
        start = _new_moon_day(k - 1, tz)
    return start


def _leap_month_offset(month11_start: int, tz: float) -> int:
    """Index (months after month 11) of the first month lacking a principal solar term."""
    k = math.floor((month11_start - _EPOCH_NEW_MOON) / _SYNODIC_MONTH + 0.5)
    i = 1
    sector = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        previous = sector
        i += 1
        sector = _sun_sector(_new_moon_day(k + i, tz), tz)
        if sector == previous or i >= 14:
            return i - 1


def _has_leap_month(a11: int, b11: int) -> bool:
    # Thirteen new moons between two solstice months -> the lunar year needs a leap month.
    return b11 - a11 > 365


# --- Public API -------------------------------------------------------------------------------


def solar_to_lunar(d: date, *, time_zone: float = VIETNAM_TIME_ZONE) -> LunarDate:
    """Convert a Gregorian date to the Vietnamese lunar date (UTC+7 unless told otherwise)."""
    day_number = _jdn(d)
    k = math.floor((day_number - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + 1, time_zone)
    if month_start > day_number:
        month_start = _new_moon_day(k, time_zone)

    a11 = _month11_start(d.year, time_zone)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11_start(d.year - 1, time_zone)
    else:
        lunar_year = d.year + 1
        b11 = _month11_start(d.year + 1, time_zone)

    months_since_11 = (month_start - a11) // 29
    month = months_since_11 + 11
    leap = False
    if _has_leap_month(a11, b11):
        leap_offset = _leap_month_offset(a11, time_zone)
        if months_since_11 >= leap_offset:
            month = months_since_11 + 10
            leap = months_since_11 == leap_offset
    if month > 12:
        month -= 12
    # Months 11 and 12 reached within 4 moons of a11 belong to the lunar year that started
    # before the Gregorian year in which month 11 began.
    if month >= 11 and months_since_11 < 4:
        lunar_year -= 1
    return LunarDate(day_number - month_start + 1, month, lunar_year, leap)


def lunar_to_solar(
    day: int, month: int, year: int, leap: bool = False, *, time_zone: float = VIETNAM_TIME_ZONE
) -> date:
    """Convert a Vietnamese lunar date to the Gregorian date; ValueError if it does not exist."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError("lunar_date_out_of_range")
    result = _date_from_jdn(_lunar_month_start(month, year, leap, time_zone) + day - 1)
    # Day 30 of a 29-day month would silently roll into the next month: refuse it instead.
    if solar_to_lunar(result, time_zone=time_zone) != LunarDate(day, month, year, leap):
        raise ValueError("lunar_date_does_not_exist")
    return result


def _lunar_month_start(month: int, year: int, leap: bool, tz: float) -> int:
    """Julian day number of day 1 of the given lunar month."""
    if month < 11:
        a11, b11 = _month11_start(year - 1, tz), _month11_start(year, tz)
    else:
        a11, b11 = _month11_start(year, tz), _month11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    offset = (month - 11) % 12
    if _has_leap_month(a11, b11):
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = (leap_offset - 2) % 12
        if leap and month != leap_month:
            raise ValueError("not_a_leap_month")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError("not_a_leap_month")
    return _new_moon_day(k + offset, tz)


def lunar_new_year(year: int, *, time_zone: float = VIETNAM_TIME_ZONE) -> date:
    """Gregorian date of Tết Nguyên đán (1st day of the 1st lunar month) of lunar `year`."""
    return lunar_to_solar(1, 1, year, time_zone=time_zone)


def lunar_year_last_day(year: int) -> date:
    """Gregorian date of the last day of lunar `year` (29 or 30 tháng Chạp: ngày tất niên)."""
    return lunar_new_year(year + 1) - timedelta(days=1)
