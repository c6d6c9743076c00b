"""The public figures page and its CSV download: every registered set, for the whole province,
by month, procedure or commune, over the last 12 months, this year or last year."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from webapp.core.clock import local_today
from webapp.core.figure_sets import (
    BY_MONTH,
    GROUPING_LABELS,
    GROUPING_SLUGS,
    Numbers,
    charts,
    chosen_grouping,
    chosen_period,
    columns,
    csv_response,
    figure_sets,
    periods,
)
from webapp.core.page_cache import cached_page, keep_for
from webapp.public_figures.counting import counted, seconds_left

public_figures = Blueprint("public_figures", __name__)
CHART_BARS = 12  # procedures and communes: the busiest ones in the chart, all in the table


def _choices():
    options = periods(local_today())
    period = chosen_period(options, request.args.get("ky"))
    grouping = chosen_grouping(request.args.get("theo"))
    return period, grouping, {"period": period, "periods": options, "grouping": grouping,
                              "grouping_labels": GROUPING_LABELS}


def _shown_set(figure_set, period, grouping_slug, numbers):
    """What the page shows of one set: its charts, table and headline, or why not."""
    grouping = GROUPING_SLUGS[grouping_slug]
    if grouping not in figure_set.groupings:
        return {"set": figure_set, "absent": True}
    found = counted(figure_set, period.months, grouping)
    measures = figure_set.public_measures
    shown = columns(measures, numbers)
    by_key = dict(zip((m.key for m in measures), shown, strict=True))
    limit = None if grouping == BY_MONTH else CHART_BARS
    return {"set": figure_set, "absent": False, "rows": found.rows, "total": found.total,
            "columns": shown,
            "headline": [by_key[key] for key in figure_set.headline if key in by_key],
            "charts": charts(f"chart-{figure_set.key}", measures, found.rows, numbers, limit),
            "chart_limited": limit is not None and len(found.rows) > limit,
            "counted_at": found.counted_at, "found": found}


@public_figures.get("/so-lieu")
@cached_page()
def page():
    """Figures of the online services, for everyone: charts with the numbers beside them,
    a table of everything, and a CSV download."""
    period, grouping, context = _choices()
    numbers = Numbers()
    shown = [_shown_set(s, period, grouping, numbers) for s in figure_sets()]
    # Served from the page cache only until its oldest figures are counted again.
    for one in shown:
        if not one["absent"]:
            keep_for(seconds_left(one["found"]))
    return render_template("public_figures/index.html", sets=shown,
                           minutes=max(1, current_app.config["PUBLIC_FIGURES_SECONDS"] // 60),
                           **context)


@public_figures.get("/so-lieu.csv")
def csv_file():
    """One set's figures as a CSV file (?bang=ho-so; the first set when not said)."""
    period, grouping, context = _choices()
    sets = figure_sets()
    if not sets:
        abort(404)
    figure_set = next((s for s in sets if s.key == request.args.get("bang")), sets[0])
    if GROUPING_SLUGS[grouping] not in figure_set.groupings:
        abort(404)
    found = counted(figure_set, period.months, GROUPING_SLUGS[grouping])
    seconds = current_app.config["PUBLIC_FIGURES_SECONDS"]
    return csv_response(f"so-lieu-{figure_set.key}-{period.slug}-{grouping}.csv",
                        str(GROUPING_LABELS[grouping]), found.rows, found.total,
                        columns(figure_set.public_measures, Numbers()),
                        cache_control=f"public, max-age={seconds}")
