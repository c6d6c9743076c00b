"""The back office of consultations: province administrators (every commune) and commune
officers (their communes) make a consultation, its questions and its draft document, and
publish it; every change is audited. Once published, its questions no longer change."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import current_staff, staff_commune_ids, staff_required
from webapp.accounts.models import ADMIN, OFFICER
from webapp.consultations import forms, services
from webapp.consultations.models import CITIZENS, Consultation
from webapp.core.clock import local_today
from webapp.places.models import Commune
from webapp.uploads import RejectionCode, UploadRejected
from webapp.uploads.messages import rejection_message

consultations_staff = Blueprint("consultations_staff", __name__, url_prefix="/can-bo/lay-y-kien")
MANAGERS = (OFFICER, ADMIN)
NO_QUESTION = _l("Add at least one question before publishing.")
NOT_A_PDF = _l("The draft document must be a PDF file. Save it as PDF and choose it again.")


@consultations_staff.context_processor
def _staff_layout():
    return {"staff_user": current_staff(), "audience_words": forms.AUDIENCE_WORDS,
            "kind_words": forms.KIND_WORDS}


@consultations_staff.after_request
def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def managed_or_404(consultation_id: int) -> Consultation:
    found = Consultation.get_or_none(Consultation.id == consultation_id)
    if found is None or not services.can_manage(current_staff(), found):
        abort(404)
    return found


def _draft_or_back(consultation: Consultation):
    """A published consultation keeps its questions: a change is refused with a reason."""
    if consultation.is_published:
        flash(_("This consultation is published: its details and questions no longer change."),
              "warning")
        return redirect(url_for(".detail", consultation_id=consultation.id), 303)
    return None


@consultations_staff.get("")
@staff_required(*MANAGERS)
def index():
    """The consultations this person manages."""
    return render_template("consultations/staff-index.html",
                           consultations=list(services.managed_by(current_staff())),
                           today=local_today())


# --- Details -----------------------------------------------------------------------------------


def _own_communes(staff) -> list[Commune]:
    if staff.role == ADMIN:
        return []
    return list(Commune.select().where(Commune.id.in_(sorted(staff_commune_ids(staff)) or [0]))
                .order_by(Commune.id))


def _details_page(form, consultation=None, status: int = 200):
    staff = current_staff()
    return render_template(
        "consultations/staff-details.html", form=form, consultation=consultation,
        own_communes=[(c.id, c.name) for c in _own_communes(staff)],
        is_admin=staff.role == ADMIN,
        all_communes=[(c.id, c.name) for c in Commune.in_order()] if staff.role == ADMIN else [],
        document=services.document_of(consultation) if consultation else None), status


def _initial(consultation: Consultation) -> dict:
    values = {name: getattr(consultation, name) for name in services.DETAIL_FIELDS}
    values["opens_on"] = consultation.opens_on.isoformat()
    values["closes_on"] = consultation.closes_on.isoformat()
    values["communes"] = [str(c.id) for c in services.audience_communes(consultation)]
    values["commune"] = consultation.commune_id or ""
    return values


@consultations_staff.get("/moi")
@staff_required(*MANAGERS)
def new():
    return _details_page(forms.consultation_form())


@consultations_staff.get("/<int:consultation_id>/sua")
@staff_required(*MANAGERS)
def edit(consultation_id: int):
    consultation = managed_or_404(consultation_id)
    return _draft_or_back(consultation) or _details_page(
        forms.consultation_form(initial=_initial(consultation)), consultation)


def _chosen_communes(form, staff) -> tuple[Commune | None, list[Commune]]:
    """The officer's commune (whose consultation it is), and the communes whose citizens may
    answer; errors beside the fields when a choice is missing or not allowed."""
    if staff.role == ADMIN:
        ids = [int(v) for v in request.form.getlist("communes") if v.isdigit()]
        chosen = list(Commune.select().where(Commune.id.in_(ids or [0])))
        if form.data.get("audience") == CITIZENS and not chosen:
            form.add_error("communes", _l("Choose the communes whose citizens may answer."))
        return None, chosen
    own = {c.id: c for c in _own_communes(staff)}
    raw = request.form.get("commune", "")
    commune = own.get(int(raw)) if raw.isdigit() else (next(iter(own.values()))
                                                        if len(own) == 1 else None)
    if commune is None:
        form.add_error("commune", _l("Choose the commune that asks."))
    return commune, [commune] if commune else []


def _save(consultation: Consultation | None):
    staff = current_staff()
    form = forms.consultation_form(request.form)
    form.validate()
    forms.check_dates(form, local_today())
    commune, chosen = _chosen_communes(form, staff)
    upload = request.files.get("document")
    if form.errors:
        return _details_page(form, consultation)
    if consultation is not None and consultation.commune_id is not None:
        commune = consultation.commune  # an officer's consultation stays her commune's
    saved = services.save_details(staff, consultation, form.data, commune, chosen)
    if upload and upload.filename:
        try:
            services.store_document(saved, upload.read())
        except UploadRejected as rejected:
            form.add_error("document", NOT_A_PDF if rejected.code == RejectionCode.NOT_SUPPORTED
                           else rejection_message(rejected))
            return _details_page(form, saved)
    flash(_("Saved. Add the questions, then publish."), "success")
    return redirect(url_for(".detail", consultation_id=saved.id), 303)


@consultations_staff.post("/moi")
@staff_required(*MANAGERS)
def create():
    if current_staff().role != ADMIN and not _own_communes(current_staff()):
        abort(403)  # an officer who serves no commune has nobody to ask
    return _save(None)


@consultations_staff.post("/<int:consultation_id>/sua")
@staff_required(*MANAGERS)
def update(consultation_id: int):
    consultation = managed_or_404(consultation_id)
    return _draft_or_back(consultation) or _save(consultation)


# --- One consultation, its questions, publishing -----------------------------------------------


def _detail_page(consultation: Consultation, question_form=None, status: int = 200):
    return render_template(
        "consultations/staff-detail.html", consultation=consultation,
        questions=services.questions_of(consultation),
        communes=services.audience_communes(consultation),
        document=services.document_of(consultation),
        form=question_form or forms.question_form(), today=local_today()), status


@consultations_staff.get("/<int:consultation_id>")
@staff_required(*MANAGERS)
def detail(consultation_id: int):
    return _detail_page(managed_or_404(consultation_id))


@consultations_staff.post("/<int:consultation_id>/cau-hoi")
@staff_required(*MANAGERS)
def add_question(consultation_id: int):
    consultation = managed_or_404(consultation_id)
    refused = _draft_or_back(consultation)
    if refused:
        return refused
    form = forms.question_form(request.form)
    if form.validate():
        forms.check_options(form)
    if form.errors:
        return _detail_page(consultation, form)
    kind = form.data["kind"]
    options = (form.data["options"] or []) if kind in ("single", "multiple") else []
    services.add_question(consultation, kind, form.data["text"], options)
    flash(_("Question added."), "success")
    return redirect(url_for(".detail", consultation_id=consultation.id, _anchor="cau-hoi"), 303)


@consultations_staff.post("/<int:consultation_id>/cau-hoi/<int:question_id>/xoa")
@staff_required(*MANAGERS)
def remove_question(consultation_id: int, question_id: int):
    consultation = managed_or_404(consultation_id)
    refused = _draft_or_back(consultation)
    if refused:
        return refused
    if services.remove_question(consultation, question_id):
        flash(_("Question removed."), "success")
    return redirect(url_for(".detail", consultation_id=consultation.id, _anchor="cau-hoi"), 303)


@consultations_staff.post("/<int:consultation_id>/cong-bo")
@staff_required(*MANAGERS)
def publish(consultation_id: int):
    consultation = managed_or_404(consultation_id)
    if not consultation.is_published:
        if not services.questions_of(consultation):
            flash(NO_QUESTION, "warning")
            return redirect(url_for(".detail", consultation_id=consultation.id), 303)
        services.publish(consultation)
        flash(_("Published. People can answer from the opening day."), "success")
    return redirect(url_for(".detail", consultation_id=consultation.id), 303)
