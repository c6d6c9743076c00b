"""The dossiers' figures for the public page (/so-lieu): the same counts as the back office's
figures page, for the whole province, with only the public measures (the queue's state, open
and overdue or waiting for the citizen, stays in the back office)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from webapp.backoffice import figures
from webapp.backoffice.figure_views import MEASURES, label_rows
from webapp.core.figure_sets import FigureSet
from webapp.places.models import Commune


def count(months: tuple[str, ...], grouping: str, today: dt.date):
    """The province's dossiers over `months`, grouped and named."""
    scope = figures.Scope(commune_ids=(), months=months, grouping=grouping, today=today,
                          all_communes=True)
    rows, total = figures.figures_for(scope)
    names = ({} if grouping != figures.BY_COMMUNE else
             dict(Commune.select(Commune.id, Commune.name).tuples()))
    label_rows(grouping, rows, names)
    return rows, total


DOSSIERS = FigureSet(
    key="ho-so",
    title=_l("Online dossiers"),
    measures=MEASURES,
    count=count,
    headline=("received", "online-share", "on-time-rate", "score"),
    explanation=_l("Received counts the dossiers sent online in each month; the online share "
                   "compares them with the paper dossiers the communes recorded at the "
                   "counter. Decided and on time count the decisions made in the month; "
                   "ratings count the faces citizens chose after their dossier was done."),
    order=10,
)
