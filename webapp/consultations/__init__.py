"""Consultations (lấy ý kiến): the province and the communes ask citizens and household
businesses what they think before deciding, one answer per confirmed phone, and publish the
results and what they will do once the consultation has closed."""

from __future__ import annotations

from flask import Flask

from webapp.consultations import (
    answer_views,
    figures,
    personal_data,
    result_views,
    results,
    staff_views,
    views,
)
from webapp.consultations.models import ConsultationDocument
from webapp.core import figure_sets, housekeeping
from webapp.core import personal_data as citizens_data
from webapp.uploads import storage

# The answering and results pages' routes are on the two blueprints of views and staff_views.
_ROUTE_MODULES = (answer_views, result_views)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.consultations)
    app.register_blueprint(staff_views.consultations_staff)
    storage.register_owner(app, ConsultationDocument.names_in_use)  # the draft documents
    citizens_data.register(app, personal_data.CONSULTATIONS)
    housekeeping.register(app, "unsent consultation answers", personal_data.purge_unsent)
    housekeeping.register(app, "results of closed consultations", results.count_closed)
    figure_sets.register(app, figures.CONSULTATIONS)
