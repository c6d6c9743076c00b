"""Working days of Vietnamese state offices, for the due dates of public-service dossiers.

Rules encoded (the defaults; see `holidays.toml` for the arrangements announced each year):

* Weekly rest: Saturday and Sunday, the 40-hour week of state offices
  (Quyết định 188/1999/QĐ-TTg).
* Public holidays, Labour Code 2019 (Bộ luật Lao động 45/2019/QH14) art. 112(1):
  1 January; Tết Âm lịch 5 days; Hùng Kings' Commemoration 10/3 lunar; 30 April; 1 May;
  National Day 2 September plus one adjacent day. Art. 112(3) lets the Prime Minister fix the
  Tết days and the adjacent National Day each year, so the defaults here are assumptions:
  Tết = the last day of the lunar year + days 1-4 of the new year; National Day = 1 + 2 Sep.
* Substitute days, art. 111(3): a holiday on a weekly rest day gives a day off on the next
  working day. Applied in date order, so clustered holidays push their substitutes one after
  another (e.g. 2023: Hùng Kings Sat 29/4, 30/4 Sun -> substitutes Tue 2/5 and Wed 3/5).
* Time limits, Civil Code 2015 (Bộ luật Dân sự 91/2015/QH13) art. 147(2): the day on which the
  period starts (the day the dossier is received) is not counted; art. 148(5): a period that
  would end on a rest day ends on the next working day.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from webapp.core.lunar import lunar_new_year, lunar_to_solar

__all__ = ["Holiday", "HolidayCalendar", "YearOverride", "load_overrides"]

DEFAULT_OVERRIDES_PATH = Path(__file__).with_name("holidays.toml")

# name_keys of the holidays the rules produce; the UI translates them.
RULE_KEYS = ("new_year", "tet", "hung_kings", "reunification_day", "labour_day", "national_day")
SUBSTITUTE = "substitute"  # art. 111(3) day off for a holiday that fell on a weekend
SWAP = "swap"  # working day moved to a make-up weekend day by government announcement

TET_DAYS_AFTER_NEW_YEAR = 4  # days 1..4 of the new lunar year; plus the last day of the old one
_ONE_DAY = timedelta(days=1)


class Holiday(NamedTuple):
    """A day off for state offices; `name_key` is a snake_case key for the UI to translate."""

    date: date
    name_key: str


@dataclass(frozen=True)
class YearOverride:
    """The officially announced arrangement for one year, on top of the rules."""

    replace: Mapping[str, tuple[date, ...]] = field(default_factory=dict)
    days_off: tuple[date, ...] = ()
    working_days: tuple[date, ...] = ()
    sources: tuple[str, ...] = ()


# --- Rule-based holidays ------------------------------------------------------------------------


def _rule_holidays(year: int) -> dict[str, list[date]]:
    """Holidays of Labour Code art. 112(1) for `year`, before substitutes, by name_key."""
    tet = lunar_new_year(year)  # always between 21 Jan and 20 Feb, so within `year`
    return {
        "new_year": [date(year, 1, 1)],
        "tet": [tet + timedelta(days=offset) for offset in range(-1, TET_DAYS_AFTER_NEW_YEAR)],
        "hung_kings": [lunar_to_solar(10, 3, year)],
        "reunification_day": [date(year, 4, 30)],
        "labour_day": [date(year, 5, 1)],
        # The adjacent day is the Prime Minister's yearly choice; 1 Sep is only the default.
        "national_day": [date(year, 9, 1), date(year, 9, 2)],
    }


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


def _with_substitutes(base: list[Holiday], also_off: Iterable[date] = ()) -> list[Holiday]:
    """Add the art. 111(3) substitute days for holidays that fall on Saturday or Sunday.

    `also_off` are days already off for another reason (swaps), which a substitute must skip.
    """
    taken = {h.date for h in base} | set(also_off)
    result = list(base)
    # Date order matters: an earlier weekend holiday claims the first free weekday, so a
    # cluster (Tết, or Hùng Kings next to 30/4) gets its substitutes consecutively and no
    # holiday is lost. Two holidays on the same date share it (the law gives no extra day).
    for weekend_date in sorted({h.date for h in base if _is_weekend(h.date)}):
        substitute = weekend_date + _ONE_DAY
        while _is_weekend(substitute) or substitute in taken:
            substitute += _ONE_DAY
        taken.add(substitute)
        result.append(Holiday(substitute, SUBSTITUTE))
    return result


# --- Overrides from TOML ------------------------------------------------------------------------


def load_overrides(path: Path | str = DEFAULT_OVERRIDES_PATH) -> dict[int, YearOverride]:
    """Read announced arrangements from a TOML file (format documented in holidays.toml)."""
    with open(path, "rb") as handle:
        document = tomllib.load(handle)
    per_year: dict[int, YearOverride] = {}
    for entry in document.get("arrangement", []):
        year = int(entry["year"])
        per_year[year] = _merge(per_year.get(year, YearOverride()), _parse_arrangement(entry))
    return per_year


def _parse_arrangement(entry: Mapping[str, Any]) -> YearOverride:
    year = int(entry["year"])
    source = entry.get("source", "").strip()
    if not source:
        raise ValueError(f"holiday arrangement for {year} has no source")
    replace: dict[str, tuple[date, ...]] = {}
    if "replace" in entry:
        key = entry.get("holiday")
        if key not in RULE_KEYS:
            raise ValueError(f"unknown holiday key {key!r} in arrangement for {year}")
        replace[key] = _dates_in_year(entry["replace"], year)
    working_days = _dates_in_year(entry.get("working_days", []), year)
    if not all(_is_weekend(d) for d in working_days):
        raise ValueError(f"make-up working days for {year} must be Saturdays or Sundays")
    return YearOverride(
        replace=replace,
        days_off=_dates_in_year(entry.get("days_off", []), year),
        working_days=working_days,
        sources=(source,),
    )


def _dates_in_year(values: Iterable[Any], year: int) -> tuple[date, ...]:
    dates = tuple(values)
    # tomllib gives datetime for date-times, which is a date subclass: refuse it explicitly.
    if not all(type(d) is date and d.year == year for d in dates):
        raise ValueError(f"holiday arrangement for {year} has a value that is not a date in {year}")
    return dates


def _merge(first: YearOverride, second: YearOverride) -> YearOverride:
    return YearOverride(
        replace={**first.replace, **second.replace},
        days_off=first.days_off + second.days_off,
        working_days=first.working_days + second.working_days,
        sources=first.sources + second.sources,
    )


# --- The calendar -------------------------------------------------------------------------------


class HolidayCalendar:
    """Working days of state offices: rule-based holidays plus announced per-year overrides."""

    def __init__(self, overrides: Mapping[int, YearOverride] | None = None) -> None:
        self._overrides = dict(overrides or {})
        self._holidays_by_year: dict[int, tuple[Holiday, ...]] = {}
        self._closed_by_year: dict[int, frozenset[date]] = {}

    @classmethod
    def default(cls) -> HolidayCalendar:
        """The rules plus the arrangements recorded in `holidays.toml`."""
        return cls(load_overrides(DEFAULT_OVERRIDES_PATH))

    @classmethod
    def rules_only(cls) -> HolidayCalendar:
        """The Labour Code rules alone, without any announced arrangement."""
        return cls()

    def sources(self, year: int) -> tuple[str, ...]:
        """Documents the overrides of `year` came from; empty if the year follows the rules."""
        return self._override(year).sources

    def holidays(self, year: int) -> list[Holiday]:
        """Days off in `year` (holidays, substitutes, swapped days), sorted by date."""
        if year not in self._holidays_by_year:
            self._holidays_by_year[year] = tuple(self._compute_holidays(year))
        return list(self._holidays_by_year[year])

    def makeup_working_days(self, year: int) -> list[date]:
        """Weekend days of `year` on which offices work to make up for a swap (ngày làm bù)."""
        return sorted(self._override(year).working_days)

    def is_working_day(self, d: date) -> bool:
        """True if state offices are open on `d`."""
        if d in self._override(d.year).working_days:
            return True
        return not _is_weekend(d) and d not in self._closed_dates(d.year)

    def add_working_days(self, start: date, n: int) -> date:
        """Due date of a dossier received on `start` that takes `n` working days.

        A dossier received on a rest day is deemed received on the next working day (the
        practice for papers sent outside office hours, e.g. Thông tư 87/2021/TT-BTC art. 10).
        Civil Code art. 147(2): the receiving day itself is not counted, so the result is the
        n-th working day after the (deemed) receiving day: received Friday, n=1 -> next Monday;
        received Saturday, n=1 -> Tuesday. n=0 means the (deemed) receiving day itself.
        The result is always a working day.
        """
        return self.due_date(start, n, ())

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open range (start, end]; negative if end is before start.

        The counterpart of add_working_days: for a working day s and any n >= 0,
        working_days_between(s, add_working_days(s, n)) == n.
        """
        if end < start:
            return -self.working_days_between(end, start)
        days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(1 for d in days if self.is_working_day(d))

    def due_date(
        self, received: date, n: int, paused: Sequence[tuple[date, date]] = ()
    ) -> date:
        """Due date like add_working_days, with the clock stopped during `paused` periods.

        Each pause is an inclusive (first, last) period during which the office waits for the
        citizen (e.g. for missing papers); working days inside a pause do not count, and counting
        resumes the day after it ends. With no pauses this equals add_working_days(received, n).
        """
        if n < 0:
            raise ValueError("negative_working_days")
        pauses = _checked_pauses(paused)
        deemed_received = next(d for d in _days_from(received) if self.is_working_day(d))
        if n == 0:
            # A same-day procedure is due on the receiving day; there is no clock to stop.
            return deemed_received
        counted = 0
        for d in _days_from(deemed_received + _ONE_DAY):
            if self.is_working_day(d) and not _in_any(d, pauses):
                counted += 1
                if counted == n:
                    return d
        raise AssertionError("unreachable: the day iterator is endless")

    # -- internals --

    def _override(self, year: int) -> YearOverride:
        return self._overrides.get(year, YearOverride())

    def _closed_dates(self, year: int) -> frozenset[date]:
        if year not in self._closed_by_year:
            self._closed_by_year[year] = frozenset(h.date for h in self.holidays(year))
        return self._closed_by_year[year]

    def _compute_holidays(self, year: int) -> list[Holiday]:
        override = self._override(year)
        groups = {**_rule_holidays(year), **override.replace}
        base = [Holiday(d, key) for key, dates in groups.items() for d in dates]
        swaps = [Holiday(d, SWAP) for d in override.days_off]
        days_off = _with_substitutes(base, override.days_off) + swaps
        # A make-up working day cannot also be a day off: the announcement wins.
        return sorted(h for h in days_off if h.date not in override.working_days)


def _checked_pauses(paused: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    pauses = [(first, last) for first, last in paused]
    if any(first > last for first, last in pauses):
        raise ValueError("pause_ends_before_it_starts")
    return pauses


def _in_any(d: date, pauses: Sequence[tuple[date, date]]) -> bool:
    return any(first <= d <= last for first, last in pauses)


def _days_from(start: date) -> Iterator[date]:
    d = start
    while True:
        yield d
        d += _ONE_DAY

