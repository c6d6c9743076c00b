"""Figures described once for the back office's figures page and the public one (`/so-lieu`).

A room that counts something describes its columns as `Measure`s (heading, how to read the
value from a row, how to write it, whether it is charted and on which scale, whether the public
may see it). The back office shows every measure of the dossiers; the public page only the
public ones, for the whole province.

The public page reads a registry, like `core.personal_data`: each room that counts something
the public may see registers a `FigureSet` in its `init_app` (its title, measures, groupings
and how to count them for a period), and the public page imports no room. The dossiers' set is
registered by the back office, which counts the dossiers for its own page; reports, help
requests and bookings add theirs the same way.

Also here, because both pages and every room's counts use them: the periods offered (the last
12 months, this year, last year), the local months of UTC timestamps as portable SQL
(`month_case`, `count_if`), `Numbers` (how figures are written, "–" when unknown) and the CSV
download.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import SQL, Case, fn

from webapp.core.charts import BarChart, bar_chart
from webapp.core.clock import local_to_utc
from webapp.core.i18n import format_number, number_marks

EXTENSION = "figure_sets"
BY_MONTH, BY_PROCEDURE, BY_COMMUNE = "month", "procedure", "commune"
GROUPINGS = (BY_MONTH, BY_PROCEDURE, BY_COMMUNE)
# The groupings as they appear in addresses (?theo=thu-tuc) and on screen.
GROUPING_SLUGS = {"thang": BY_MONTH, "thu-tuc": BY_PROCEDURE, "xa": BY_COMMUNE}
GROUPING_LABELS = {"thang": _l("Month"), "thu-tuc": _l("Procedure"), "xa": _l("Commune")}
NUMBER, DECIMAL, PERCENT = "number", "decimal", "percent"


# --- Months and periods ---------------------------------------------------------------------


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Month keys from the month of `first` to the month of `last`, inclusive."""
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def month_start_utc(key: str) -> dt.datetime:
    """The UTC moment Việt Nam's month `key` ("2026-03") begins."""
    year, month = map(int, key.split("-"))
    return local_to_utc(dt.datetime(year, month, 1))


def next_month(key: str) -> str:
    year, month = map(int, key.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def month_case(column, months: Sequence[str]):
    """A CASE naming the local month of a UTC timestamp column, portable across databases
    (and able to use an index on the column, unlike a date function)."""
    branches = [(column < month_start_utc(next_month(key)), key) for key in months]
    return Case(None, branches, None)


def within_months(column, months: Sequence[str]):
    """`column` (a UTC timestamp) falls in the local months `months` (consecutive)."""
    return (column >= month_start_utc(months[0])) & (column < month_start_utc(
        next_month(months[-1])))


def count_if(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


# Grouping by position: PostgreSQL cannot match a CASE with bound parameters in GROUP BY to the
# same CASE in the SELECT list (each carries its own placeholders); SQLite accepts it as well.
FIRST_COLUMN = SQL("1")


def month_label(key: str) -> str:
    """"2026-03" as people write it: 03/2026."""
    return f"{key[5:]}/{key[:4]}"


@dataclass(frozen=True)
class Period:
    slug: str
    label: str
    months: tuple[str, ...]


def periods(today: dt.date) -> list[Period]:
    """The last 12 months, this year so far, and last year."""
    year, month = today.year, today.month
    first = (year - 1, month + 1) if month < 12 else (year, 1)
    last_12 = months_between(today.replace(year=first[0], month=first[1], day=1), today)
    return [
        Period("12-thang", _("Last 12 months"), tuple(last_12)),
        Period(f"nam-{year}", _("Year %(year)d", year=year),
               tuple(months_between(today.replace(month=1, day=1), today))),
        Period(f"nam-{year - 1}", _("Year %(year)d", year=year - 1),
               tuple(f"{year - 1:04d}-{m:02d}" for m in range(1, 13))),
    ]


def chosen_period(options: Sequence[Period], slug: str | None) -> Period:
    """The period asked for, or the first (the last 12 months) for anything else."""
    return next((p for p in options if p.slug == slug), options[0])


def chosen_grouping(slug: str | None) -> str:
    """The grouping's slug asked for, or "thang" (by month) for anything else."""
    return slug if slug in GROUPING_SLUGS else "thang"


def named_rows(rows: dict, months: Sequence[str], grouping: str, make_row: Callable[[Any], Any],
               names: Callable[[], dict], sort_key: Callable[[Any], Any]) -> tuple[list, Any]:
    """A room's counted rows (`rows`: group key -> row with `add`) as a set's `count` returns
    them: by month, every month of the period in order (empty ones made by `make_row`); by
    anything else, the groups that have something in `sort_key` order, named from `names()`
    (read only then); and the totals row."""
    if grouping == BY_MONTH:
        ordered = [rows.get(key) or make_row(key) for key in months]
        for row in ordered:
            row.label = month_label(row.key)
    else:
        found = names()
        ordered = sorted(rows.values(), key=sort_key)
        for row in ordered:
            row.label = found.get(row.key, str(row.key))
    total = make_row("total")
    for row in ordered:
        total.add(row)
    return ordered, total


# --- Writing numbers ------------------------------------------------------------------------


class Numbers:
    """How the figures write numbers: "–" when unknown, grouped the reader's way. The marks
    are looked up once, not for each of a table's thousand cells."""

    def __init__(self) -> None:
        self.marks = number_marks()

    def number(self, value) -> str:
        return "–" if value is None else format_number(value, 0, self.marks)

    def decimal(self, value) -> str:
        return "–" if value is None else format_number(value, 1, self.marks)

    def percent(self, value) -> str:
        return "–" if value is None else f"{format_number(value, 1, self.marks)} %"

    def writer(self, kind: str) -> Callable[[Any], str]:
        return {NUMBER: self.number, DECIMAL: self.decimal, PERCENT: self.percent}[kind]


# --- Measures, and the charts and table they make -------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One column of figures: its heading, how to read it from a row (an attribute name or a
    function), how it is written, and, if it is charted, the chart's title and full scale."""

    key: str
    heading: Any
    value: str | Callable[[Any], float | None]
    kind: str = NUMBER
    chart: Any = None  # the chart's title, when the measure is charted
    maximum: float | None = None  # the chart's full scale (100 for percentages)
    public: bool = True  # shown on the public page

    def read(self, row) -> float | None:
        return getattr(row, self.value) if isinstance(self.value, str) else self.value(row)


def columns(measures: Sequence[Measure], numbers: Numbers):
    """(heading, function writing a row's value) for each measure: the page and the CSV."""
    return [(m.heading, _shown(m, numbers.writer(m.kind))) for m in measures]


def _shown(measure: Measure, write: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda row: write(measure.read(row))


def charts(prefix: str, measures: Sequence[Measure], rows, numbers: Numbers,
           limit: int | None = None) -> list[BarChart]:
    """A bar chart of the charted measures over `rows` (the first `limit` of them)."""
    charted = rows if limit is None else rows[:limit]
    return [bar_chart(f"{prefix}-{m.key}", str(m.chart),
                      [(r.label, m.read(r)) for r in charted],
                      display=numbers.writer(m.kind), maximum=m.maximum)
            for m in measures if m.chart]


def csv_response(filename: str, label_heading: str, rows, total, shown,
                 cache_control: str = "private, no-store") -> Response:
    """The rows and the totals row as a CSV file for spreadsheets (UTF-8 with a BOM, for
    Excel), offered as a download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label_heading, *[str(name) for name, _value in shown]])
    for label, row in [*((row.label, row) for row in rows), (_("Total"), total)]:
        writer.writerow([label, *[value(row) for _name, value in shown]])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": cache_control})


# --- The registry of public figure sets -----------------------------------------------------


@dataclass(frozen=True)
class FigureSet:
    """What one room shows the public: `count(months, grouping, today)` returns the rows (each
    with a `label` in the reader's language, and attributes its measures read) and a totals
    row, for the whole province. Only counts: never a name, a phone number or an ID."""

    key: str  # in addresses: /so-lieu.csv?bang=ho-so
    title: Any
    measures: tuple[Measure, ...]
    count: Callable[[tuple[str, ...], str, dt.date], tuple[list, Any]]
    headline: tuple[str, ...] = ()  # the measures written large above the charts
    groupings: tuple[str, ...] = GROUPINGS
    explanation: Any = None  # what the figures count, in one or two sentences
    order: int = 100

    @property
    def public_measures(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.public)


def register(app: Flask, figure_set: FigureSet) -> None:
    """Called by a room's `init_app`."""
    app.extensions.setdefault(EXTENSION, {})[figure_set.key] = figure_set


def figure_sets() -> list[FigureSet]:
    """Every registered set, in page order."""
    return sorted(current_app.extensions.get(EXTENSION, {}).values(),
                  key=lambda s: (s.order, s.key))
