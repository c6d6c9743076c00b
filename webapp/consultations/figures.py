"""The consultations' figures for the province office, in the figures registry
(`core.figure_sets`, the `/so-lieu` page and its CSV): how many people answered, by the month a
consultation closed or by the commune of those who answered, for the whole province.

Only consultations that have closed are counted, like their results: live counts of an open
consultation could steer its answers. A consultation counts in a group when at least one answer
came from it; "answers per consultation" divides the answers of the group by those
consultations. Answers whose commune is not known count in the totals and in a row of their
own. Only counts: never a phone, a name or an answer's words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.consultations.models import Consultation, ConsultationAnswer
from webapp.core.figure_sets import (
    BY_COMMUNE,
    BY_MONTH,
    DECIMAL,
    FigureSet,
    Measure,
    month_key,
    named_rows,
    next_month,
)
from webapp.places.models import Commune

UNKNOWN_COMMUNE = 0  # the row of answers whose commune is not known


@dataclass
class ConsultationFigures:
    """The figures of one month or one commune."""

    key: str | int
    label: str = ""
    answers: int = 0
    consultation_ids: set = field(default_factory=set)  # closed ones answered from this group

    @property
    def consultations(self) -> int:
        return len(self.consultation_ids)

    @property
    def answers_per_consultation(self) -> float | None:
        return self.answers / self.consultations if self.consultations else None

    def add(self, other: ConsultationFigures) -> None:
        self.answers += other.answers
        self.consultation_ids |= other.consultation_ids


def _first_day(key: str) -> dt.date:
    year, month = map(int, key.split("-"))
    return dt.date(year, month, 1)


def _closed_in(months: tuple[str, ...], today: dt.date) -> dict[int, str]:
    """{consultation id: the month it closed} of the consultations closed within `months`."""
    query = (Consultation.published()
             .select(Consultation.id, Consultation.closes_on)
             .where((Consultation.closes_on >= _first_day(months[0]))
                    & (Consultation.closes_on < _first_day(next_month(months[-1])))
                    & (Consultation.closes_on < today)).tuples())
    return {cid: month_key(closes_on) for cid, closes_on in query}


def count(months: tuple[str, ...], grouping: str, today: dt.date):
    """Answers to the consultations closed within `months`, by month or by commune."""
    closed = _closed_in(months, today)
    rows: dict = {}
    if closed:
        a = ConsultationAnswer
        query = (a.select(a.consultation, a.commune, fn.COUNT(a.id))
                 .where(a.consultation.in_(list(closed)) & a.sent_at.is_null(False))
                 .group_by(a.consultation, a.commune).tuples())
        for consultation_id, commune_id, answers in query:
            key = (closed[consultation_id] if grouping == BY_MONTH
                   else commune_id or UNKNOWN_COMMUNE)
            row = rows.setdefault(key, ConsultationFigures(key))
            row.answers += answers
            row.consultation_ids.add(consultation_id)
    return named_rows(rows, months, grouping, ConsultationFigures, _commune_names,
                      lambda r: (r.key == UNKNOWN_COMMUNE, -r.answers, str(r.key)))


def _commune_names() -> dict:
    return {**dict(Commune.select(Commune.id, Commune.name).tuples()),
            UNKNOWN_COMMUNE: _("Commune not known")}


MEASURES = (
    Measure("answers", _l("Opinions received"), "answers",
            chart=_l("Answers to closed consultations")),
    Measure("consultations", _l("Closed consultations answered"), "consultations"),
    Measure("per-consultation", _l("Answers per consultation"), "answers_per_consultation",
            DECIMAL, chart=_l("Answers per consultation")),
)

CONSULTATIONS = FigureSet(
    key="lay-y-kien",
    title=_l("Consultations"),
    measures=MEASURES,
    count=count,
    headline=("answers", "consultations", "per-consultation"),
    groupings=(BY_MONTH, BY_COMMUNE),
    explanation=_l("Counts the answers to consultations that have closed, by the month they "
                   "closed or by the commune of the people who answered. Open consultations "
                   "are not counted, so that the figures cannot steer the answers."),
    order=30,
)
