"""The reports' figures for the province office, in the figures registry (`core.figure_sets`,
the `/so-lieu` page and its CSV), by month or by commune, for the whole province:

* received: reports sent in the month (Việt Nam's months), in all and by category, counted in
  the commune that handles them now (a report forwarded to another commune counts there);
* answered: the answers given in the month (fixed, not fixed, not the commune's), from
  `ReportOutcome`, fixed at the answer: on time (by the due date) or overdue, the median of the
  working days taken, and the share of them that the reporter reopened ("it is not fixed").
  A reopened report answered again counts once, at its last answer.

Two grouped queries, whatever the number of reports; the medians are exact, from the answers
counted by working days taken.
Only counts: never a name, a phone number or a report's words.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from peewee import SQL, fn

from webapp.core.figure_sets import (
    BY_COMMUNE,
    BY_MONTH,
    DECIMAL,
    FIRST_COLUMN,
    PERCENT,
    FigureSet,
    Measure,
    month_case,
    named_rows,
    within_months,
)
from webapp.places.models import Commune
from webapp.reports import categories
from webapp.reports.models import Report, ReportOutcome


@dataclass
class ReportFigures:
    """The figures of one month or one commune."""

    key: str | int
    label: str = ""
    received: int = 0
    by_category: dict = field(default_factory=dict)
    on_time: int = 0
    overdue: int = 0
    reopened: int = 0
    days: Counter = field(default_factory=Counter)  # working days taken -> how many answers

    @property
    def answered(self) -> int:
        return self.on_time + self.overdue

    @property
    def median_days(self) -> float | None:
        return median_of_counts(self.days)

    @property
    def reopened_share(self) -> float | None:
        return 100.0 * self.reopened / self.answered if self.answered else None

    def add(self, other: ReportFigures) -> None:
        self.received += other.received
        for key, count in other.by_category.items():
            self.by_category[key] = self.by_category.get(key, 0) + count
        self.on_time, self.overdue = self.on_time + other.on_time, self.overdue + other.overdue
        self.reopened += other.reopened
        self.days.update(other.days)


def _key(grouping: str, time_column, commune_column, months):
    return commune_column if grouping == BY_COMMUNE else month_case(time_column, months)


def _received(months, grouping, rows: dict) -> None:
    key = _key(grouping, Report.submitted_at, Report.commune, months)
    query = (Report.select(key, Report.category, fn.COUNT(Report.id))
             .where(within_months(Report.submitted_at, months))
             .group_by(FIRST_COLUMN, SQL("2")).tuples())
    for group, category, count in query:
        row = rows.setdefault(group, ReportFigures(group))
        row.received += count
        row.by_category[category] = row.by_category.get(category, 0) + count


def _answered(months, grouping, rows: dict) -> None:
    """Answers grouped down to (group, on time, reopened, working days): a few hundred rows
    whatever the number of reports, from which the medians are exact."""
    o = ReportOutcome
    key = _key(grouping, o.decided_at, o.commune, months)
    query = (o.select(key, o.on_time, Report.reopened, o.working_days, fn.COUNT(o.id))
             .join(Report, on=(o.report == Report.id))
             .where(within_months(o.decided_at, months))
             .group_by(FIRST_COLUMN, SQL("2"), SQL("3"), SQL("4")).tuples())
    for group, on_time, reopened, days, count in query:
        row = rows.setdefault(group, ReportFigures(group))
        if on_time:
            row.on_time += count
        else:
            row.overdue += count
        row.reopened += count if reopened else 0
        row.days[days] += count


def median_of_counts(counts: Counter) -> float | None:
    """The median of values given as value -> how many times (the mean of the two middle
    values when their number is even)."""
    total = sum(counts.values())
    if not total:
        return None
    middle, seen, low = (total - 1) // 2, 0, None
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > middle:
            low = value
        if seen > total // 2:
            return low if total % 2 else (low + value) / 2
    return None  # not reached: the loop passes the middle


def count(months: tuple[str, ...], grouping: str, today: dt.date):
    """The province's reports over `months`, by month (every month) or by commune (those with
    something), named; and the totals row."""
    rows: dict = {}
    _received(months, grouping, rows)
    _answered(months, grouping, rows)
    rows.pop(None, None)
    return named_rows(rows, months, grouping, ReportFigures,
                      lambda: dict(Commune.select(Commune.id, Commune.name).tuples()),
                      lambda r: (-r.received, -r.answered, str(r.key)))


def _category_measure(key: str, label) -> Measure:
    return Measure(f"category-{key}", label, lambda row: row.by_category.get(key, 0))


MEASURES = (
    Measure("received", _l("Reports received"), "received", chart=_l("Reports received")),
    *(_category_measure(key, label) for key, label, _hint in categories.CATEGORIES),
    Measure("answered", _l("Answered"), "answered"),
    Measure("on-time", _l("Answered on time"), "on_time"),
    Measure("overdue", _l("Answered after the due date"), "overdue"),
    Measure("median-days", _l("Median time to answer (working days)"), "median_days", DECIMAL,
            chart=_l("Median time to answer (working days)")),
    Measure("reopened", _l("Reopened as not fixed"), "reopened_share", PERCENT,
            chart=_l("Answers reopened as not fixed (%)"), maximum=100),
)

REPORTS = FigureSet(
    key="phan-anh",
    title=_l("Citizens' reports"),
    measures=MEASURES,
    count=count,
    headline=("received", "on-time", "median-days", "reopened"),
    groupings=(BY_MONTH, BY_COMMUNE),
    explanation=_l("Received counts the reports sent in each month, by what they are about, in "
                   "the commune that handles them. Answered counts the answers given in the "
                   "month, on time or after the due date, the median number of working days "
                   "they took, and the share the reporter reopened because it was not fixed."),
    order=20,
)
