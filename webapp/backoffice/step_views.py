"""The steps an officer takes on a dossier: receive, ask for papers, approve, refuse, hand over,
and internal notes. One page per step that needs words; every POST ends in a redirect (303).

Each form carries the version of the dossier the officer saw. If another officer moved the
dossier meanwhile, nothing changes and the officer is told so (webapp.tracking.lifecycle.StaleItem).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import current_staff, staff_required
from webapp.backoffice import access, forms
from webapp.backoffice.blueprint import backoffice
from webapp.backoffice.views import detail_context
from webapp.core.clock import utcnow
from webapp.dossiers.api import (
    OFFICE_ROLES,
    PICKUP,
    POST,
    SOMETHING_ELSE,
    Attachment,
    DossierEvent,
    DossierResult,
    perform,
    recorder,
    requestable,
)
from webapp.dossiers.api import lifecycle as lc
from webapp.tracking.lifecycle import IllegalTransition, Move, StaleItem
from webapp.uploads import UploadRejected, storage
from webapp.uploads.messages import rejection_message

STALE_MESSAGE = _l("This dossier has just been updated by another officer. Nothing was changed: "
                   "please read it again before you act.")
NOT_NOW_MESSAGE = _l("This step is not possible for the dossier as it is now.")
DONE_MESSAGES = {
    "receive": _l("Dossier received. The citizen has been told the due date."),
    "request_papers": _l("Request sent. The citizen has been told what is missing; the clock "
                         "is paused until the papers come."),
    "approve": _l("Dossier approved. The citizen has been told how to get the result."),
    "refuse": _l("Dossier refused. The citizen has been told the reason."),
    "close": _l("Result handed over. The dossier is finished."),
}


def _posted_version() -> int:
    value = request.form.get("version", "")
    if not value.isdigit():
        abort(400)
    return int(value)


def _back_to(dossier):
    return redirect(url_for("backoffice.dossier_detail", code=dossier.code), 303)


def _already_done_by_me(dossier, action: str) -> bool:
    """A second tap on the same button: the last step is this officer's, to the same status."""
    last = (DossierEvent.select().where((DossierEvent.dossier == dossier.id)
                                        & (DossierEvent.kind == "status_changed"))
            .order_by(DossierEvent.created_at.desc(), DossierEvent.id.desc()).first())
    return (last is not None and last.actor_staff_id == current_staff().id
            and last.to_status == lc.ACTIONS[action].target)


def _apply(dossier, move: Move) -> bool:
    """Try the step; say what happened. True if it was done."""
    try:
        perform(dossier, move)
    except StaleItem:
        if _already_done_by_me(dossier, move.action):
            flash(DONE_MESSAGES[move.action], "success")
        else:
            flash(STALE_MESSAGE, "warning")
        return False
    except IllegalTransition:
        flash(NOT_NOW_MESSAGE, "warning")
        return False
    flash(DONE_MESSAGES[move.action], "success")
    return True


def _step_page(template: str, dossier, form, **extra):
    """A step's form; with errors it is sent again with 200, as browsers expect of a page."""
    return render_template(template, form=form, **extra, **detail_context(dossier))


@backoffice.post("/ho-so/<code>/tiep-nhan")
@staff_required(*OFFICE_ROLES)
def receive(code: str):
    """Receive a new dossier: the clock is already running; the citizen learns the due date."""
    dossier = access.dossier_for_staff(code)
    _apply(dossier, Move("receive", _posted_version(), staff=current_staff()))
    return _back_to(dossier)


def _worded_step(code: str, action: str, form_factory, template: str, words_field: str):
    """A step whose words the citizen reads (what is missing, why refused), with an internal
    note for colleagues: the form on GET or with errors, else the step and back to the dossier."""
    dossier = access.dossier_for_staff(code)
    form = form_factory(request.form if request.method == "POST" else None)
    if request.method == "GET" or not form.validate():
        return _step_page(template, dossier, form)
    _apply(dossier, Move(action, _posted_version(), staff=current_staff(),
                         public_message=form.data[words_field],
                         internal_note=form.data["note"] or ""))
    return _back_to(dossier)


def _requestable(dossier) -> dict[str, str]:
    return {**requestable(dossier),
            SOMETHING_ELSE: _("Something else (say what in the words below)")}


@backoffice.route("/ho-so/<code>/yeu-cau-bo-sung", methods=["GET", "POST"])
@staff_required(*OFFICE_ROLES)
def request_papers(code: str):
    """Ask the citizen for what is missing: the papers ticked (she is offered exactly those)
    and plain words; the clock stops until she answers."""
    dossier = access.dossier_for_staff(code)
    papers = _requestable(dossier)
    if request.method == "GET":
        return _step_page("backoffice/request-papers.html", dossier,
                          forms.request_papers_form(), requestable=papers)
    form = forms.request_papers_form(request.form)
    form.validate()
    ticked = forms.ticked_papers(form, request.form, papers)
    if form.errors:
        return _step_page("backoffice/request-papers.html", dossier, form, requestable=papers)
    _apply(dossier, Move("request_papers", _posted_version(), staff=current_staff(),
                         public_message=form.data["missing"],
                         internal_note=form.data["note"] or "", after=recorder(ticked)))
    return _back_to(dossier)


@backoffice.route("/ho-so/<code>/tu-choi", methods=["GET", "POST"])
@staff_required(*OFFICE_ROLES)
def refuse(code: str):
    """Refuse the dossier with a reason the citizen can understand."""
    return _worded_step(code, "refuse", forms.refuse_form, "backoffice/refuse.html", "reason")


def _checked_result_file(form):
    """Store the uploaded result if there is one (a StoredUpload, or None); errors on the form."""
    upload = request.files.get("result_file")
    data = upload.read() if upload and upload.filename else b""
    if not data:
        return None
    try:
        return storage.store_upload(data)
    except UploadRejected as rejected:
        form.add_error("result_file", rejection_message(rejected))
        return None


def _attach_result(form, stored):
    """The step's after-hook: the result file and text, written with the approval."""

    def attach(dossier, _event) -> None:
        attachment = None
        if stored is not None:
            attachment = Attachment.from_upload(stored, dossier=dossier.id,
                                                citizen=dossier.citizen_id, paper_key="result",
                                                purpose="result")
        DossierResult.create(dossier=dossier.id, text=form.data["result_text"] or "",
                             attachment=attachment, delivery=form.data["delivery"],
                             staff=current_staff(), created_at=utcnow())

    return attach


@backoffice.route("/ho-so/<code>/phe-duyet", methods=["GET", "POST"])
@staff_required(*OFFICE_ROLES)
def approve(code: str):
    """Approve with the result attached (a file, a text, or both) and say how it is delivered."""
    dossier = access.dossier_for_staff(code)
    if request.method == "GET":
        form = forms.approve_form()
        form.initial = {"delivery": "pickup"}
        return _step_page("backoffice/approve.html", dossier, form)
    form = forms.approve_form(request.form)
    valid = form.validate()
    stored = _checked_result_file(form) if valid else None
    if valid and stored is None and not form.data["result_text"] and not form.error("result_file"):
        form.add_error("result_text", _l("Attach the result as a file, or write it here."))
    if form.errors:
        if stored is not None:
            storage.delete(stored.name)
        return _step_page("backoffice/approve.html", dossier, form)
    move = Move("approve", _posted_version(), staff=current_staff(),
                public_message=form.data["result_text"] or "",
                internal_note=form.data["note"] or "", after=_attach_result(form, stored))
    if not _apply(dossier, move) and stored is not None:
        storage.delete(stored.name)
    return _back_to(dossier)


@backoffice.route("/ho-so/<code>/tra-ket-qua", methods=["GET", "POST"])
@staff_required(*OFFICE_ROLES)
def hand_over(code: str):
    """Record that the citizen collected the result, or that the post delivered it."""
    dossier = access.dossier_for_staff(code)
    if request.method == "GET":
        form = forms.hand_over_form()
        result = DossierResult.for_dossier(dossier.id)
        form.initial = {"handed_over": "posted" if result and result.delivery == POST
                        else "collected"}
        return _step_page("backoffice/hand-over.html", dossier, form)
    form = forms.hand_over_form(request.form)
    if not form.validate():
        return _step_page("backoffice/hand-over.html", dossier, form)
    delivery = {"collected": PICKUP, "posted": POST}[form.data["handed_over"]]

    def record_delivery(_dossier, _event) -> None:
        # What really happened wins over what was planned (the citizen may have come in).
        DossierResult.update(delivery=delivery).where(
            DossierResult.dossier == dossier.id).execute()

    _apply(dossier, Move("close", _posted_version(), staff=current_staff(),
                         internal_note=form.data["note"] or "", after=record_delivery))
    return _back_to(dossier)


@backoffice.post("/ho-so/<code>/ghi-chu")
@staff_required(*OFFICE_ROLES)
def add_note(code: str):
    """An internal note for colleagues; the citizen never sees it."""
    dossier = access.dossier_for_staff(code)
    form = forms.note_form(request.form)
    if not form.validate():
        return render_template("backoffice/dossier.html", form=form,
                               **detail_context(dossier))
    DossierEvent.create(dossier=dossier.id, created_at=utcnow(), kind="note",
                        internal_note=form.data["note"], actor_staff=current_staff())
    flash(_("Note saved."), "success")
    return redirect(url_for("backoffice.dossier_detail", code=dossier.code, _anchor="history"),
                    303)
