"""The reports room (phản ánh, kiến nghị): a citizen tells the commune about a problem in the
neighbourhood in a few one-question pages, with photos, and follows it by its code; officers
triage and answer in the back office; answered reports she allowed are shown publicly.

`init_app` registers the blueprint (citizen pages in `views`), the message texts, the settings'
defaults, the daily chores, her data section, the photos this room keeps and its figures.
"""

from __future__ import annotations

import os

from flask import Flask

from webapp.core import figure_sets, housekeeping
from webapp.core import personal_data as held
from webapp.reports import (  # noqa: F401 (importing registers the routes and the texts)
    figures,
    messages,
    office_views,
    personal_data,
    still_fixed_views,
    views,
)
from webapp.reports.blueprint import reports
from webapp.reports.models import ReportPhoto
from webapp.uploads import storage

DEFAULTS = {
    "REPORT_WORKING_DAYS": 10,  # the time to answer a report, in working days
    "REPORT_URGENT_WORKING_DAYS": 2,  # once an officer marks it urgent
    "REPORT_DRAFT_DAYS": 7,
    "REPORT_MAX_PHOTOS": 4,
    "REPORT_KEEP_YEARS": 2,
    "REPORTS_PER_PHONE_PER_HOUR": 5,
    "REPORTS_PER_ADDRESS_PER_HOUR": 20,
    "REPORT_STILL_FIXED_LINK_DAYS": 30,  # her "is it still fixed?" link, from the question
}


def init_app(app: Flask) -> None:
    """Settings (environment variables of the same names override the defaults), routes,
    chores, her data section and the files this room keeps."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, int(os.environ.get(key, value)))
    app.register_blueprint(reports)
    housekeeping.register(app, "expired report drafts", personal_data.purge_drafts)
    housekeeping.register(app, "is the report still fixed", personal_data.ask_still_fixed)
    held.register(app, personal_data.REPORTS)
    storage.register_owner(app, ReportPhoto.names_in_use)
    figure_sets.register(app, figures.REPORTS)
