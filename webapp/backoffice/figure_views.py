"""Figures pages for officers and administrators: charts with their tables, and a CSV download.

The CSV is a real download: officers read figures on a desktop at the office, not inside Zalo;
the same numbers are always on the page as a table too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import current_staff, staff_required
from webapp.backoffice import access, display, figures
from webapp.backoffice.access import OFFICE_ROLES
from webapp.backoffice.blueprint import backoffice
from webapp.backoffice.forms import counter_intake_form
from webapp.backoffice.models import CounterIntake
from webapp.core.charts import bar_chart
from webapp.core.clock import local_today, utcnow
from webapp.core.db import database
from webapp.core.i18n import format_number, number_marks

GROUPING_SLUGS = {"thang": figures.BY_MONTH, "thu-tuc": figures.BY_PROCEDURE,
                  "xa": figures.BY_COMMUNE}
GROUPING_LABELS = {"thang": _l("Month"), "thu-tuc": _l("Procedure"), "xa": _l("Commune")}
CHART_BARS = 12  # procedures and communes: the busiest ones in the chart, all in the table


@dataclass(frozen=True)
class Period:
    slug: str
    label: str
    months: tuple[str, ...]


def periods(today) -> list[Period]:
    """The last 12 months, this year so far, and last year."""
    year, month = today.year, today.month
    first = (year - 1, month + 1) if month < 12 else (year, 1)
    last_12 = figures.months_between(today.replace(year=first[0], month=first[1], day=1), today)
    return [
        Period("12-thang", _("Last 12 months"), tuple(last_12)),
        Period(f"nam-{year}", _("Year %(year)d", year=year),
               tuple(figures.months_between(today.replace(month=1, day=1), today))),
        Period(f"nam-{year - 1}", _("Year %(year)d", year=year - 1),
               tuple(f"{year - 1:04d}-{m:02d}" for m in range(1, 13))),
    ]


def _choices():
    """The period, grouping and communes asked for, limited to what this officer may see."""
    today = local_today()
    options = periods(today)
    period = next((p for p in options if p.slug == request.args.get("ky")), options[0])
    grouping_slug = request.args.get("theo", "thang")
    grouping_slug = grouping_slug if grouping_slug in GROUPING_SLUGS else "thang"
    communes = access.communes_served()
    chosen = next((c for c in communes if c.code == request.args.get("xa")), None)
    everything = chosen is None and current_staff().role == "admin"
    ids = (chosen.id,) if chosen else tuple(c.id for c in communes)
    scope = figures.Scope(commune_ids=ids, months=period.months, today=today,
                          grouping=GROUPING_SLUGS[grouping_slug], all_communes=everything)
    return scope, {"period": period, "periods": options, "grouping": grouping_slug,
                   "communes": communes, "commune": chosen}


def _label_rows(scope, rows) -> None:
    if scope.grouping == figures.BY_MONTH:
        for row in rows:
            row.label = f"{row.key[5:]}/{row.key[:4]}"
    elif scope.grouping == figures.BY_PROCEDURE:
        titles = display.procedure_titles()
        for row in rows:
            row.label = display.procedure_title(titles, row.key)
    else:
        names = {c.id: c.name for c in access.communes_served()}
        for row in rows:
            row.label = names.get(row.key, str(row.key))


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


def _charts(scope, rows, n: Numbers):
    charted = rows if scope.grouping == figures.BY_MONTH else rows[:CHART_BARS]
    return [
        bar_chart("chart-received", _("Dossiers received online"),
                  [(r.label, r.received) for r in charted], display=n.number),
        bar_chart("chart-on-time", _("Decided on time (%)"),
                  [(r.label, r.on_time_rate) for r in charted], display=n.percent, maximum=100),
        bar_chart("chart-satisfaction", _("Satisfaction (average of 5 faces)"),
                  [(r.label, r.average_score) for r in charted], display=n.decimal, maximum=5),
    ]


def columns(n: Numbers):
    """The figures' columns: heading and how to show a row's value (page and CSV alike)."""
    number, decimal, percent = n.number, n.decimal, n.percent
    return [
        (_("Received online"), lambda r: number(r.received)),
        (_("Paper dossiers at the counter"), lambda r: number(r.counter)),
        (_("Online share"), lambda r: percent(r.online_share)),
        (_("Decided"), lambda r: number(r.decided)),
        (_("On time"), lambda r: number(r.on_time)),
        (_("Late"), lambda r: number(r.late)),
        (_("On-time rate"), lambda r: percent(r.on_time_rate)),
        (_("Open and overdue"), lambda r: number(r.overdue_open)),
        (_("Waiting for the citizen"), lambda r: number(r.waiting)),
        (_("Average processing time (working days)"), lambda r: decimal(r.average_days)),
        (_("Ratings"), lambda r: number(r.ratings)),
        (_("Average rating (of 5)"), lambda r: decimal(r.average_score)),
        (_("Satisfied"), lambda r: percent(r.satisfied_rate)),
    ]


@backoffice.get("/so-lieu")
@staff_required(*OFFICE_ROLES)
def figures_page():
    """Figures by month, procedure or commune: three charts, each with its table, and all
    the numbers in one table."""
    scope, context = _choices()
    rows, total = figures.figures_for(scope)
    _label_rows(scope, rows)
    numbers = Numbers()
    return render_template(
        "backoffice/figures.html", rows=rows, total=total, charts=_charts(scope, rows, numbers),
        columns=columns(numbers), grouping_labels=GROUPING_LABELS, chart_limited=(
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
    total.label = _("Total")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    heading = str(GROUPING_LABELS[context["grouping"]])
    shown = columns(Numbers())
    writer.writerow([heading, *[name for name, _value in shown]])
    for row in [*rows, total]:
        writer.writerow([row.label, *[value(row) for _name, value in shown]])
    name = f"so-lieu-{context['period'].slug}-{context['grouping']}.csv"
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


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
            count=format_number(form.data["count"]), month=f"{month[5:]}/{month[:4]}"), "success")
    return redirect(url_for("backoffice.figures_page"), 303)
