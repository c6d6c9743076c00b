"""The public side of consultations: the consultations open now and those closed, a
consultation's page (who asks, why, its draft document, when it closes; after closing, its
results and what the province decided)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from webapp.accounts.auth import current_citizen
from webapp.consultations import forms, results, services
from webapp.consultations.models import Consultation
from webapp.core.clock import local_today
from webapp.uploads.serving import stored_file_response

consultations = Blueprint("consultations", __name__, url_prefix="/lay-y-kien")


@consultations.context_processor
def _words():
    return {"audience_words": forms.AUDIENCE_WORDS}


def published_or_404(consultation_id: int) -> Consultation:
    found = Consultation.get_or_none(Consultation.id == consultation_id)
    if found is None or not found.is_published:
        abort(404)
    return found


@consultations.get("")
def index():
    """Consultations open now (closing soonest first), then those closed lately."""
    today = local_today()
    return render_template("consultations/index.html", open_now=list(services.open_now(today)),
                           closed=list(services.closed(today)), today=today)


@consultations.get("/<int:consultation_id>")
def page(consultation_id: int):
    consultation = published_or_404(consultation_id)
    citizen = current_citizen()
    mine = services.answer_of(consultation, citizen.phone) if citizen and citizen.phone else None
    return render_template("consultations/page.html", consultation=consultation,
                           mine=mine if mine and mine.sent_at else None,
                           document=services.document_of(consultation),
                           communes=services.audience_communes(consultation),
                           questions=services.questions_of(consultation), today=local_today(),
                           figures=results.page_figures(consultation))


@consultations.get("/<int:consultation_id>/tai-lieu")
def document(consultation_id: int):
    """The draft document, as a download (the uploads room rewrote it without active parts)."""
    found = services.document_of(published_or_404(consultation_id))
    if found is None:
        abort(404)
    return stored_file_response(found.storage_name, found.media_type,
                                download_name=f"du-thao-{consultation_id}")
