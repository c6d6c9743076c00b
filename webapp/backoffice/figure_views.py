"""Figures pages for officers and administrators: charts with their tables, and a CSV download.

The CSV is a real download: officers read figures on a desktop at the office, not inside Zalo;
the same numbers are always on the page as a table too.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import current_staff, staff_required
from webapp.backoffice import access, display, figures
from webapp.backoffice.blueprint import backoffice
from webapp.backoffice.forms import counter_intake_form
from webapp.backoffice.models import CounterIntake
from webapp.core.clock import local_today, utcnow
from webapp.core.db import database
from webapp.core.figure_sets import (
    DECIMAL,
    GROUPING_LABELS,
    GROUPING_SLUGS,
    PERCENT,
    Measure,
    Numbers,
    charts,
    chosen_grouping,
    chosen_period,
    columns,
    csv_response,
    month_label,
    periods,
)
from webapp.core.i18n import format_number
from webapp.dossiers.api import OFFICE_ROLES

CHART_BARS = 12  # procedures and communes: the busiest ones in the chart, all in the table

# The dossiers' figures, in the order of the table's columns. The public page (/so-lieu) shows
# the public ones for the whole province; the back office all of them for the communes served.
MEASURES = (
    Measure("received", _l("Received online"), "received",
            chart=_l("Dossiers received online")),
    Measure("counter", _l("Paper dossiers at the counter"), "counter"),
    Measure("online-share", _l("Online share"), "online_share", PERCENT),
    Measure("decided", _l("Decided"), "decided"),
    Measure("on-time", _l("On time"), "on_time"),
    Measure("late", _l("Late"), "late"),
    Measure("on-time-rate", _l("On-time rate"), "on_time_rate", PERCENT,
            chart=_l("Decided on time (%)"), maximum=100),
    Measure("overdue", _l("Open and overdue"), "overdue_open", public=False),
    Measure("waiting", _l("Waiting for the citizen"), "waiting", public=False),
    Measure("days", _l("Average processing time (working days)"), "average_days", DECIMAL),
    Measure("ratings", _l("Ratings"), "ratings"),
    Measure("score", _l("Average rating (of 5)"), "average_score", DECIMAL,
            chart=_l("Satisfaction (average of 5 faces)"), maximum=5),
    Measure("satisfied", _l("Satisfied"), "satisfied_rate", PERCENT),
)


def _choices():
    """The period, grouping and communes asked for, limited to what this officer may see."""
    today = local_today()
    options = periods(today)
    period = chosen_period(options, request.args.get("ky"))
    grouping_slug = chosen_grouping(request.args.get("theo"))
    communes = access.communes_served()
    chosen = next((c for c in communes if c.code == request.args.get("xa")), None)
    everything = chosen is None and current_staff().role == "admin"
    ids = (chosen.id,) if chosen else tuple(c.id for c in communes)
    scope = figures.Scope(commune_ids=ids, months=period.months, today=today,
                          grouping=GROUPING_SLUGS[grouping_slug], all_communes=everything)
    return scope, {"period": period, "periods": options, "grouping": grouping_slug,
                   "communes": communes, "commune": chosen}


def label_rows(grouping: str, rows, commune_names: dict[int, str]) -> None:
    """Name each row: its month, its procedure's title (in the reader's language) or its
    commune."""
    if grouping == figures.BY_MONTH:
        for row in rows:
            row.label = month_label(row.key)
    elif grouping == figures.BY_PROCEDURE:
        titles = display.procedure_titles()
        for row in rows:
            row.label = display.procedure_title(titles, row.key)
    else:
        for row in rows:
            row.label = commune_names.get(row.key, str(row.key))


def _label_rows(scope, rows) -> None:
    label_rows(scope.grouping, rows, {c.id: c.name for c in access.communes_served()})


@backoffice.get("/so-lieu")
@staff_required(*OFFICE_ROLES)
def figures_page():
    """Figures by month, procedure or commune: three charts, each with its table, and all
    the numbers in one table."""
    scope, context = _choices()
    rows, total = figures.figures_for(scope)
    _label_rows(scope, rows)
    numbers = Numbers()
    limit = None if scope.grouping == figures.BY_MONTH else CHART_BARS
    return render_template(
        "backoffice/figures.html", rows=rows, total=total,
        charts=charts("chart", MEASURES, rows, numbers, limit),
        columns=columns(MEASURES, numbers), grouping_labels=GROUPING_LABELS, chart_limited=(
            scope.grouping != figures.BY_MONTH and len(rows) > CHART_BARS),
        csv_args={k: v for k, v in request.args.items() if k in ("ky", "theo", "xa")},
        **context)


@backoffice.get("/so-lieu.csv")
@staff_required(*OFFICE_ROLES)
def figures_csv():
    """The same figures as a CSV file for spreadsheets (UTF-8 with a BOM, for Excel)."""
    scope, context = _choices()
    rows, total = figures.figures_for(scope)
    _label_rows(scope, rows)
    name = f"so-lieu-{context['period'].slug}-{context['grouping']}.csv"
    return csv_response(name, str(GROUPING_LABELS[context["grouping"]]), rows, total,
                        columns(MEASURES, Numbers()))


@backoffice.route("/so-lieu/ho-so-giay", methods=["GET", "POST"])
@staff_required(*OFFICE_ROLES)
def counter_intake():
    """Record how many paper dossiers a commune received at the counter in a month."""
    communes = {c.id: c.name for c in access.communes_served()}
    months = list(reversed(periods(local_today())[0].months))
    form = counter_intake_form(request.form if request.method == "POST" else None,
                               communes, months)
    if request.method == "GET" or not form.validate():
        if request.method == "GET":
            form.initial = {"month": months[0], "commune": next(iter(communes), "")}
        return render_template("backoffice/counter-intake.html", form=form, communes=communes,
                               months=months)
    row = {"count": form.data["count"], "staff": current_staff().id, "updated_at": utcnow()}
    with database.atomic():
        (CounterIntake.insert(commune=int(form.data["commune"]), month=form.data["month"], **row)
         .on_conflict(conflict_target=[CounterIntake.commune, CounterIntake.month], update=row)
         .execute())
    month = form.data["month"]
    flash(_("Saved: %(count)s paper dossiers in %(month)s.",
            count=format_number(form.data["count"]), month=month_label(month)), "success")
    return redirect(url_for("backoffice.figures_page"), 303)
