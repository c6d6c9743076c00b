"""Figures of helping, for the province office: requests for help, the time to the first call
counted in office hours, what came of them, and dossiers sent with a helper's help, by commune
and month (Việt Nam's months, from UTC timestamps).

"Working time to first contact" counts only the office hours of working days (the state
calendar of `core.clock`, Monday to Friday without holidays, with made-up working Saturdays):
a request sent on Friday at 16:30 and answered on Monday at 7:45 took 45 minutes.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from webapp.assisted.models import OUTCOMES, HelpRequest
from webapp.core.clock import VIETNAM_OFFSET, calendar
from webapp.dossiers.api import Dossier
from webapp.places.models import Commune

# The offices' hours (local time): morning and afternoon.
OFFICE_HOURS = ((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))


def working_minutes(start_utc: dt.datetime, end_utc: dt.datetime) -> int:
    """Minutes of office hours on working days between two UTC moments."""
    start, end = start_utc + VIETNAM_OFFSET, end_utc + VIETNAM_OFFSET
    if end <= start:
        return 0
    total, day, office = 0.0, start.date(), calendar()
    while day <= end.date():
        if office.is_working_day(day):
            for opens, closes in OFFICE_HOURS:
                low = max(start, dt.datetime.combine(day, opens))
                high = min(end, dt.datetime.combine(day, closes))
                if high > low:
                    total += (high - low).total_seconds() / 60
        day += dt.timedelta(days=1)
    return int(total)


def month_of(utc: dt.datetime) -> str:
    return (utc + VIETNAM_OFFSET).strftime("%Y-%m")


@dataclass
class Row:
    """One commune in one month."""

    commune: str
    month: str
    requests: int = 0
    contacted: int = 0
    minutes: list[int] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    dossiers_with_help: int = 0

    @property
    def median_minutes(self) -> int | None:
        return int(statistics.median(self.minutes)) if self.minutes else None


def rows(since_utc: dt.datetime, commune_ids=None) -> list[Row]:
    """Every (commune, month) with a request or a dossier sent with help since `since_utc`."""
    names = {c.id: c.name for c in Commune.select(Commune.id, Commune.name)}
    table: dict[tuple[int, str], Row] = {}

    def row(commune_id: int, when: dt.datetime) -> Row:
        key = (commune_id, month_of(when))
        if key not in table:
            table[key] = Row(names.get(commune_id, ""), key[1])
        return table[key]

    requests = HelpRequest.select().where(HelpRequest.submitted_at >= since_utc)
    sent = Dossier.select(Dossier.commune, Dossier.submitted_at).where(
        (Dossier.submitted_at >= since_utc) & Dossier.mandate.is_null(False))
    if commune_ids is not None:
        requests = requests.where(HelpRequest.commune.in_(list(commune_ids)))
        sent = sent.where(Dossier.commune.in_(list(commune_ids)))
    for item in requests:
        found = row(item.commune_id, item.submitted_at)
        found.requests += 1
        if item.first_contact_at:
            found.contacted += 1
            found.minutes.append(working_minutes(item.submitted_at, item.first_contact_at))
        if item.outcome in found.outcomes:
            found.outcomes[item.outcome] += 1
    for dossier in sent:
        row(dossier.commune_id, dossier.submitted_at).dossiers_with_help += 1
    return sorted(table.values(), key=lambda r: (r.month, r.commune), reverse=False)


def totals(found: list[Row]) -> Row:
    """The province's sum of the rows (the median over every request contacted)."""
    whole = Row("", "")
    for one in found:
        whole.requests += one.requests
        whole.contacted += one.contacted
        whole.minutes += one.minutes
        whole.dossiers_with_help += one.dossiers_with_help
        for key, count in one.outcomes.items():
            whole.outcomes[key] += count
    return whole


def by_days_ago(now_utc: dt.datetime, days: int = 365) -> dt.datetime:
    return now_utc - dt.timedelta(days=days)
