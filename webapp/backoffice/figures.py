"""Figures for communes and the province: dossiers received (and the online share), decided on
time or late, open and overdue, waiting for the citizen, processing time, satisfaction.

Design: five grouped queries whatever the number of dossiers, each on an indexed table.

* received, waiting, open-and-overdue: `dossier`, by month of submission (local time);
* decided, on time, processing time: `dossier_outcome`, fixed when the dossier was decided;
* satisfaction: `rating`, by month of rating;
* paper dossiers at the counter: `counter_intake`, by month and commune (no procedure).

Months are grouped by a CASE over the UTC boundaries of local months rather than a date
function, so the same SQL runs on SQLite and PostgreSQL and can use the (commune, submitted_at)
index. Sums are kept rather than averages, so totals and averages are exact.

A province's year of 50,000 dossiers takes about 150 ms to count, so `figures_for` keeps the
last results per process and counts again only when the data changed: every change of a
dossier's status writes a `DossierEvent`, every rating and counter figure a row of its own, so
the newest of those rows say whether anything the figures count has moved.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app
from peewee import SQL, fn

from webapp.backoffice.models import CounterIntake
from webapp.core.figure_sets import (  # noqa: F401 (the back office's names for them)
    BY_COMMUNE,
    BY_MONTH,
    BY_PROCEDURE,
    FIRST_COLUMN,
    GROUPINGS,
    month_key,
    months_between,
)
from webapp.core.figure_sets import count_if as _count_if
from webapp.core.figure_sets import month_case as _month_case
from webapp.core.figure_sets import month_start_utc as _month_start_utc
from webapp.core.figure_sets import next_month as _next_month
from webapp.dossiers.api import Dossier, DossierEvent, DossierOutcome, DossierRating
from webapp.dossiers.api import lifecycle as lc

SATISFIED_FROM = 4  # faces 4 and 5 count as satisfied


@dataclass(frozen=True)
class Scope:
    """Which dossiers the figures cover: communes, months (inclusive) and the grouping."""

    commune_ids: tuple[int, ...]
    months: tuple[str, ...]
    grouping: str = BY_MONTH
    today: dt.date = field(default_factory=dt.date.today)
    all_communes: bool = False  # the province: no commune filter needed

    @property
    def start_utc(self) -> dt.datetime:
        return _month_start_utc(self.months[0])

    @property
    def end_utc(self) -> dt.datetime:
        return _month_start_utc(_next_month(self.months[-1]))


@dataclass
class FigureRow:
    """The figures of one group (a month, a procedure or a commune), kept as exact sums."""

    key: str | int
    label: str = ""
    received: int = 0
    counter: int | None = None  # paper dossiers recorded at the counter
    online_matched: int = 0  # online dossiers of the communes and months with a counter record
    waiting: int = 0
    overdue_open: int = 0
    decided: int = 0
    on_time: int = 0
    days_sum: int = 0
    ratings: int = 0
    score_sum: int = 0
    satisfied: int = 0

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def online_share(self) -> float | None:
        """Online dossiers as a percentage of all received; unknown without counter figures."""
        if self.counter is None or self.online_matched + self.counter == 0:
            return None
        return 100.0 * self.online_matched / (self.online_matched + self.counter)

    @property
    def on_time_rate(self) -> float | None:
        return 100.0 * self.on_time / self.decided if self.decided else None

    @property
    def average_days(self) -> float | None:
        return self.days_sum / self.decided if self.decided else None

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.ratings if self.ratings else None

    @property
    def satisfied_rate(self) -> float | None:
        return 100.0 * self.satisfied / self.ratings if self.ratings else None

    def add(self, other: FigureRow) -> None:
        """Add another group's sums to this one (for the totals row)."""
        for name in ("received", "online_matched", "waiting", "overdue_open", "decided",
                     "on_time", "days_sum", "ratings", "score_sum", "satisfied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.counter is not None:
            self.counter = (self.counter or 0) + other.counter


def _group_expression(scope: Scope, time_column, commune_column, procedure_column):
    if scope.grouping == BY_PROCEDURE:
        return procedure_column
    if scope.grouping == BY_COMMUNE:
        return commune_column
    return _month_case(time_column, scope.months)


def _within(scope: Scope, time_column, commune_column):
    condition = (time_column >= scope.start_utc) & (time_column < scope.end_utc)
    if not scope.all_communes:
        condition &= commune_column.in_(list(scope.commune_ids) or [0])
    return condition


def _received(scope: Scope, rows: dict) -> None:
    key = _group_expression(scope, Dossier.submitted_at, Dossier.commune, Dossier.procedure)
    query = (Dossier.select(key.alias("k"), fn.COUNT(Dossier.id),
                            _count_if(Dossier.status == lc.MORE_PAPERS_REQUESTED),
                            _count_if(Dossier.status.in_(lc.OPEN_STATUSES)
                                      & (Dossier.due_date < scope.today)))
             .where(_within(scope, Dossier.submitted_at, Dossier.commune))
             .group_by(FIRST_COLUMN).tuples())
    for group, received, waiting, overdue in query:
        row = rows.setdefault(group, FigureRow(group))
        row.received, row.waiting, row.overdue_open = received, int(waiting or 0), int(overdue or 0)


def _decided(scope: Scope, rows: dict) -> None:
    o = DossierOutcome
    key = _group_expression(scope, o.decided_at, o.commune, o.procedure)
    query = (o.select(key.alias("k"), fn.COUNT(o.id), _count_if(o.on_time == True),  # noqa: E712
                      fn.SUM(o.working_days))
             .where(_within(scope, o.decided_at, o.commune)).group_by(FIRST_COLUMN).tuples())
    for group, decided, on_time, days in query:
        row = rows.setdefault(group, FigureRow(group))
        row.decided, row.on_time, row.days_sum = decided, int(on_time or 0), int(days or 0)


def _rated(scope: Scope, rows: dict) -> None:
    key = _group_expression(scope, DossierRating.created_at, Dossier.commune, Dossier.procedure)
    query = (DossierRating.select(key.alias("k"), fn.COUNT(DossierRating.id),
                                  fn.SUM(DossierRating.score),
                                  _count_if(DossierRating.score >= SATISFIED_FROM))
             .join(Dossier, on=(DossierRating.dossier == Dossier.id))
             .where(_within(scope, DossierRating.created_at, Dossier.commune))
             .group_by(FIRST_COLUMN).tuples())
    for group, count, score_sum, satisfied in query:
        row = rows.setdefault(group, FigureRow(group))
        row.ratings, row.score_sum, row.satisfied = count, int(score_sum or 0), int(satisfied or 0)


def _counted_at_counter(scope: Scope, rows: dict) -> None:
    """Add the paper dossiers recorded at the counter, and the online dossiers they compare to.

    The online share of a group only counts the communes and months for which the counter's
    number was recorded; elsewhere it would be a guess. Procedures have no counter figures.
    """
    if scope.grouping == BY_PROCEDURE:
        return
    condition = CounterIntake.month.in_(list(scope.months))
    if not scope.all_communes:
        condition &= CounterIntake.commune.in_(list(scope.commune_ids) or [0])
    tallies = {(month, commune): count for month, commune, count in
               CounterIntake.select(CounterIntake.month, CounterIntake.commune,
                                    CounterIntake.count).where(condition).tuples()}
    if not tallies:
        return
    month = _month_case(Dossier.submitted_at, scope.months)
    online = {(m, c): n for m, c, n in
              Dossier.select(month, Dossier.commune, fn.COUNT(Dossier.id))
              .where(_within(scope, Dossier.submitted_at, Dossier.commune))
              .group_by(FIRST_COLUMN, SQL("2")).tuples()}
    for (month_key_, commune), count in tallies.items():
        row = rows.setdefault(month_key_ if scope.grouping == BY_MONTH else commune,
                              FigureRow(month_key_ if scope.grouping == BY_MONTH else commune))
        row.counter = (row.counter or 0) + count
        row.online_matched += online.get((month_key_, commune), 0)


def compute(scope: Scope) -> tuple[list[FigureRow], FigureRow]:
    """The rows of the figures table (every month of the period, or each procedure or commune
    that has something) and the totals row."""
    rows: dict = {}
    _received(scope, rows)
    _decided(scope, rows)
    _rated(scope, rows)
    _counted_at_counter(scope, rows)
    rows.pop(None, None)
    if scope.grouping == BY_MONTH:
        ordered = [rows.get(key) or FigureRow(key) for key in scope.months]
    else:
        ordered = sorted(rows.values(), key=lambda r: (-r.received, -r.decided, str(r.key)))
    total = FigureRow("total")
    for row in ordered:
        total.add(row)
    return ordered, total


# --- Counting again only when something changed ---------------------------------------------

CACHED_SCOPES = 64
_cache: OrderedDict = OrderedDict()


def data_version() -> tuple:
    """Changes whenever anything the figures count changes (a few index lookups)."""
    return (current_app.config["DATABASE_URL"],
            DossierEvent.select(fn.MAX(DossierEvent.id)).scalar(),
            DossierOutcome.select(fn.MAX(DossierOutcome.id)).scalar(),
            DossierRating.select(fn.MAX(DossierRating.id)).scalar(),
            CounterIntake.select(fn.COUNT(CounterIntake.id),
                                 fn.MAX(CounterIntake.updated_at)).tuples().first())


def figures_for(scope: Scope) -> tuple[list[FigureRow], FigureRow]:
    """`compute(scope)`, from this process's memory when nothing has changed since. Callers
    get their own copy, so labelling the rows never touches what is kept."""
    key = (scope, data_version())
    if key not in _cache:
        _cache[key] = compute(scope)
        if len(_cache) > CACHED_SCOPES:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return copy.deepcopy(_cache[key])
